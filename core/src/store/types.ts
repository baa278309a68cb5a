/**
 * The run store's contract, shared by the runner (writes), the CLI and the extension's tree
 * (reads). Implementations: SQLite through better-sqlite3, or node:sqlite where that cannot load.
 */

export type RunStatus = 'initial' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled' | 'interrupted';
export type BlockStatus =
  | 'initial' | 'queued' | 'running' | 'completed' | 'failed' | 'cancelled'
  | 'upstream_failed' | 'condition_failed' | 'cached' | 'skipped'
  // Frozen by "pause now"; held at an approval gate.
  | 'paused' | 'waiting';
// `test`: a test run (`run --test`), left out of success rates; `pipeline`: a sub-pipeline's child run.
export type RunTrigger = 'manual' | 'cli' | 'schedule' | 'save' | 'retry' | 'replay' | 'debug' | 'test' | 'pipeline'
  // A run started by a trigger: `schedule:nightly`, `event:on-data`, `chained:after-extract`, `always:keep-fresh`.
  | `${'schedule' | 'event' | 'chained' | 'always'}:${string}`;
export type RunMode = 'all' | 'only' | 'upto' | 'from' | 'retry' | 'replay';

// Which statuses are final is the status table's to say (core/src/model/status.ts).
export { FINISHED_BLOCK_STATUSES, FINISHED_RUN_STATUSES } from '../model/status.ts';

export interface GitInfo {
  commit: string;
  branch: string | undefined;
  dirty: boolean;
}

export interface NewRun {
  pipelineName: string;
  /** Absolute path of the pipeline file. */
  pipelineFile: string;
  trigger: RunTrigger;
  mode: RunMode;
  /** Block ids the mode names (`only` list, the `upto`/`from` block), empty for `all`. */
  selection: string[];
  /** The run this one retries or replays. */
  sourceRunId: number | undefined;
  variables: Record<string, string | number | boolean>;
  git: GitInfo | undefined;
  /** Runs started together by `run --for-each`, one per item, share this id. */
  batchId?: string;
}

export interface RunRecord extends NewRun {
  /** Also the run's number shown to users (#42). */
  id: number;
  status: RunStatus;
  createdAt: number;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  error: string | undefined;
  ownerPid: number;
  ownerHost: string;
  heartbeatAt: number;
}

export interface RunSummary extends RunRecord {
  /** Number of block runs per status (latest attempt of each block). */
  counts: Partial<Record<BlockStatus, number>>;
}

export interface BlockRunRecord {
  id: number;
  runId: number;
  block: string;
  status: BlockStatus;
  attempt: number;
  exitCode: number | undefined;
  signal: string | undefined;
  /** Why it ended that way: 'timeout', 'cancelled', 'missing output x', 'cwd not found', … */
  reason: string | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  outputs: Record<string, string>;
  fingerprint: string | undefined;
  /** Hashes of the cache output files at the end of the run, for cache hits. */
  outputHashes: Record<string, string> | undefined;
  /** Bytes of log dropped by the per-block-run cap. */
  logDroppedBytes: number;
  /** The executor profile that ran this attempt (`local`, `gpu`); undefined for rows from before it was recorded. */
  executor?: string | undefined;
  /** Its type: `local`, `slurm`, `container`, `argo`. */
  executorType?: string | undefined;
  /** The remote job's id: a SLURM job id, a container's name, an Argo node. */
  executorJob?: string | undefined;
  /** Set on the rows of a fan-out's items (`block` is then `resize[3]`). */
  item?: ItemOf;
}

/** Which fan-out block an item row belongs to, its position, and its value. */
export interface ItemOf {
  of: string;
  index: number;
  value: string;
}

export interface LogChunk {
  seq: number;
  stream: 'stdout' | 'stderr' | 'system';
  time: number;
  text: string;
}

export interface RunQuery {
  pipelineFile?: string;
  pipelineName?: string;
  status?: RunStatus;
  limit?: number;
  /** Runs with id below this, for paging. */
  before?: number;
  /**
   * A query in the query language (core/src/query: `status:failed pipeline:etl "disk full"`); a bare
   * word is a case-insensitive substring of the name, branch, commit, trigger, variables or a failure
   * reason, and `#42` or `42` matches run 42. A query that cannot be read throws QueryError.
   */
  text?: string;
  /** Default: id, descending (newest first). Ties are broken by id, descending. */
  sort?: RunSort;
  /** Runs to skip (paging by offset; `before` pages faster where the sort is by id). */
  offset?: number;
  /** The time relative dates (`today`, `-7d`) and running runs' durations are measured from; default now. */
  now?: number;
  /** false: leave each run's `counts` empty (half the cost of a page, for a reader that reads the block runs itself: the JSON export). */
  counts?: boolean;
}

