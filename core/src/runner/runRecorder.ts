import type { BlockRunUpdate, RunStore } from '../store/types.ts';
import type { BlockRun } from './blockMachine.ts';
import type { Clock } from './clock.ts';
import type { RunEvent, RunEventListener } from './events.ts';

/**
 * What a run writes down: its rows in the store and the events its listener sees. A store failure
 * (disk full, a lock held too long) is remembered as the run's error, but the run goes on; a
 * listener's bug never stops it.
 */
export class RunRecorder {
  readonly store: RunStore;
  readonly runId: number;
  storeError: string | undefined;
  private readonly listener: RunEventListener | undefined;
  private readonly clock: Clock;

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
    const rowId = state.rowId;
    if (rowId !== undefined) this.safe(() => this.store.updateBlockRun(rowId, update));
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
