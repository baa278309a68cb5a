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
    const series = GROUPS.map((group) => data.durations.map((d, i) => (group.statuses.includes(data.statuses[i] ?? '') ? (d === null ? null : d / 1000) : null)));
    const axis = { stroke: colour('--vscode-descriptionForeground'), grid: { stroke: colour('--vscode-editorWidget-border'), width: 0.5 }, ticks: { show: false } };
    this.plot = new uPlot({
      width: this.width(),
      height: 120,
      legend: { show: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true } },
      axes: [axis, { ...axis, label: 'seconds', size: 50 }],
      series: [
        {},
        ...GROUPS.map((group) => ({
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
