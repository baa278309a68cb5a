import type { RunEvent, RunFinishedEvent } from '../../../core/src/runner/events.ts';
import { FINISHED_BLOCK_STATUSES, type BlockStatus } from '../../../core/src/store/types.ts';

/**
 * What the editor knows of one run it started: how far it is (for the status bar and the
 * progress notification) and how it ended. VS-Code-free, fed the service's events.
 */
export class RunProgress {
  readonly runId: number;
  readonly store: string;
  readonly pipelineName: string;
  readonly pipelineFile: string;
  private readonly status = new Map<string, BlockStatus>();
  private selected = new Set<string>();
  /** Blocks waiting at their approval gate, with the gate's prompt. */
  readonly waiting = new Map<string, string>();
  paused = false;
  finished: RunFinishedEvent | undefined;

  constructor(runId: number, store: string, pipelineName: string, pipelineFile: string) {
    this.runId = runId;
    this.store = store;
    this.pipelineName = pipelineName;
    this.pipelineFile = pipelineFile;
  }

  get key(): string {
    return runKey(this.store, this.runId);
  }

  get total(): number {
    return this.selected.size;
  }

  get done(): number {
    let n = 0;
    for (const id of this.selected) {
      const s = this.status.get(id);
      if (s !== undefined && FINISHED_BLOCK_STATUSES.includes(s)) n++;
    }
    return n;
  }

  /** Blocks running now, in no particular order. */
  get running(): string[] {
    return [...this.selected].filter((id) => this.status.get(id) === 'running');
  }

  /** Failed blocks of the finished run, in file order. */
  get failedBlocks(): string[] {
    return (this.finished?.blocks ?? []).filter((b) => b.status === 'failed').map((b) => b.block);
  }

  apply(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        this.selected = new Set(event.blocks.filter((b) => b.status !== 'skipped').map((b) => b.id));
        for (const b of event.blocks) this.status.set(b.id, b.status);
        return;
      case 'block-status':
        this.status.set(event.block, event.status);
        if (event.status === 'waiting') this.waiting.set(event.block, event.reason ?? '');
        else this.waiting.delete(event.block);
        return;
      case 'run-status':
        this.paused = event.status === 'paused';
        return;
      case 'run-finished':
        this.finished = event;
        this.waiting.clear();
        for (const b of event.blocks) this.status.set(b.block, b.status);
        return;
      default:
        return;
    }
  }
}

export function runKey(store: string, runId: number): string {
  return `${store}#${runId}`;
}
