/** What a run's details hold besides the run and block rows (see core/src/store/detailsTables.ts). */

export interface GitExtras {
  author: string | undefined;
  /** Epoch milliseconds. */
  commitTime: number | undefined;
  subject: string | undefined;
  /** Credentials stripped. */
  remote: string | undefined;
}

export interface HostInfo {
  name: string;
  os: string;
  cpus: number;
  runtime: string;
  tool: string;
}

export interface RunDetailRecord {
  runId: number;
  definition: string | undefined;
  definitionSha256: string | undefined;
  git: GitExtras | undefined;
  host: HostInfo | undefined;
}

export interface AttemptResources {
  blockRunId: number;
  runId: number;
  pid: number | undefined;
  /** `none`: not measured on this platform. */
  method: 'proc' | 'none';
  cpuUserMs: number | undefined;
  cpuSystemMs: number | undefined;
  peakRssBytes: number | undefined;
  readBytes: number | undefined;
  writeBytes: number | undefined;
  samples: number;
}

export type ArtifactDirection = 'input' | 'output';

export interface NewArtifact {
  runId: number;
  blockRunId: number;
  pipelineFile: string;
  block: string;
  direction: ArtifactDirection;
  declared: string;
  path: string;
  size: number | undefined;
  mtimeMs: number | undefined;
  sha256: string | undefined;
  hashNote: string | undefined;
  changed: boolean | undefined;
  lineageBlockRunId: number | undefined;
  /** A cached block's file: the block run that wrote (or read) it, whose record this one copies. */
  reusedFromBlockRunId?: number | undefined;
}

export interface ArtifactRecord extends NewArtifact {
  id: number;
  /** The run of lineageBlockRunId, for showing `#12 extract`. */
  lineageRunId: number | undefined;
  lineageBlock: string | undefined;
  /** The run of reusedFromBlockRunId, for showing `cached from run #12`. */
  reusedFromRunId: number | undefined;
}

/** One attempt of one block on the time axis (from block_run rows plus the ready time). */
export interface AttemptSpan {
  blockRunId: number;
  attempt: number;
  status: string;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  /** Where it ran (`gpu (slurm, job 12)`), when recorded. */
  executor?: string | undefined;
}

export interface BlockTiming {
  block: string;
  readyAt: number | undefined;
  attempts: AttemptSpan[];
  /** Between one attempt's end and the next one's start. */
  retryWaitsMs: number[];
  /** From ready to the first attempt's start. */
  queueWaitMs: number | undefined;
}
