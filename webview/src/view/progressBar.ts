import { formatElapsed } from '../../../core/src/util/duration.ts';
import { isFinalStatus } from '../../../core/src/model/status.ts';
import type { BlockState, GraphModel, RunHeader } from '../protocol.ts';
import { progressOf } from './progressEstimate.ts';

/**
 * The bar across the top during a run: blocks done of total, failed, elapsed, and the time left
 * estimated from earlier runs' median durations. Shown while the run is live; it ticks each second.
 */
export class ProgressBar {
  readonly element: HTMLElement;
  private readonly fill: HTMLElement;
  private readonly text: HTMLElement;
  private header: RunHeader | undefined;
  private medians: Record<string, number> = {};
  private readonly runningSince = new Map<string, number>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly read: () => { model: GraphModel; states: ReadonlyMap<string, BlockState> };

  constructor(root: HTMLElement, before: Element | null, read: () => { model: GraphModel; states: ReadonlyMap<string, BlockState> }) {
    this.read = read;
    this.element = document.createElement('div');
    this.element.className = 'progress';
    this.element.setAttribute('role', 'progressbar');
    this.element.setAttribute('aria-valuemin', '0');
    this.element.hidden = true;
    const track = document.createElement('div');
    track.className = 'progress-track';
    this.fill = document.createElement('div');
    this.fill.className = 'progress-fill';
    track.append(this.fill);
    this.text = document.createElement('span');
    this.text.className = 'progress-text';
    this.element.append(track, this.text);
    root.insertBefore(this.element, before);
  }

  setEstimates(medians: Record<string, number>): void {
    this.medians = medians;
    this.paint();
  }

  /** A block's state changed: a block starting to run starts its clock. */
  blockChanged(id: string, state: BlockState): void {
    if (state.status === 'running' && !this.runningSince.has(id)) this.runningSince.set(id, Date.now());
    if (state.status !== 'running') this.runningSince.delete(id);
  }

  show(header: RunHeader | undefined, newRun: boolean): void {
    if (newRun) {
      this.runningSince.clear();
      this.medians = {};
    }
    this.header = header;
    const live = header !== undefined && header.finishedAt === undefined && !isFinalStatus(header.status);
    this.element.hidden = !live;
    if (live && this.ticker === undefined) this.ticker = setInterval(() => this.paint(), 1000);
    if (!live && this.ticker !== undefined) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
    this.paint();
  }

  private paint(): void {
    const header = this.header;
    if (header === undefined || this.element.hidden) return;
    const { model, states } = this.read();
    const now = Date.now();
    const p = progressOf(model, states, this.medians, this.runningSince, now, header);
    const share = p.total === 0 ? 0 : p.done / p.total;
    this.fill.style.width = `${(share * 100).toFixed(1)}%`;
    this.element.classList.toggle('has-failed', p.failed > 0);
    const parts = [`${p.done}/${p.total} done`];
    if (p.failed > 0) parts.push(`${p.failed} failed`);
    if (header.startedAt !== undefined) parts.push(`${formatElapsed(now - header.startedAt)} elapsed`);
    parts.push(p.remainingMs === undefined ? 'no estimate yet (no earlier run)' : `about ${formatElapsed(p.remainingMs)} left`);
    this.text.textContent = parts.join(' · ');
    this.element.setAttribute('aria-valuemax', String(p.total));
    this.element.setAttribute('aria-valuenow', String(p.done));
    this.element.setAttribute('aria-valuetext', this.text.textContent);
  }
}
