// The executions dashboard's messages, both ways (host: client/src/dashboard, webview: here).
// The webview asks for windows of rows as it scrolls: 100,000 runs never cross the bridge at once.

/** Rows a window asks for; the result of a query carries its first window (one message less before rows show). */
export const WINDOW_ROWS = 200;

export const SORT_FIELDS = ['id', 'pipeline', 'status', 'trigger', 'started', 'duration', 'blocks'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export interface Sort {
  field: SortField;
  direction: 'asc' | 'desc';
}

export const ACTIONS = ['retrySelected', 'retryIncomplete', 'cancelSelected', 'cancelAllRunning', 'deleteSelected', 'exportCsv', 'exportJson', 'compare'] as const;
export type Action = (typeof ACTIONS)[number];
export const OPEN_TARGETS = ['log', 'file', 'graph'] as const;
export type OpenTarget = (typeof OPEN_TARGETS)[number];

/** One run as a row: everything preformatted but times (relative times change as the clock runs). */
export interface Row {
  id: number;
  pipeline: string;
  file: string;
  status: string;
  statusLabel: string;
  /** Codicon-free glyph and theme colour (CSS value) from the status table. */
  glyph: string;
  color: string;
  running: boolean;
  trigger: string;
  startedAt: number;
  finishedAt: number | undefined;
  blocksDone: number;
  blocksTotal: number;
  blocksFailed: number;
  commit: string | undefined;
  branch: string | undefined;
  dirty: boolean;
  /** `k=v k2=v2`, shortened. */
  variables: string;
}

export interface Metrics {
  runs: number;
  successRate: number | undefined;
  failureRate: number | undefined;
  averageMs: number | undefined;
  p95Ms: number | undefined;
  runsPerDay: number;
}

/** Duration per run for the chart, oldest first (the newest few thousand runs of the query). */
export interface ChartData {
  starts: number[];
  durations: (number | null)[];
  statuses: string[];
}

/** What the query box completes: keys come from the webview; values from the store. */
export interface Completions {
  pipelines: string[];
  branches: string[];
  variables: string[];
  statuses: string[];
  triggers: string[];
  blocks: string[];
}

export interface QueryProblem {
  message: string;
  column: number;
  length: number;
}

export type HostMessage =
  | { type: 'init'; query: string; sort: Sort; completions: Completions; storePath: string | undefined }
  /** The query's result: total rows, metrics and chart; rows then come by window. `problem`: the query cannot be read. */
  | { type: 'result'; generation: number; total: number; metrics: Metrics | undefined; chart: ChartData | undefined; problem: QueryProblem | undefined; rows?: Row[] }
  | { type: 'rows'; generation: number; offset: number; rows: Row[] }
  /** The store changed (a run progressed or a new one started): windows are asked for again. */
  | { type: 'changed' }
  | { type: 'notice'; text: string }
  | { type: 'select'; runIds: number[] };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'query'; query: string; sort: Sort }
  | { type: 'window'; generation: number; offset: number; limit: number }
  /** `all`: every run matching the query, not just `runIds`. */
  | { type: 'action'; action: Action; runIds: number[]; all: boolean }
  | { type: 'open'; runId: number; target: OpenTarget }
  /** Ctrl+A: every run the query matches, not only the rows loaded (the host answers with `select`). */
  | { type: 'selectAll' };
