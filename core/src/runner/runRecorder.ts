import { FINISHED_BLOCK_STATUSES, type BlockRunUpdate, type RunStore } from '../store/types.ts';
import type { BlockRun } from './blockMachine.ts';
import type { Clock } from './clock.ts';
import type { RunEvent, RunEventListener } from './events.ts';

/** How long a block row's status change may wait to be written, and how many may wait at most. */
export const ROW_FLUSH_MS = 25;
export const ROW_FLUSH_COUNT = 500;

/**
 * What a run writes down: its rows in the store and the events its listener sees. A store failure
 * (disk full, a lock held too long) is remembered as the run's error, but the run goes on; a
 * listener's bug never stops it.
 *
 * Block rows' status changes are written behind, in one transaction per ROW_FLUSH_MS (or per
 * ROW_FLUSH_COUNT rows), not one commit each: a 10,000-item fan-out made ~3 commits per item. A
 * killed engine loses at most the changes of that moment, which were not durable anyway; the run
 * is still marked interrupted by whoever finds its owner gone. Everything is written before the
 * run's own end is (flush()).
 */
export class RunRecorder {
  readonly store: RunStore;
  readonly runId: number;
  storeError: string | undefined;
  private readonly listener: RunEventListener | undefined;
  private readonly clock: Clock;
  private readonly pending = new Map<number, BlockRunUpdate>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(store: RunStore, runId: number, listener: RunEventListener | undefined, clock: Clock) {
    this.store = store;
    this.runId = runId;
    this.listener = listener;
    this.clock = clock;
  }

  safe<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.storeError ??= `run store: ${error instanceof Error ? error.message : String(error)}`;
      return undefined;
    }
  }

  emit(event: RunEvent): void {
    try {
      this.listener?.(event);
    } catch {
      // A listener's bug must not stop the run.
    }
  }

  updateRow(state: BlockRun, update: BlockRunUpdate): void {
    if (state.rowId !== undefined) this.updateRowId(state.rowId, update);
  }

  /** Queues a change of a block row; later changes of the same row overwrite its fields, as the SQL would. */
  updateRowId(rowId: number, update: BlockRunUpdate): void {
    // The end is stamped now, not when written (a status moving to running keeps the store's
    // "unless already started", which an explicit time would overwrite: the attempt gives its own).
    const stamped = update.status !== undefined && FINISHED_BLOCK_STATUSES.includes(update.status) && update.finishedAt === undefined ? { ...update, finishedAt: Date.now() } : update;
    const queued = this.pending.get(rowId);
    this.pending.set(rowId, queued === undefined ? { ...stamped } : Object.assign(queued, stamped));
    if (this.pending.size >= ROW_FLUSH_COUNT) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), ROW_FLUSH_MS).unref();
  }

  /** Writes the queued row changes now, in one transaction. */
  flush(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.size === 0) return;
    const updates = [...this.pending].map(([id, update]) => ({ id, update }));
    this.pending.clear();
    this.safe(() => this.store.updateBlockRuns(updates));
  }

  /** Records and announces a status that is not final (final ones carry more: see Run.finishBlock). */
  status(state: BlockRun, update: BlockRunUpdate & { status: BlockRun['status'] }, reason?: string): void {
    state.status = update.status;
    this.updateRow(state, update);
    this.emit({
      type: 'block-status', runId: this.runId, block: state.id, status: update.status, attempt: state.attempt,
      ...(reason === undefined ? {} : { reason }), time: this.clock.now(),
    });
  }

  systemLog(state: BlockRun, text: string): void {
    this.emit({ type: 'log-chunk', runId: this.runId, block: state.id, attempt: state.attempt, stream: 'system', text, time: this.clock.now() });
  }
}
