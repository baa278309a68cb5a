import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { RUN_STATUSES, statusLabel, statusStyle } from '../../../core/src/model/status.ts';
import type { ChartData } from './protocol.ts';

// Duration per run (points over start time), one series per status so each has its theme colour.
// Canvas cannot read CSS variables, so the colours are read from the theme when drawn.

// One series per run status, coloured as the status table says (its CSS value names a theme variable).
const GROUPS = RUN_STATUSES.map((status) => ({ label: statusLabel(status), statuses: [status as string], variable: /var\((--[\w-]+)\)/.exec(statusStyle(status).cssColor)?.[1] ?? '--vscode-foreground' }));

export class DurationChart {
  private readonly host: HTMLElement;
  private plot: uPlot | undefined;
  private data: ChartData | undefined;

  constructor(parent: HTMLElement) {
    this.host = document.createElement('div');
    this.host.className = 'chart';
    this.host.setAttribute('role', 'img');
    this.host.setAttribute('aria-label', 'Duration per run, coloured by status');
    parent.append(this.host);
    new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: 120 })).observe(this.host);
  }

  show(data: ChartData | undefined): void {
    this.data = data;
    this.plot?.destroy();
    this.plot = undefined;
    if (data === undefined || data.starts.length === 0) return;
    const style = getComputedStyle(document.body);
    const colour = (name: string): string => style.getPropertyValue(name).trim() || style.getPropertyValue('--vscode-foreground').trim();
    const xs = data.starts.map((t) => t / 1000);
    // Only the statuses the runs have: a legend of every status would list ones no run is in.
    const groups = GROUPS.filter((group) => data.statuses.some((status) => group.statuses.includes(status)));
    const series = groups.map((group) => data.durations.map((d, i) => (group.statuses.includes(data.statuses[i] ?? '') ? (d === null ? null : d / 1000) : null)));
    const axis = { stroke: colour('--vscode-descriptionForeground'), grid: { stroke: colour('--vscode-editorWidget-border'), width: 0.5 }, ticks: { show: false } };
    this.plot = new uPlot({
      width: this.width(),
      height: 120,
      // A static legend: the live one prints "--" beside every status until the pointer is on a point.
      legend: { show: true, live: false },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true, range: timeRange } },
      axes: [axis, { ...axis, label: 'seconds', size: 50 }],
      series: [
        {},
        ...groups.map((group) => ({
          label: group.label, stroke: colour(group.variable), fill: colour(group.variable),
          paths: () => null, points: { show: true, size: 4, stroke: colour(group.variable), fill: colour(group.variable) },
        })),
      ],
    }, [xs, ...series] as uPlot.AlignedData, this.host);
  }

  /** Redraw with the theme's colours (the theme changed). */
  restyle(): void {
    this.show(this.data);
  }

  private width(): number {
    return Math.max(200, this.host.clientWidth);
  }
}

const MIN_SPAN_S = 60;

/** At least a minute wide, centred on the runs, so a few runs seconds apart get readable time ticks. */
function timeRange(_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
  const lo = min ?? 0;
  const hi = max ?? lo;
  if (hi - lo >= MIN_SPAN_S) return [lo, hi];
  const mid = (lo + hi) / 2;
  return [mid - MIN_SPAN_S / 2, mid + MIN_SPAN_S / 2];
}
