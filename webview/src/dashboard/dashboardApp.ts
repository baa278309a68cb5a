import '@vscode-elements/elements/dist/vscode-button/index.js';
import { suggest, type Suggestion } from './completion.ts';
import { DurationChart } from './durationChart.ts';
import type { Action, Completions, HostMessage, Metrics, QueryProblem, Row, Sort, SortField, WebviewMessage } from './protocol.ts';
import { formatMs, RunTable } from './runTable.ts';

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

const QUERY_DEBOUNCE_MS = 200;
const QUICK_KEYS = ['pipeline', 'status', 'trigger', 'branch'] as const;

/**
 * The executions dashboard: query box (completion, inline error), quick filters, metrics strip,
 * duration chart, the virtualised runs table and batch actions. The host does every read and write;
 * this only asks, shows and forwards gestures.
 */
export class DashboardApp {
  private readonly api: VsCodeApi;
  private readonly input: HTMLInputElement;
  private readonly problem: HTMLElement;
  private readonly suggestions: HTMLElement;
  private readonly metrics: HTMLElement;
  private readonly selection: HTMLElement;
  private readonly quick = new Map<string, HTMLSelectElement>();
  private readonly dateFrom: HTMLInputElement;
  private readonly dateTo: HTMLInputElement;
  private readonly chart: DurationChart;
  private readonly table: RunTable;
  private readonly actionButtons = new Map<Action, HTMLElement>();
  private sort: Sort = { field: 'id', direction: 'desc' };
  private generation = 0;
  private total = 0;
  private typing: ReturnType<typeof setTimeout> | undefined;
  private items: Suggestion[] = [];
  private active = -1;
  private span = { start: 0, end: 0 };
  private completions: Completions = { pipelines: [], branches: [], variables: [], statuses: [], triggers: [], blocks: [] };
  private lastSent = '';

