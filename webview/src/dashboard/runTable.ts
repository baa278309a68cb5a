import { WINDOW_ROWS, type OpenTarget, type Row, type Sort, type SortField } from './protocol.ts';

/** Rows are one line each, so the table can place any row without measuring: virtual scrolling. */
export const ROW_HEIGHT = 26;
export const PAGE = WINDOW_ROWS;
const OVERSCAN = 8;

const COLUMNS: { field: SortField | undefined; label: string; className: string }[] = [
  { field: 'id', label: '#', className: 'c-id' },
  { field: 'pipeline', label: 'Pipeline', className: 'c-pipeline' },
  { field: 'status', label: 'Status', className: 'c-status' },
  { field: 'trigger', label: 'Trigger', className: 'c-trigger' },
  { field: 'started', label: 'Started', className: 'c-started' },
  { field: 'duration', label: 'Duration', className: 'c-duration' },
  { field: 'blocks', label: 'Blocks', className: 'c-blocks' },
  { field: undefined, label: 'Commit · branch', className: 'c-git' },
  { field: undefined, label: 'Variables', className: 'c-vars' },
];

export interface TableEvents {
  sort(field: SortField): void;
  /** Rows [offset, offset + limit) are needed and not loaded. */
  need(offset: number, limit: number): void;
  open(row: Row, target: OpenTarget): void;
  selectionChanged(): void;
  /** Every run the query matches (their ids come back through selectIds). */
  selectAll(): void;
}

/** The row actions, in the context menu and on keys (Enter: graph; L: log; F: pipeline file). */
const ROW_ACTIONS: { target: OpenTarget; label: string; key: string }[] = [
  { target: 'graph', label: 'Open Graph', key: 'Enter' },
  { target: 'log', label: 'Open Log', key: 'L' },
  { target: 'file', label: 'Open Pipeline File', key: 'F' },
];

/**
 * The runs table: a header of sort buttons and a scrolling body that renders only the rows in view
 * (plus a few), whatever the total. Rows arrive by page from the host; missing ones show as loading.
 * Selection: click, ctrl/cmd-click to toggle, shift-click for a range, ctrl/cmd+A every run the query matches; arrows move, Space selects, Enter opens
 * the graph, L the log, F the pipeline file; right-click, the context-menu key or Shift+F10 show the row's actions.
 */
export class RunTable {
  readonly element: HTMLElement;
  readonly selected = new Set<number>();
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowsHost: HTMLElement;
  private readonly headers: HTMLElement[] = [];
  private readonly rows = new Map<number, Row>();
  private readonly requested = new Set<number>();
  private readonly events: TableEvents;
  private total = 0;
  private focus = 0;
  private anchor: number | undefined;
  private now = Date.now();
  private menu: HTMLElement | undefined;
  /** The row elements in the DOM by row index, with what they were built from. */
  private shown = new Map<number, ShownRow>();
  /** Bumped by reset(): every row is built again. */
  private clock = 0;

  constructor(parent: HTMLElement, events: TableEvents) {
    this.events = events;
    this.element = el('div', 'table');
    this.element.setAttribute('role', 'grid');
    this.element.setAttribute('aria-label', 'Runs');
    this.element.tabIndex = 0;
    const header = el('div', 'row header');
    header.setAttribute('role', 'row');
    for (const column of COLUMNS) {
      const cell = el('div', `cell ${column.className}`);
      cell.setAttribute('role', 'columnheader');
      if (column.field !== undefined) {
        const button = el('button', 'sort');
        button.textContent = column.label;
        button.title = `Sort by ${column.label.toLowerCase()}`;
        const field = column.field;
        button.addEventListener('click', () => events.sort(field));
        cell.append(button);
        cell.dataset.field = field;
      } else {
        cell.textContent = column.label;
      }
      this.headers.push(cell);
      header.append(cell);
    }
    this.body = el('div', 'body');
    this.spacer = el('div', 'spacer');
    this.rowsHost = el('div', 'rows');
    this.spacer.append(this.rowsHost);
    this.body.append(this.spacer);
    this.element.append(header, this.body);
    parent.append(this.element);
    this.body.addEventListener('scroll', () => this.render());
    new ResizeObserver(() => this.render()).observe(this.body);
    this.element.addEventListener('keydown', (event) => this.key(event));
  }

