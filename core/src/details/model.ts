import { validatePipeline } from '../validate/validate.ts';
import type { BlockRunRecord, BlockStatus, RunRecord, RunStore } from '../store/types.ts';
import { criticalPath, slowRatio } from './criticalPath.ts';
import type { DetailsStore } from './detailsStore.ts';
import { blockTimings } from './timings.ts';
import type { ArtifactRecord, AttemptResources, AttemptSpan, RunDetailRecord } from './types.ts';

/** One block of a run as the details view, `show` and `compare` present it. */
export interface BlockDetail {
  block: string;
  status: BlockStatus;
  attempts: AttemptSpan[];
  dependsOn: string[];
  readyAt: number | undefined;
  /** First attempt's start, last attempt's end. */
  startedAt: number | undefined;
  finishedAt: number | undefined;
  queueWaitMs: number | undefined;
  retryWaitsMs: number[];
  durationMs: number | undefined;
  exitCode: number | undefined;
  signal: string | undefined;
  reason: string | undefined;
  outputs: Record<string, string>;
  /** Summed over attempts (undefined when not measured). */
  cpuMs: number | undefined;
  peakRssBytes: number | undefined;
  readBytes: number | undefined;
  writeBytes: number | undefined;
  logBytes: number;
  critical: boolean;
  /** Set when it took far longer than its median over the last 20 completed runs. */
  slow: { ratio: number; medianMs: number } | undefined;
  /** The latest attempt's block run (for its log). */
  blockRunId: number;
}

export interface RunDetails {
  run: RunRecord;
  detail: RunDetailRecord | undefined;
  blocks: BlockDetail[];
  criticalPath: string[];
  artifacts: ArtifactRecord[];
  resources: AttemptResources[];
  totals: { cpuMs: number | undefined; peakRssBytes: number | undefined; readBytes: number | undefined; writeBytes: number | undefined };
  /** Recorded where resources are not measured (not Linux): every attempt says `none`. */
  resourcesUnmeasured: boolean;
}

/** What loadRunDetails reads: the stores, or a page of them read ahead (core/src/query/exportDetails.ts). */
export type RunReader = Pick<RunStore, 'getRun' | 'blockRuns'>;
export type DetailsReader = Pick<DetailsStore, 'runDetail' | 'resources' | 'logSizes' | 'readyTimes' | 'durationHistory' | 'artifacts'>;

/** Everything known about one run, from the run store and its details tables. */
export function loadRunDetails(store: RunReader, details: DetailsReader, runId: number): RunDetails | undefined {
  const run = store.getRun(runId);
  if (run === undefined) return undefined;
  const rows = store.blockRuns(runId);
  const detail = details.runDetail(runId);
  const resources = details.resources(runId);
  const dependsOn = dependencies(detail?.definition, run.pipelineFile);
  const logBytes = details.logSizes(runId);
  const byRow = new Map(resources.map((r) => [r.blockRunId, r]));
  const latest = latestRows(rows);
  const blocks = blockTimings(rows, details.readyTimes(runId)).map((t): BlockDetail => {
    const last = latest.get(t.block) as BlockRunRecord;
    const first = t.attempts[0];
    const startedAt = first?.startedAt;
    const finishedAt = t.attempts[t.attempts.length - 1]?.finishedAt;
    const measured = t.attempts.map((a) => byRow.get(a.blockRunId)).filter((r): r is AttemptResources => r !== undefined && r.method === 'proc' && r.samples > 0);
    const sum = (pick: (r: AttemptResources) => number | undefined): number | undefined => (measured.length === 0 ? undefined : measured.reduce((n, r) => n + (pick(r) ?? 0), 0));
    const ran = t.attempts.some((a) => a.status !== 'skipped' && a.status !== 'cached');
    const durationMs = startedAt !== undefined && finishedAt !== undefined && ran ? finishedAt - startedAt : undefined;
    return {
      block: t.block, status: last.status, attempts: t.attempts, dependsOn: [...(dependsOn.get(t.block) ?? [])],
      readyAt: t.readyAt, startedAt: ran ? startedAt : undefined, finishedAt: ran ? finishedAt : undefined, queueWaitMs: t.queueWaitMs, retryWaitsMs: t.retryWaitsMs, durationMs,
      exitCode: last.exitCode, signal: last.signal, reason: last.reason, outputs: last.outputs,
      cpuMs: sum((r) => (r.cpuUserMs ?? 0) + (r.cpuSystemMs ?? 0)),
      peakRssBytes: measured.length === 0 ? undefined : Math.max(...measured.map((r) => r.peakRssBytes ?? 0)),
      readBytes: sum((r) => r.readBytes), writeBytes: sum((r) => r.writeBytes),
      logBytes: t.attempts.reduce((n, a) => n + (logBytes.get(a.blockRunId) ?? 0), 0),
      critical: false,
      slow: last.status === 'completed' ? slowRatio(durationMs, details.durationHistory(run.pipelineFile, t.block, runId)) : undefined,
      blockRunId: last.id,
    };
  });
  const path = criticalPath(blocks);
  const onPath = new Set(path);
  for (const b of blocks) b.critical = onPath.has(b.block);
  const measuredBlocks = blocks.filter((b) => b.cpuMs !== undefined);
  const total = (pick: (b: BlockDetail) => number | undefined): number | undefined => (measuredBlocks.length === 0 ? undefined : measuredBlocks.reduce((n, b) => n + (pick(b) ?? 0), 0));
  return {
    run, detail, blocks, criticalPath: path, artifacts: details.artifacts(runId), resources,
    totals: {
      cpuMs: total((b) => b.cpuMs),
      // Blocks overlap in time; the sum of their peaks bounds the run's peak from above, the largest from below. Shown: the largest.
      peakRssBytes: measuredBlocks.length === 0 ? undefined : Math.max(...measuredBlocks.map((b) => b.peakRssBytes ?? 0)),
      readBytes: total((b) => b.readBytes), writeBytes: total((b) => b.writeBytes),
    },
    resourcesUnmeasured: resources.length > 0 && resources.every((r) => r.method === 'none'),
  };
}

/** The last few definitions read: an export of runs of the same few pipelines validates each text once, not once per run. */
const parsed = new Map<string, ReadonlyMap<string, readonly string[]>>();
const PARSED_KEPT = 32;

/** Direct upstream of each block, from the definition the run ran (or nothing when it was not kept). */
function dependencies(definition: string | undefined, file: string): ReadonlyMap<string, readonly string[]> {
  if (definition === undefined) return new Map();
  const key = `${file}\0${definition}`;
  let upstream = parsed.get(key);
  if (upstream === undefined) {
    const { pipeline, dag } = validatePipeline(definition, { fileName: file });
    upstream = new Map(pipeline.blocks.map((b) => [b.id, dag.has(b.id) ? dag.directUpstream(b.id) : []]));
    if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value as string);
    parsed.set(key, upstream);
  }
  return upstream;
}

function latestRows(rows: readonly BlockRunRecord[]): Map<string, BlockRunRecord> {
  const latest = new Map<string, BlockRunRecord>();
  for (const row of rows) {
    const seen = latest.get(row.block);
    if (seen === undefined || row.attempt >= seen.attempt) latest.set(row.block, row);
  }
  return latest;
}