  constructor(root: HTMLElement, api: VsCodeApi) {
    this.api = api;
    const bar = div('querybar');
    const box = div('querybox');
    this.input = document.createElement('input');
    this.input.type = 'text';
    this.input.className = 'query';
    this.input.placeholder = 'status:failed pipeline:orders-etl branch:main var:epochs>10 date:-7d "disk full"';
    this.input.setAttribute('aria-label', 'Query');
    this.input.setAttribute('role', 'combobox');
    this.input.setAttribute('aria-autocomplete', 'list');
    this.input.setAttribute('aria-controls', 'query-suggestions');
    this.input.spellcheck = false;
    this.suggestions = div('suggestions');
    this.suggestions.id = 'query-suggestions';
    this.suggestions.setAttribute('role', 'listbox');
    this.problem = div('problem');
    this.problem.setAttribute('role', 'alert');
    box.append(this.input, this.suggestions, this.problem);
    bar.append(box);
    const filters = div('filters');
    for (const key of QUICK_KEYS) {
      const select = document.createElement('select');
      select.setAttribute('aria-label', `Quick filter: ${key}`);
      select.addEventListener('change', () => this.applyQuick(key, select.value));
      this.quick.set(key, select);
      filters.append(select);
    }
    this.dateFrom = dateInput('From date');
    this.dateTo = dateInput('To date');
    for (const input of [this.dateFrom, this.dateTo]) input.addEventListener('change', () => this.applyDates());
    filters.append(label('From', this.dateFrom), label('to', this.dateTo));
    this.metrics = div('metrics');
    this.metrics.setAttribute('aria-live', 'polite');
    const actions = div('actions');
    const buttons: [Action, string][] = [
      ['retrySelected', 'Retry selected'], ['retryIncomplete', 'Retry all incomplete'], ['cancelSelected', 'Cancel selected running'],
      ['cancelAllRunning', 'Cancel all running'], ['deleteSelected', 'Delete selected'], ['compare', 'Compare'], ['exportCsv', 'Export CSV'], ['exportJson', 'Export JSON'],
    ];
    for (const [action, text] of buttons) {
      const button = document.createElement('vscode-button');
      button.textContent = text;
      button.setAttribute('secondary', '');
      button.dataset.action = action;
      // Which JSON it writes: the CLI's default (`export --format json`); `--details` adds everything `show --json` has.
      if (action === 'exportJson') button.title = 'Each run as `pipeline-studio export --format json` writes it: the run, its links and its block runs (status, timing, outputs). For everything `show --json` has, use `export --format json --details`.';
      button.addEventListener('click', () => this.action(action));
      this.actionButtons.set(action, button);
      actions.append(button);
    }
    this.selection = div('selection');
    actions.append(this.selection);
    root.append(bar, filters, this.metrics);
    this.chart = new DurationChart(root);
    root.append(actions);
    this.table = new RunTable(root, {
      sort: (field) => this.setSort(field),
      need: (offset, limit) => this.post({ type: 'window', generation: this.generation, offset, limit }),
      open: (row, target) => this.post({ type: 'open', runId: row.id, target }),
      selectionChanged: () => this.showSelection(),
      selectAll: () => this.post({ type: 'selectAll' }),
    });
    this.input.addEventListener('input', () => {
      this.complete();
      clearTimeout(this.typing);
      this.typing = setTimeout(() => this.send(), QUERY_DEBOUNCE_MS);
    });
    this.input.addEventListener('keydown', (event) => this.inputKey(event));
    this.input.addEventListener('blur', () => setTimeout(() => this.hideSuggestions(), 150));
    setInterval(() => this.table.tick(), 1000);
    new MutationObserver(() => this.chart.restyle()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.showSelection();
  }

  start(): void {
    this.post({ type: 'ready' });
  }

  receive(raw: unknown): void {
    const message = raw as HostMessage;
    switch (message.type) {
      case 'init':
        this.completions = message.completions;
        this.sort = message.sort;
        this.input.value = message.query;
        this.fillQuick();
        this.table.setSort(this.sort);
        this.send(true);
        break;
      case 'result':
        if (message.generation !== this.generation) return;
        this.showProblem(message.problem);
        if (message.problem !== undefined) return;
        this.total = message.total;
        this.showMetrics(message.metrics);
        this.chart.show(message.chart);
        this.table.reset(message.total, message.generation !== this.liveGeneration, message.rows);
        this.liveGeneration = message.generation;
        this.showSelection();
        break;
      case 'rows':
        if (message.generation === this.generation) this.table.addRows(message.offset, message.rows);
        break;
      case 'changed':
        this.send(true, true);
        break;
      case 'notice':
        this.selection.textContent = message.text;
        break;
      case 'select':
        this.table.selectIds(message.runIds);
        break;
    }
  }

  /** The generation whose result the table shows: a live refresh keeps scroll and selection. */
  private liveGeneration = -1;

  private send(force = false, live = false): void {
    const query = this.input.value;
    const key = `${query}\u0000${this.sort.field}:${this.sort.direction}`;
    if (!force && key === this.lastSent) return;
    this.lastSent = key;
    this.generation++;
    if (live) this.liveGeneration = this.generation;
    this.post({ type: 'query', query, sort: this.sort });
  }

  private setSort(field: SortField): void {
    this.sort = { field, direction: this.sort.field === field && this.sort.direction === 'desc' ? 'asc' : 'desc' };
    this.table.setSort(this.sort);
    this.send();
  }

  private action(action: Action): void {
    const all = this.table.selected.size === 0 && (action === 'exportCsv' || action === 'exportJson');
    this.post({ type: 'action', action, runIds: [...this.table.selected], all: all || action === 'retryIncomplete' || action === 'cancelAllRunning' });
  }

  private showSelection(): void {
    const n = this.table.selected.size;
    this.selection.textContent = n === 0 ? `${this.total.toLocaleString()} runs (export takes all of them)` : `${n} selected of ${this.total.toLocaleString()}`;
    for (const action of ['retrySelected', 'cancelSelected', 'deleteSelected'] as const) this.actionButtons.get(action)?.toggleAttribute('disabled', n === 0);
    this.actionButtons.get('compare')?.toggleAttribute('disabled', n < 2 || n > 5);
  }

  private showMetrics(metrics: Metrics | undefined): void {
    if (metrics === undefined) return;
    const pct = (v: number | undefined): string => (v === undefined ? '-' : `${(v * 100).toFixed(1)}%`);
    const ms = (v: number | undefined): string => (v === undefined ? '-' : formatMs(v));
    const items: [string, string][] = [
      ['Runs', metrics.runs.toLocaleString()], ['Success rate', pct(metrics.successRate)], ['Failure rate', pct(metrics.failureRate)],
      ['Average', ms(metrics.averageMs)], ['p95', ms(metrics.p95Ms)], ['Runs per day', metrics.runsPerDay.toFixed(1)],
    ];
    this.metrics.replaceChildren(...items.map(([name, value]) => {
      const item = div('metric');
      const v = div('value');
      v.textContent = value;
      const n = div('name');
      n.textContent = name;
      item.append(v, n);
      item.setAttribute('aria-label', `${name}: ${value}`);
      return item;
    }));
  }

  private showProblem(problem: QueryProblem | undefined): void {
    this.input.classList.toggle('invalid', problem !== undefined);
    this.input.setAttribute('aria-invalid', String(problem !== undefined));
    this.problem.textContent = problem === undefined ? '' : `Column ${problem.column}: ${problem.message}`;
  }

  private fillQuick(): void {
    const values: Record<(typeof QUICK_KEYS)[number], string[]> = {
      pipeline: this.completions.pipelines, status: this.completions.statuses, trigger: this.completions.triggers, branch: this.completions.branches,
    };
    for (const key of QUICK_KEYS) {
      const select = this.quick.get(key);
      if (select === undefined) continue;
      select.replaceChildren(option('', `any ${key}`), ...values[key].map((v) => option(v, v)));
    }
  }

  /** A quick filter replaces its key's term in the query (so the query stays the one truth). */
  private applyQuick(key: string, value: string): void {
    const without = this.input.value.replace(new RegExp(`(^|\\s)${key}:("[^"]*"|\\S)*`, 'gi'), ' ').replace(/\s+/g, ' ').trim();
    const term = value === '' ? '' : `${key}:${/[\s"(),]/.test(value) ? `"${value.replaceAll('"', '\\"')}"` : value}`;
    this.input.value = [without, term].filter((s) => s !== '').join(' ');
    this.send();
  }

  private applyDates(): void {
    const without = this.input.value.replace(/(^|\s)date:\S+(\s+TO\s+\S+)?/gi, ' ').replace(/\s+/g, ' ').trim();
    const from = this.dateFrom.value;
    const to = this.dateTo.value;
    const term = from !== '' && to !== '' ? `date:${from} TO ${to}` : from !== '' ? `date:>=${from}` : to !== '' ? `date:<=${to}` : '';
    this.input.value = [without, term].filter((s) => s !== '').join(' ');
    this.send();
  }

  private complete(): void {
    const found = suggest(this.input.value, this.input.selectionStart ?? this.input.value.length, this.completions);
    this.items = found.items.slice(0, 12);
    this.span = { start: found.start, end: found.end };
    this.active = -1;
    this.suggestions.replaceChildren(...this.items.map((item, i) => {
      const entry = div('suggestion');
      entry.id = `suggestion-${i}`;
      entry.setAttribute('role', 'option');
      entry.textContent = item.label;
      entry.addEventListener('mousedown', (event) => {
        event.preventDefault();
        this.accept(i);
      });
      return entry;
    }));
    this.suggestions.classList.toggle('open', this.items.length > 0);
    this.input.setAttribute('aria-expanded', String(this.items.length > 0));
  }

  private inputKey(event: KeyboardEvent): void {
    const open = this.items.length > 0 && this.suggestions.classList.contains('open');
    if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      this.active = (this.active + (event.key === 'ArrowDown' ? 1 : -1) + this.items.length) % this.items.length;
      [...this.suggestions.children].forEach((c, i) => c.classList.toggle('active', i === this.active));
      this.input.setAttribute('aria-activedescendant', `suggestion-${this.active}`);
      event.preventDefault();
    } else if (open && (event.key === 'Tab' || (event.key === 'Enter' && this.active >= 0))) {
      this.accept(Math.max(0, this.active));
      event.preventDefault();
    } else if (event.key === 'Escape') {
      this.hideSuggestions();
    } else if (event.key === 'Enter') {
      clearTimeout(this.typing);
      this.hideSuggestions();
      this.send();
    }
  }

  private accept(index: number): void {
    const item = this.items[index];
    if (item === undefined) return;
    const value = this.input.value;
    this.input.value = value.slice(0, this.span.start) + item.insert + value.slice(this.span.end);
    const caret = this.span.start + item.insert.length;
    this.input.setSelectionRange(caret, caret);
    this.hideSuggestions();
    if (item.insert.endsWith(':')) this.complete();
    else this.send();
  }

  private hideSuggestions(): void {
    this.items = [];
    this.suggestions.classList.remove('open');
    this.input.setAttribute('aria-expanded', 'false');
  }

  private post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }
}

function div(className: string): HTMLDivElement {
  const element = document.createElement('div');
  element.className = className;
  return element;
}

function option(value: string, text: string): HTMLOptionElement {
  const element = document.createElement('option');
  element.value = value;
  element.textContent = text;
  return element;
}

function dateInput(name: string): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'date';
  input.setAttribute('aria-label', name);
  return input;
}

function label(text: string, control: HTMLElement): HTMLLabelElement {
  const element = document.createElement('label');
  element.append(document.createTextNode(`${text} `), control);
  return element;
}

export type { Row };
