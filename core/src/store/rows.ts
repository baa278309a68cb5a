import type { BlockRunRecord, BlockStatus, LogChunk, RunMode, RunRecord, RunStatus, RunTrigger } from './types.ts';

// Rows come back as plain objects from either driver; these turn them into the contract's records.
// JSON columns are parsed defensively: a hand-edited row must not make the whole history unreadable.

export const RUN_COLUMNS =
  'id, pipeline_name, pipeline_file, status, trigger, mode, selection, source_run_id, variables, git_commit, git_branch, git_dirty, ' +
  'created_at, started_at, finished_at, error, owner_pid, owner_host, heartbeat_at, batch_id';

export const BLOCK_RUN_COLUMNS =
  'id, run_id, block, status, attempt, exit_code, signal, reason, started_at, finished_at, outputs, fingerprint, output_hashes, log_dropped_bytes, executor, executor_type, executor_job, item_of, item_index, item_value';

type Row = Record<string, unknown>;

export function toRunRecord(row: Row): RunRecord {
  const commit = optionalString(row.git_commit);
  return {
    id: Number(row.id),
    pipelineName: String(row.pipeline_name),
    pipelineFile: String(row.pipeline_file),
    status: String(row.status) as RunStatus,
    trigger: String(row.trigger) as RunTrigger,
    mode: String(row.mode) as RunMode,
    selection: parseJson<unknown[]>(row.selection, [], Array.isArray).map(String),
    sourceRunId: optionalNumber(row.source_run_id),
    variables: parseJson<RunRecord['variables']>(row.variables, {}, isPlainObject),
    git: commit === undefined ? undefined : { commit, branch: optionalString(row.git_branch), dirty: Number(row.git_dirty) === 1 },
    createdAt: Number(row.created_at),
    startedAt: optionalNumber(row.started_at),
    finishedAt: optionalNumber(row.finished_at),
    error: optionalString(row.error),
    ownerPid: Number(row.owner_pid),
    ownerHost: String(row.owner_host),
    heartbeatAt: Number(row.heartbeat_at),
    ...(typeof row.batch_id === 'string' ? { batchId: row.batch_id } : {}),
  };
}

export function toBlockRunRecord(row: Row): BlockRunRecord {
  const hashes = row.output_hashes;
  return {
    id: Number(row.id),
    runId: Number(row.run_id),
    block: String(row.block),
    status: String(row.status) as BlockStatus,
    attempt: Number(row.attempt),
    exitCode: optionalNumber(row.exit_code),
    signal: optionalString(row.signal),
    reason: row.reason === '' ? undefined : optionalString(row.reason),
    startedAt: optionalNumber(row.started_at),
    finishedAt: optionalNumber(row.finished_at),
    outputs: parseJson<Record<string, string>>(row.outputs, {}, isPlainObject),
    fingerprint: optionalString(row.fingerprint),
    outputHashes: hashes === null || hashes === undefined ? undefined : parseJson<Record<string, string>>(hashes, {}, isPlainObject),
    logDroppedBytes: Number(row.log_dropped_bytes ?? 0),
    executor: optionalString(row.executor),
    executorType: optionalString(row.executor_type),
    executorJob: optionalString(row.executor_job),
    ...(typeof row.item_of === 'string' ? { item: { of: row.item_of, index: Number(row.item_index), value: optionalString(row.item_value) ?? '' } } : {}),
  };
}

export function toLogChunk(row: Row): LogChunk {
  return { seq: Number(row.seq), stream: String(row.stream) as LogChunk['stream'], time: Number(row.time), text: String(row.chunk) };
}

/** undefined → SQL NULL, since neither driver binds undefined. */
export function orNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

export function jsonOrNull(value: object | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function optionalString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson<T>(text: unknown, fallback: T, valid: (value: unknown) => boolean): T {
  if (typeof text !== 'string') return fallback;
  try {
    const value: unknown = JSON.parse(text);
    return valid(value) ? (value as T) : fallback;
  } catch {
    return fallback;
  }
}