  /** A new result: rows are dropped (they are asked for again, but `first`, rows from 0 sent with it); scroll stays unless `toTop`. */
  reset(total: number, toTop: boolean, first: readonly Row[] = []): void {
    this.total = total;
    this.rows.clear();
    first.forEach((row, i) => this.rows.set(i, row));
    this.clock++;
    this.requested.clear();
    this.element.setAttribute('aria-rowcount', String(total + 1));
    this.spacer.style.height = `${total * ROW_HEIGHT}px`;
    if (toTop) {
      this.body.scrollTop = 0;
      this.focus = 0;
      this.anchor = undefined;
      this.selected.clear();
      this.events.selectionChanged();
    }
    this.focus = Math.min(this.focus, Math.max(0, total - 1));
    this.render();
  }

  /** The visible pages again (live updates), keeping what is shown until the new rows arrive. */
  refresh(): void {
    this.requested.clear();
    this.render(true);
  }

  addRows(offset: number, rows: Row[]): void {
    rows.forEach((row, i) => this.rows.set(offset + i, row));
    this.render();
  }

  setSort(sort: Sort): void {
    for (const header of this.headers) {
      const field = header.dataset.field;
      header.setAttribute('aria-sort', field === sort.field ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none');
      header.classList.toggle('sorted', field === sort.field);
    }
  }

  loadedRows(): Row[] {
    return [...this.rows.values()];
  }

  selectIds(ids: readonly number[]): void {
    this.selected.clear();
    for (const id of ids) this.selected.add(id);
    this.events.selectionChanged();
    this.render();
  }

  /** Re-renders relative times (running rows count up). */
  tick(): void {
    this.now = Date.now();
    this.render();
  }

  private render(refetch = false): void {
    const first = Math.max(0, Math.floor(this.body.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const count = Math.ceil(this.body.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN;
    const last = Math.min(this.total, first + count);
    for (let page = Math.floor(first / PAGE); page * PAGE < last; page++) {
      const missing = refetch || !this.rows.has(page * PAGE) || !this.rows.has(Math.min(this.total, (page + 1) * PAGE) - 1);
      if (missing && !this.requested.has(page)) {
        this.requested.add(page);
        this.events.need(page * PAGE, PAGE);
      }
    }
    this.rowsHost.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    // Rows already shown as they are stay in the DOM: a scroll of a few rows builds only those that came into view.
    const elements: HTMLElement[] = [];
    const kept = new Map<number, ShownRow>();
    for (let index = first; index < last; index++) {
      const row = this.rows.get(index);
      // Running rows count up each second; the others' relative times change by the minute.
      const state = `${row === undefined ? '' : this.selected.has(row.id)}|${index === this.focus}|${this.clock}|${row?.running === true ? this.now : Math.floor(this.now / 60_000)}`;
      const seen = this.shown.get(index);
      const shown = seen !== undefined && seen.row === row && seen.state === state ? seen : { element: this.rowElement(index), row, state };
      kept.set(index, shown);
      elements.push(shown.element);
    }
    for (const [index, shown] of this.shown) if (kept.get(index) !== shown) shown.element.remove();
    this.shown = kept;
    let cursor = this.rowsHost.firstElementChild;
    for (const element of elements) {
      if (element === cursor) cursor = cursor.nextElementSibling;
      else this.rowsHost.insertBefore(element, cursor);
    }
    const focused = this.rows.get(this.focus);
    if (focused !== undefined) this.element.setAttribute('aria-activedescendant', `run-row-${this.focus}`);
  }

  private rowElement(index: number): HTMLElement {
    const row = this.rows.get(index);
    const element = el('div', 'row');
    element.id = `run-row-${index}`;
    element.setAttribute('role', 'row');
    element.setAttribute('aria-rowindex', String(index + 2));
    if (row === undefined) {
      element.classList.add('loading');
      element.append(cell('c-id', '…'));
      return element;
    }
    const selected = this.selected.has(row.id);
    element.setAttribute('aria-selected', String(selected));
    element.classList.toggle('selected', selected);
    element.classList.toggle('focused', index === this.focus);
    element.dataset.runId = String(row.id);
    const status = cell('c-status', '');
    const glyph = el('span', 'glyph');
    glyph.textContent = row.glyph;
    glyph.style.color = row.color;
    glyph.setAttribute('aria-hidden', 'true');
    status.append(glyph, document.createTextNode(` ${row.statusLabel}`));
    status.setAttribute('aria-label', `Status: ${row.statusLabel}`);
    const started = cell('c-started', relative(row.startedAt, this.now));
    started.title = new Date(row.startedAt).toLocaleString();
    const duration = row.finishedAt === undefined && !row.running ? '-' : formatMs((row.finishedAt ?? this.now) - row.startedAt);
    const blocks = cell('c-blocks', `${row.blocksDone}/${row.blocksTotal}${row.blocksFailed > 0 ? ` · ${row.blocksFailed} failed` : ''}`);
    blocks.setAttribute('aria-label', `${row.blocksDone} of ${row.blocksTotal} blocks done, ${row.blocksFailed} failed`);
    const git = row.commit === undefined ? '-' : `${row.commit.slice(0, 7)}${row.dirty ? '*' : ''} · ${row.branch ?? '(detached)'}`;
    const pipeline = cell('c-pipeline', row.pipeline);
    pipeline.title = row.file;
    const variables = cell('c-vars', row.variables);
    variables.title = row.variables;
    element.append(cell('c-id', `#${row.id}`), pipeline, status, cell('c-trigger', row.trigger), started, cell('c-duration', duration), blocks, cell('c-git', git), variables);
    for (const child of element.children) child.setAttribute('role', 'gridcell');
    element.addEventListener('click', (event) => this.click(index, row, event));
    element.addEventListener('dblclick', () => this.events.open(row, 'graph'));
    element.addEventListener('contextmenu', (event) => {
      event.preventDefault();
      this.focus = index;
      if (!this.selected.has(row.id)) this.click(index, row, event);
      this.showMenu(row, event.clientX, event.clientY);
    });
    return element;
  }

  private click(index: number, row: Row, event: MouseEvent): void {
    this.element.focus();
    if (event.shiftKey && this.anchor !== undefined) {
      if (!(event.ctrlKey || event.metaKey)) this.selected.clear();
      const [from, to] = this.anchor < index ? [this.anchor, index] : [index, this.anchor];
      for (let i = from; i <= to; i++) {
        const r = this.rows.get(i);
        if (r !== undefined) this.selected.add(r.id);
      }
    } else if (event.ctrlKey || event.metaKey) {
      if (!this.selected.delete(row.id)) this.selected.add(row.id);
      this.anchor = index;
    } else {
      this.selected.clear();
      this.selected.add(row.id);
      this.anchor = index;
    }
    this.focus = index;
    this.events.selectionChanged();
    this.render();
  }

  /** The row's actions as a menu at (x, y); keyboard operable, closed by Escape, a choice or a click elsewhere. */
  private showMenu(row: Row, x: number, y: number): void {
    this.menu?.remove();
    const menu = el('div', 'rowmenu');
    menu.setAttribute('role', 'menu');
    menu.setAttribute('aria-label', `Run #${row.id}`);
    menu.style.left = `${x}px`;
    menu.style.top = `${y}px`;
    const close = (): void => {
      document.removeEventListener('mousedown', outside, true);
      window.removeEventListener('blur', close);
      menu.remove();
      if (this.menu === menu) this.menu = undefined;
      this.element.focus();
    };
    const items = ROW_ACTIONS.map(({ target, label, key }) => {
      const item = el('button', 'rowmenu-item');
      item.setAttribute('role', 'menuitem');
      item.textContent = label;
      item.title = key;
      item.dataset.target = target;
      item.addEventListener('click', () => {
        close();
        this.events.open(row, target);
      });
      return item;
    });
    menu.append(...items);
    menu.addEventListener('keydown', (event) => {
      const at = items.indexOf(document.activeElement as HTMLButtonElement);
      if (event.key === 'Escape') close();
      else if (event.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
      else if (event.key === 'ArrowUp') items[(at + items.length - 1) % items.length]?.focus();
      else return;
      event.preventDefault();
      event.stopPropagation();
    });
    // A press on the menu keeps the focus where it is. In the workbench's webview a press on an item
    // moved the focus to no element (relatedTarget null), so focusout closed the menu before the
    // click reached the item: Open Log from the menu did nothing. A press elsewhere, or the focus
    // leaving the view, closes it; Tab away (focus to another element) too.
    menu.addEventListener('mousedown', (event) => event.preventDefault());
    const outside = (event: MouseEvent): void => {
      if (!menu.contains(event.target as Node | null)) close();
    };
    document.addEventListener('mousedown', outside, true);
    window.addEventListener('blur', close);
    menu.addEventListener('focusout', (event) => {
      if (event.relatedTarget !== null && !menu.contains(event.relatedTarget as Node)) close();
    });
    document.body.append(menu);
    this.menu = menu;
    items[0]?.focus();
  }

  private key(event: KeyboardEvent): void {
    if (this.total === 0) return;
    const page = Math.max(1, Math.floor(this.body.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -this.total, End: this.total };
    const move = moves[event.key];
    const row = this.rows.get(this.focus);
    if (move !== undefined) {
      this.focus = Math.max(0, Math.min(this.total - 1, this.focus + move));
      if (event.shiftKey && this.rows.get(this.focus) !== undefined) this.selected.add((this.rows.get(this.focus) as Row).id);
      this.scrollToFocus();
    } else if (event.key === ' ' && row !== undefined) {
      if (!this.selected.delete(row.id)) this.selected.add(row.id);
      this.anchor = this.focus;
      this.events.selectionChanged();
    } else if (event.key === 'Enter' && row !== undefined) {
      this.events.open(row, 'graph');
    } else if ((event.key === 'l' || event.key === 'L') && row !== undefined && !event.ctrlKey && !event.metaKey) {
      this.events.open(row, 'log');
    } else if ((event.key === 'f' || event.key === 'F') && row !== undefined && !event.ctrlKey && !event.metaKey) {
      this.events.open(row, 'file');
    } else if ((event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) && row !== undefined) {
      const box = this.body.getBoundingClientRect();
      this.showMenu(row, box.left + 40, box.top + (this.focus + 1) * ROW_HEIGHT - this.body.scrollTop);
    } else if (event.key === 'a' && (event.ctrlKey || event.metaKey)) {
      for (const r of this.rows.values()) this.selected.add(r.id);
      this.events.selectionChanged();
      this.events.selectAll();
    } else {
      return;
    }
    event.preventDefault();
    this.render();
  }

  private scrollToFocus(): void {
    const top = this.focus * ROW_HEIGHT;
    if (top < this.body.scrollTop) this.body.scrollTop = top;
    else if (top + ROW_HEIGHT > this.body.scrollTop + this.body.clientHeight) this.body.scrollTop = top + ROW_HEIGHT - this.body.clientHeight;
  }
}

interface ShownRow {
  element: HTMLElement;
  row: Row | undefined;
  state: string;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  return element;
}

function cell(className: string, text: string): HTMLElement {
  const element = el('div', `cell ${className}`);
  element.textContent = text;
  return element;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return h > 0 ? `${h}h${m > 0 ? `${m}m` : ''}` : `${m}m${s > 0 ? `${s}s` : ''}`;
}

function relative(at: number, now: number): string {
  const s = Math.round((now - at) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  if (s < 30 * 86_400) return `${Math.round(s / 86_400)} d ago`;
  return new Date(at).toLocaleDateString();
}