export type RunSortField = 'id' | 'pipeline' | 'status' | 'trigger' | 'started' | 'duration' | 'blocks';
export const RUN_SORT_FIELDS: readonly RunSortField[] = ['id', 'pipeline', 'status', 'trigger', 'started', 'duration', 'blocks'];
export interface RunSort {
  field: RunSortField;
  direction: 'asc' | 'desc';
}

/** What `stats` needs of each matching run, and no more. */
export interface RunFact {
  id: number;
  pipelineName: string;
  status: RunStatus;
  /** Start time (creation time if it never started). */
  startedAt: number;
  /** Finished runs only. */
  durationMs: number | undefined;
}

export interface RunOutput {
  runId: number;
  block: string;
  name: string;
  value: string;
}

/** The variable names and block outputs (`BLOCK.NAME`) that occur in the matching runs, sorted; for export columns. */
export interface RunColumns {
  variables: string[];
  properties: string[];
}

/** A pipeline file that has runs in the store, with its newest run (the history tree's top level). */
export interface PipelineSummary {
  pipelineFile: string;
  /** The name its newest run recorded. */
  pipelineName: string;
  latestRunId: number;
  latestStatus: RunStatus;
  latestAt: number;
}

export class StoreError extends Error {
  /** `schema`: the store was written by a newer version, or needs a writable open to upgrade. */
  readonly kind: 'corrupt' | 'locked' | 'driver' | 'io' | 'not-found' | 'schema';
  constructor(kind: StoreError['kind'], message: string) {
    super(message);
    this.kind = kind;
    this.name = 'StoreError';
  }
}

// ---- The store's operations (added with the SQLite implementation in openStore.ts) ----

export type DriverChoice = 'auto' | 'better-sqlite3' | 'node:sqlite';

export interface StoreOptions {
  /** Never writes: no schema upgrade, no interrupted marking (runs of dead owners are still reported as `interrupted`). */
  readonly?: boolean;
  /** `auto` (default): better-sqlite3 when this runtime can load it, else node:sqlite. */
  driver?: DriverChoice;
  /** Per block run; the first and last half are kept. Default 10 MiB. */
  logCapBytes?: number;
  /**
   * The stall period: an operation waits for another process's lock as long as the store keeps
   * changing (another writer committing), and fails with StoreError 'locked' only after this long
   * without any change (a holder stopped or hung mid-write). Default 30000.
   */
  busyTimeoutMs?: number;
}

/** Fields a run may change after creation; `undefined` leaves a field alone. */
export interface RunUpdate {
  /** `running` sets startedAt and a finished status sets finishedAt to now unless given. */
  status?: RunStatus;
  startedAt?: number;
  finishedAt?: number;
  error?: string;
}

export interface NewBlockRun {
  runId: number;
  block: string;
  /** Default `initial`. */
  status?: BlockStatus;
  /** Default 1; each retry attempt is a new block run. */
  attempt?: number;
  startedAt?: number;
  finishedAt?: number;
  reason?: string;
  outputs?: Record<string, string>;
  fingerprint?: string;
  outputHashes?: Record<string, string>;
  /** For an item of a fan-out block. */
  item?: ItemOf;
}

/** One item of a fan-out as first recorded. */
export interface NewItemRun {
  index: number;
  value: string;
  status: BlockStatus;
  reason?: string;
  outputs?: Record<string, string>;
  startedAt?: number;
  finishedAt?: number;
}

/** Fields a block run may change; `undefined` leaves a field alone. */
export interface BlockRunUpdate {
  /** `running` sets startedAt and a finished status sets finishedAt to now unless given. */
  status?: BlockStatus;
  exitCode?: number;
  signal?: string;
  reason?: string;
  startedAt?: number;
  finishedAt?: number;
  outputs?: Record<string, string>;
  fingerprint?: string;
  outputHashes?: Record<string, string>;
  /** Which executor ran the attempt (see BlockRunRecord). */
  executor?: string;
  executorType?: string;
  executorJob?: string;
}

