import { openStore, StoreError, type RunStore } from '../../../core/src/store/index.ts';

// Commands are invoked from the tree (with a node), from other features (with `{ runId, storePath,
// file, block }`), or from the palette (with nothing); these read what they were given.

export interface RunTarget {
  runId: number;
  storePath: string;
  file: string | undefined;
}

export interface BlockTarget {
  storePath: string;
  blockRunId: number | undefined;
  runId: number | undefined;
  block: string | undefined;
}

export function runTargetOf(arg: unknown): RunTarget | undefined {
  const value = record(arg);
  if (value === undefined) return undefined;
  const runId = value.runId;
  const storePath = value.storePath;
  if (!isRunId(runId) || typeof storePath !== 'string') return undefined;
  return { runId, storePath, file: typeof value.file === 'string' ? value.file : undefined };
}

export function blockTargetOf(arg: unknown): BlockTarget | undefined {
  const value = record(arg);
  if (value === undefined || typeof value.storePath !== 'string') return undefined;
  const blockRunId = isRunId(value.blockRunId) ? value.blockRunId : undefined;
  const runId = isRunId(value.runId) ? value.runId : undefined;
  const block = typeof value.block === 'string' ? value.block : undefined;
  if (blockRunId === undefined && (runId === undefined || block === undefined)) return undefined;
  return { storePath: value.storePath, blockRunId, runId, block };
}

/** The pipeline file an item or argument is about. */
export function fileOf(arg: unknown): { file: string; block: string | undefined } | undefined {
  const value = record(arg);
  if (value === undefined || typeof value.file !== 'string') return undefined;
  return { file: value.file, block: typeof value.block === 'string' ? value.block : undefined };
}

/** The latest attempt of the block in the run, for callers that name a block rather than a block run. */
export function resolveBlockRunId(store: RunStore, target: BlockTarget): number | undefined {
  if (target.blockRunId !== undefined) return target.blockRunId;
  if (target.runId === undefined || target.block === undefined) return undefined;
  return store.blockRuns(target.runId).filter((b) => b.block === target.block).sort((a, b) => a.attempt - b.attempt || a.id - b.id).at(-1)?.id;
}

/** Opens the store for one short write (delete, clear) and closes it; store errors come back as messages. */
export function withWritableStore<T>(path: string, fn: (store: RunStore) => T): { value: T } | { error: string } {
  let store: RunStore | undefined;
  try {
    store = openStore(path);
    return { value: fn(store) };
  } catch (error) {
    if (error instanceof StoreError) return { error: error.message };
    return { error: `Cannot change the run store ${path}: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    try {
      store?.close();
    } catch {
      // Nothing of ours was left to flush; the write itself succeeded or was reported.
    }
  }
}

/** Opens the store read-only for one look. */
export function withReadStore<T>(path: string, fn: (store: RunStore) => T): { value: T } | { error: string } {
  let store: RunStore | undefined;
  try {
    store = openStore(path, { readonly: true, busyTimeoutMs: 1000 });
    return { value: fn(store) };
  } catch (error) {
    if (error instanceof StoreError) return { error: error.message };
    return { error: `Cannot read the run store ${path}: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    try {
      store?.close();
    } catch {
      // Read-only: nothing to lose.
    }
  }
}

function record(arg: unknown): Record<string, unknown> | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const source = arg as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of ['runId', 'storePath', 'file', 'block', 'blockRunId', 'kind']) out[key] = source[key];
  return out;
}

function isRunId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
