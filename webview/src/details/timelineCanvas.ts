import type { BlockView } from './protocol.ts';
import { formatMs } from './dom.ts';

const LANE = 16;
const LABEL = 160;

/**
 * The Gantt: one lane per block, drawn on a canvas the size of the viewport (only visible lanes
 * are drawn, so 3,000 lanes cost what 30 do). Waits, attempts and retry waits are drawn apart;
 * critical-path lanes are marked. Zoom with Ctrl+wheel or +/-, pan with the wheel, a drag or the
 * arrow keys, 0 resets; hovering shows exact times.
 */
export class TimelineCanvas {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tip: HTMLElement;
  private blocks: BlockView[] = [];
  private t0 = 0;
  private span = 1;
  private zoom = 1;
  private offsetX = 0;
  private scrollY = 0;
  private drag: { x: number; y: number; offsetX: number; scrollY: number } | undefined;

  constructor() {
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('role', 'img');
    this.tip = document.createElement('div');
    this.tip.className = 'tip';
    this.tip.hidden = true;
    this.element = document.createElement('div');
    this.element.className = 'timeline';
    this.element.tabIndex = 0;
    this.element.setAttribute('aria-label', 'Timeline of the run: one lane per block. Plus and minus zoom, arrow keys pan, 0 resets.');
    this.element.append(this.canvas, this.tip);
    this.element.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    this.element.addEventListener('keydown', (e) => this.key(e));
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => (this.tip.hidden = true));
    this.canvas.addEventListener('mousedown', (e) => (this.drag = { x: e.clientX, y: e.clientY, offsetX: this.offsetX, scrollY: this.scrollY }));
    window.addEventListener('mouseup', () => (this.drag = undefined));
    window.addEventListener('mousemove', (e) => {
      if (this.drag === undefined) return;
      this.offsetX = this.drag.offsetX - (e.clientX - this.drag.x);
      this.scrollY = this.clampY(this.drag.scrollY - (e.clientY - this.drag.y));
      this.draw();
    });
    new ResizeObserver(() => this.draw()).observe(this.element);
  }

  show(blocks: BlockView[], criticalPath: string[]): void {
    this.blocks = blocks.filter((b) => b.startedAt !== null);
    const starts = this.blocks.map((b) => b.readyAt ?? b.startedAt ?? 0);
    const ends = this.blocks.map((b) => b.finishedAt ?? Date.now());
    this.t0 = starts.length === 0 ? 0 : Math.min(...starts);
    this.span = Math.max(1, (ends.length === 0 ? 1 : Math.max(...ends)) - this.t0);
    this.canvas.setAttribute('aria-label', `${this.blocks.length} blocks over ${formatMs(this.span)}; critical path ${criticalPath.join(', ') || 'none'}`);
    // Drawn once the element is in the page (its width is known then): the caller calls draw().
  }

  draw(): void {
    const width = Math.max(200, this.element.clientWidth);
    const height = Math.min(Math.max(LANE * 3, (this.blocks.length + 1) * LANE), 420);
    const ratio = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const css = getComputedStyle(document.body);
    const color = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
    const fg = color('--vscode-foreground', '#ccc');
    const run = color('--vscode-charts-blue', '#3794ff');
    const critical = color('--vscode-charts-orange', '#d18616');
    const failed = color('--vscode-charts-red', '#f14c4c');
    const wait = color('--vscode-descriptionForeground', '#888');
    ctx.clearRect(0, 0, width, height);
    ctx.font = `${color('--vscode-font-size', '12px')} ${color('--vscode-font-family', 'sans-serif')}`;
    ctx.textBaseline = 'middle';
    const plot = width - LABEL - 8;
    const scale = (plot * this.zoom) / this.span;
    const x = (t: number): number => LABEL + (t - this.t0) * scale - this.offsetX;
    // Axis: ticks at round steps.
    ctx.fillStyle = wait;
    const step = niceStep(this.span / this.zoom / 6);
    for (let t = Math.ceil((this.offsetX / scale) / step) * step; t <= this.span; t += step) {
      const px = x(this.t0 + t);
      if (px > width) break;
      if (px >= LABEL) ctx.fillText(formatMs(t), px + 2, LANE / 2);
    }
    const first = Math.floor(this.scrollY / LANE);
    const visible = Math.ceil(height / LANE);
    for (let i = first; i < Math.min(this.blocks.length, first + visible); i++) {
      const b = this.blocks[i];
      if (b === undefined) continue;
      const y = (i - first + 1) * LANE - (this.scrollY % LANE);
      ctx.fillStyle = fg;
      ctx.fillText(`${b.critical ? '★ ' : ''}${b.block}`.slice(0, 24), 4, y + LANE / 2);
      ctx.save();
      ctx.beginPath();
      ctx.rect(LABEL, y, plot + 8, LANE);
      ctx.clip();
      if (b.readyAt !== null && b.startedAt !== null && b.startedAt > b.readyAt) {
        ctx.fillStyle = wait;
        ctx.fillRect(x(b.readyAt), y + LANE / 2 - 1, Math.max(1, (b.startedAt - b.readyAt) * scale), 2);
      }
      b.attempts.forEach((a, n) => {
        if (a.startedAt === null) return;
        const end = a.finishedAt ?? Date.now();
        const next = b.attempts[n + 1];
        if (next?.startedAt !== null && next !== undefined && next.startedAt > end) {
          ctx.setLineDash([3, 3]);
          ctx.strokeStyle = wait;
          ctx.beginPath();
          ctx.moveTo(x(end), y + LANE / 2);
          ctx.lineTo(x(next.startedAt), y + LANE / 2);
          ctx.stroke();
          ctx.setLineDash([]);
        }
        ctx.fillStyle = a.status === 'failed' ? failed : b.critical ? critical : run;
        ctx.fillRect(x(a.startedAt), y + 3, Math.max(1, (end - a.startedAt) * scale), LANE - 6);
      });
      if (b.slowRatio !== null) {
        ctx.fillStyle = failed;
        ctx.fillText(`×${b.slowRatio.toFixed(1)}`, x(b.finishedAt ?? this.t0) + 4, y + LANE / 2);
      }
      ctx.restore();
    }
  }

  private laneAt(offsetY: number): BlockView | undefined {
    return this.blocks[Math.floor((offsetY + this.scrollY) / LANE) - 1];
  }

  private hover(e: MouseEvent): void {
    const b = this.laneAt(e.offsetY);
    if (b === undefined || e.offsetX < LABEL) {
      this.tip.hidden = true;
      return;
    }
    const attempts = b.attempts.map((a) => `attempt ${a.attempt} ${a.status}: +${formatMs((a.startedAt ?? this.t0) - this.t0)} → +${formatMs((a.finishedAt ?? Date.now()) - this.t0)}`);
    this.tip.textContent = [`${b.block} (${b.statusLabel})${b.critical ? ' · critical path' : ''}`, `queued ${formatMs(b.queueWaitMs)}, took ${formatMs(b.durationMs)}`, ...attempts,
      ...(b.slowRatio === null ? [] : [`×${b.slowRatio.toFixed(1)} its median of ${formatMs(b.medianMs)}`])].join('\n');
    this.tip.hidden = false;
    this.tip.style.left = `${Math.min(e.offsetX + 12, this.element.clientWidth - 260)}px`;
    this.tip.style.top = `${e.offsetY + 12}px`;
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.ctrlKey) this.zoomBy(e.deltaY < 0 ? 1.25 : 0.8, e.offsetX);
    else if (e.shiftKey) this.offsetX += e.deltaY;
    else this.scrollY = this.clampY(this.scrollY + e.deltaY);
    this.draw();
  }

  private key(e: KeyboardEvent): void {
    const moves: Record<string, () => void> = {
      '+': () => this.zoomBy(1.5, this.element.clientWidth / 2), '=': () => this.zoomBy(1.5, this.element.clientWidth / 2), '-': () => this.zoomBy(1 / 1.5, this.element.clientWidth / 2),
      '0': () => { this.zoom = 1; this.offsetX = 0; this.scrollY = 0; },
      ArrowLeft: () => (this.offsetX -= 40), ArrowRight: () => (this.offsetX += 40),
      ArrowUp: () => (this.scrollY = this.clampY(this.scrollY - LANE)), ArrowDown: () => (this.scrollY = this.clampY(this.scrollY + LANE)),
    };
    const move = moves[e.key];
    if (move === undefined) return;
    e.preventDefault();
    move();
    this.draw();
  }

  private zoomBy(factor: number, atX: number): void {
    const next = Math.min(1000, Math.max(1, this.zoom * factor));
    const anchor = atX - LABEL + this.offsetX;
    this.offsetX = Math.max(0, anchor * (next / this.zoom) - (atX - LABEL));
    this.zoom = next;
  }

  private clampY(y: number): number {
    return Math.max(0, Math.min(y, Math.max(0, (this.blocks.length + 1) * LANE - 420)));
  }
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  for (const m of [1, 2, 5, 10]) if (raw <= m * power) return m * power;
  return 10 * power;
}
