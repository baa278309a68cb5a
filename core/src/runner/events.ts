import type { BlockStatus, RunStatus } from '../store/types.ts';

/**
 * What a run reports as it goes, to the CLI, the service process (which forwards them over
 * JSON-RPC) and through it the extension. Plain JSON data, so it crosses processes as is.
 */
export type RunEvent = RunStartedEvent | RunStatusEvent | BlockStatusEvent | BlockAttemptEvent | LogChunkEvent | RunFinishedEvent | FanOutProgressEvent;

/**
 * How far a fan-out block's items are (at its start, at most every 250 ms, and at its end): what
 * the graph's `34/40 ✓ 2 ✗` shows without following 10,000 items' own events. The items' own
 * `block-status` events name them `resize[3]`.
 */
export interface FanOutProgressEvent {
  type: 'fanout-progress';
  runId: number;
  block: string;
  total: number;
  /** Items ended so far, by status. */
  counts: Partial<Record<BlockStatus, number>>;
  time: number;
}

export interface RunStartedEvent {
  type: 'run-started';
  runId: number;
  pipelineName: string;
  pipelineFile: string;
  /** Every block in file order, with the status it starts with (`skipped` when not selected). */
  blocks: { id: string; status: BlockStatus }[];
  concurrency: number;
  time: number;
}

/** The run was paused or resumed (its start and end have events of their own). */
export interface RunStatusEvent {
  type: 'run-status';
  runId: number;
  status: 'running' | 'paused';
  /** `paused` or `paused now` (its running blocks suspended). */
  reason?: string;
  time: number;
}

export interface BlockStatusEvent {
  type: 'block-status';
  runId: number;
  block: string;
  status: BlockStatus;
  /** The attempt the status belongs to (0 before the first attempt starts). */
  attempt: number;
  reason?: string;
  exitCode?: number;
  signal?: string;
  outputs?: Record<string, string>;
  /** On `cached`: this run's block_run row and the earlier one whose results it reuses (run details copy its files). */
  blockRunId?: number;
  cachedFrom?: number;
  time: number;
}

/** An attempt's process started (a retry is a new attempt). */
export interface BlockAttemptEvent {
  type: 'block-attempt';
  runId: number;
  block: string;
  attempt: number;
  /** Of the attempt's block_run row, for reading its log from the store. */
  blockRunId: number;
  pid: number | undefined;
  /** The attempt's working folder, where its declared cache files are (run details record them). */
  cwd?: string;
  /** The block's declared `cache` files as written, relative to `cwd` (run details record what they match). */
  cache?: { inputs: string[]; outputs: string[] };
  time: number;
}

/** Raw output as it arrives (the stored copy is sanitized; this one is not). */
export interface LogChunkEvent {
  type: 'log-chunk';
  runId: number;
  block: string;
  attempt: number;
  stream: 'stdout' | 'stderr' | 'system';
  text: string;
  time: number;
}

export interface RunFinishedEvent {
  type: 'run-finished';
  runId: number;
  status: RunStatus;
  error?: string;
  blocks: BlockSummary[];
  time: number;
}

export interface BlockSummary {
  block: string;
  status: BlockStatus;
  attempts: number;
  /** From the first attempt's start to the end of the last one. */
  durationMs: number | undefined;
  exitCode: number | undefined;
  signal: string | undefined;
  reason: string | undefined;
  outputs: Record<string, string>;
}

export type RunEventListener = (event: RunEvent) => void;