/** Receives a block run's output as it arrives; batches it into the store and caps it. */
export interface LogWriter {
  write(stream: LogChunk['stream'], text: string): void;
  /** Stores everything buffered now (also happens by itself every ~50 ms of output). */
  flush(): void;
  /**
   * Flushes and stops the idle timer; further writes are ignored. Close it before marking the block
   * run finished: followers (`logs --follow`, the editor) stop reading once the run has finished.
   */
  close(): void;
  /** Bytes (UTF-8) received so far, and how many of them the cap dropped. */
  readonly totalBytes: number;
  readonly droppedBytes: number;
}

export interface RunStore {
  readonly path: string;
  readonly driver: 'better-sqlite3' | 'node:sqlite';
  readonly readonly: boolean;
  /** Records a new run owned by this process (status `initial`); the store keeps its heartbeat fresh until it finishes. */
  createRun(run: NewRun): RunRecord;
  updateRun(id: number, update: RunUpdate): void;
  heartbeat(id: number): void;
  getRun(id: number): RunRecord | undefined;
  latestRunId(query?: Omit<RunQuery, 'limit' | 'before'>): number | undefined;
  /** Newest first (default limit 100), with counts of the latest attempt of each block by status. Writable stores mark dead owners first. */
  listRuns(query?: RunQuery): RunSummary[];
  /** How many runs match (limit, offset and before are ignored). */
  countRuns(query?: RunQuery): number;
  /** Status, start and duration of every matching run, oldest first (for statistics). */
  runFacts(query?: RunQuery): RunFact[];
  /** Variable and output names over the matching runs. */
  runColumns(query?: RunQuery): RunColumns;
  /** The block outputs of these runs, oldest attempt first (one query for a page of runs; for CSV export). */
  outputsOf(runIds: readonly number[]): RunOutput[];
  /** Every block run of these runs, by run then creation order (one query for a page of runs). */
  blockRunsOf(runIds: readonly number[]): BlockRunRecord[];
  /** Every pipeline file with runs, by file path; one index seek per pipeline, however many runs. */
  listPipelines(): PipelineSummary[];
  createBlockRun(blockRun: NewBlockRun): BlockRunRecord;
  updateBlockRun(id: number, update: BlockRunUpdate): void;
  /** Several updates in one transaction (a run's status changes of one moment); throws after it for rows that are not there. */
  updateBlockRuns(updates: readonly { id: number; update: BlockRunUpdate }[]): void;
  getBlockRun(id: number): BlockRunRecord | undefined;
  /** Every attempt of every block of the run, in creation order (a fan-out's items are not blocks: see itemRuns). */
  blockRuns(runId: number): BlockRunRecord[];
  /** Records the items of a fan-out block in one transaction; returns their row ids, in order. */
  createItemRuns(runId: number, of: string, items: readonly NewItemRun[]): number[];
  /** A page of a fan-out block's items (latest attempt of each), by index. */
  itemRuns(runId: number, of: string, page?: { offset?: number; limit?: number }): BlockRunRecord[];
  /** How many of a fan-out block's items are in each status (latest attempt of each). */
  itemCounts(runId: number, of: string): Partial<Record<BlockStatus, number>>;
  /** For `from` mode: the newest `completed` or `cached` run of this block in any run of the pipeline file. */
  latestCompletedBlockRun(pipelineFile: string, block: string): BlockRunRecord | undefined;
  /** The newest `completed` or `cached` run of this block with this fingerprint. */
  findCachedBlockRun(pipelineFile: string, block: string, fingerprint: string): BlockRunRecord | undefined;
  openLog(blockRunId: number): LogWriter;
  /** Stored chunks with seq > afterSeq (default 0), in order. */
  readLogs(blockRunId: number, afterSeq?: number): LogChunk[];
  /** Deletes the run, its block runs and logs; false if there was no such run. */
  deleteRun(id: number): boolean;
  /** Deletes finished runs (of one pipeline file, or all); returns how many. Unfinished runs are kept. */
  clearHistory(pipelineFile?: string): number;
  /** Marks runs whose owner process is gone as `interrupted`; returns how many. */
  markInterrupted(): number;
  close(): void;
}
