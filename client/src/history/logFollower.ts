import { FINISHED_BLOCK_STATUSES, FINISHED_RUN_STATUSES, type RunStore } from '../../../core/src/store/types.ts';
import { blockRunDescription } from './format.ts';
import { AnsiStripper } from './logText.ts';

/**
 * The text of one block run's log document. Each `update()` reads only the chunks stored since the
 * last one (by sequence number), so following a block that prints for an hour costs one indexed
 * read per refresh, not a re-read of the whole log.
 */
export class LogFollower {
  readonly blockRunId: number;
  private body = '';
  private header = '';
  private footer = '';
  private lastSeq = 0;
  private done = false;
  private readonly stripper = new AnsiStripper();

  constructor(blockRunId: number) {
    this.blockRunId = blockRunId;
  }

  get text(): string {
    return `${this.header}${this.body}${this.footer}`;
  }

  /** True once the block run ended (or vanished): nothing more will be appended. */
  get finished(): boolean {
    return this.done;
  }

  /** Appends what is new; returns whether the text changed. */
  update(store: RunStore, now = Date.now()): boolean {
    if (this.done) return false;
    const before = this.text;
    const blockRun = store.getBlockRun(this.blockRunId);
    if (blockRun === undefined) {
      this.footer = `${this.body === '' ? '' : '\n'}[This block run is no longer in the store ${store.path}; it was deleted.]\n`;
      this.done = true;
      return this.text !== before;
    }
    const run = store.getRun(blockRun.runId);
    if (this.header === '') {
      this.header = `[${run?.pipelineName ?? 'pipeline'} #${blockRun.runId} · ${blockRun.block} · attempt ${blockRun.attempt}]\n\n`;
    }
    // Read the status before the logs: the writer closes its log before marking the block finished,
    // so a finished status read first means every chunk is already stored.
    const ended = FINISHED_BLOCK_STATUSES.includes(blockRun.status) || (run !== undefined && FINISHED_RUN_STATUSES.includes(run.status));
    for (const chunk of store.readLogs(this.blockRunId, this.lastSeq)) {
      this.body += this.stripper.push(chunk.text);
      this.lastSeq = chunk.seq;
    }
    if (ended) {
      this.body += this.stripper.flush();
      const shown = run?.status === 'interrupted' && !FINISHED_BLOCK_STATUSES.includes(blockRun.status) ? { ...blockRun, status: 'cancelled' as const, reason: 'interrupted' } : blockRun;
      const separator = this.body === '' ? '(no output)\n' : this.body.endsWith('\n') ? '' : '\n';
      this.footer = `${separator}\n[${blockRunDescription(shown, now)}]\n`;
      this.done = true;
    }
    return this.text !== before;
  }
}
