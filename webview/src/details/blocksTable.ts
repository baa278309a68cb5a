import { el, formatBytes, formatMs } from './dom.ts';
import type { BlockView } from './protocol.ts';

const ROW = 24;
const HEIGHT = 360;

type Column = { key: string; label: string; value: (b: BlockView) => string | number | null; text: (b: BlockView) => string };

const COLUMNS: Column[] = [
  { key: 'block', label: 'Block', value: (b) => b.block, text: (b) => `${b.critical ? '★ ' : ''}${b.block}` },
  { key: 'status', label: 'Status', value: (b) => b.statusLabel, text: (b) => b.statusLabel },
  { key: 'attempts', label: 'Attempts', value: (b) => b.attempts.length, text: (b) => String(b.attempts.length) },
  { key: 'queued', label: 'Queued', value: (b) => b.queueWaitMs, text: (b) => formatMs(b.queueWaitMs) },
  { key: 'duration', label: 'Duration', value: (b) => b.durationMs, text: (b) => `${formatMs(b.durationMs)}${b.slowRatio === null ? '' : ` ×${b.slowRatio.toFixed(1)}`}` },
  { key: 'exit', label: 'Exit / reason', value: (b) => b.reason ?? b.exitCode, text: (b) => [b.exitCode === null ? '' : String(b.exitCode), b.reason ?? ''].filter((s) => s !== '').join(' · ') },
  { key: 'executor', label: 'Executor', value: (b) => b.executor, text: (b) => b.executor ?? '' },
  { key: 'cpu', label: 'CPU', value: (b) => b.cpuMs, text: (b) => formatMs(b.cpuMs) },
  { key: 'memory', label: 'Peak memory', value: (b) => b.peakRssBytes, text: (b) => formatBytes(b.peakRssBytes) },
  { key: 'log', label: 'Log', value: (b) => b.logBytes, text: (b) => formatBytes(b.logBytes) },
  { key: 'outputs', label: 'Outputs', value: (b) => Object.keys(b.outputs).length, text: (b) => Object.entries(b.outputs).map(([k, v]) => `${k}=${v}`).join(' ') },
];

/**
 * The blocks as a grid: sortable by any column (click or Enter on a header), only the visible rows
 * in the DOM (thousands of blocks scroll like ten), each row opening the block's log (click/Enter).
 */
export class BlocksTable {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement;
  private blocks: BlockView[] = [];
  private sortKey = '';
  private descending = false;
  private readonly openLog: (block: string) => void;

  constructor(openLog: (block: string) => void) {
    this.openLog = openLog;
    const header = el('div', { class: 'grid-row grid-head', role: 'row' });
    for (const column of COLUMNS) {
      const cell = el('div', { class: 'cell', role: 'columnheader', tabindex: '0', 'aria-sort': 'none', 'data-key': column.key }, column.label);
      const sort = (): void => this.sortBy(column.key);
      cell.addEventListener('click', sort);
      cell.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          sort();
        }
      });
      header.append(cell);
    }
    this.spacer = el('div', { class: 'spacer' });
    this.rows = el('div', { class: 'rows', role: 'rowgroup' });
    this.body = el('div', { class: 'grid-body' }, this.spacer, this.rows);
    this.body.style.maxHeight = `${HEIGHT}px`;
    this.body.addEventListener('scroll', () => this.renderRows());
    this.element = el('div', { class: 'grid', role: 'grid', 'aria-label': 'Blocks of the run; Enter on a row opens its log' }, header, this.body);
  }

  show(blocks: BlockView[]): void {
    this.blocks = [...blocks];
    this.applySort();
    this.spacer.style.height = `${this.blocks.length * ROW}px`;
    this.renderRows();
  }

  private sortBy(key: string): void {
    this.descending = this.sortKey === key ? !this.descending : false;
    this.sortKey = key;
    for (const cell of this.element.querySelectorAll<HTMLElement>('[role=columnheader]')) {
      cell.setAttribute('aria-sort', cell.dataset.key === key ? (this.descending ? 'descending' : 'ascending') : 'none');
    }
    this.applySort();
    this.renderRows();
  }

  private applySort(): void {
    const column = COLUMNS.find((c) => c.key === this.sortKey);
    if (column === undefined) return;
    const sign = this.descending ? -1 : 1;
    this.blocks.sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * sign;
    });
  }

  private renderRows(): void {
    const first = Math.max(0, Math.floor(this.body.scrollTop / ROW) - 5);
    const last = Math.min(this.blocks.length, first + Math.ceil(HEIGHT / ROW) + 10);
    this.rows.style.transform = `translateY(${first * ROW}px)`;
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const b = this.blocks[i];
      if (b === undefined) continue;
      const row = el('div', { class: `grid-row${b.critical ? ' critical' : ''} status-${b.status}`, role: 'row', tabindex: '0', 'aria-rowindex': String(i + 2), 'aria-label': `${b.block}, ${b.statusLabel}` });
      for (const column of COLUMNS) row.append(el('div', { class: 'cell', role: 'gridcell' }, column.text(b)));
      row.addEventListener('click', () => this.openLog(b.block));
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') this.openLog(b.block);
      });
      fragment.append(row);
    }
    this.rows.replaceChildren(fragment);
  }
}
