import type { BlockStatus, RunStatus } from '../store/types.ts';

// The one table of run and block-run statuses: what people read, the icon and colour of the Runs
// tree, the graph and the debugger, and whether the status is final. The CLI, the extension and the
// webview all read it (it has no imports at run time, so the webview bundles it too).

export interface StatusStyle {
  /** The words shown for it (the stored value stays the id: `upstream_failed`). */
  label: string;
  /** A codicon id (`sync~spin` animates). */
  codicon: string;
  /** A theme colour id, so that icons follow the user's theme. */
  themeColor: string | undefined;
  /** The same colour as a webview's CSS value (VS Code sets `--vscode-<id with - for .>` there). */
  cssColor: string;
  /** A text glyph, for places with no icon font (the graph's webview, the CLI). */
  glyph: string;
  /** Nothing more happens to it: a run or block run with this status has ended. */
  final: boolean;
}

/** Run statuses, in the order they are offered (filters, `--status`). */
export const RUN_STATUSES = ['initial', 'running', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'] as const satisfies readonly RunStatus[];

/** Block-run statuses, in the order counts are listed: what went well, what went wrong, what did not run. */
export const BLOCK_STATUSES = [
  'completed', 'cached', 'failed', 'running', 'paused', 'waiting', 'queued', 'initial', 'cancelled', 'upstream_failed', 'condition_failed', 'skipped',
] as const satisfies readonly BlockStatus[];

// Fails to compile when the store's types gain a status the lists above do not have.
type AllListed<T, Listed> = [Exclude<T, Listed>] extends [never] ? true : false;
export const EVERY_STATUS_LISTED: [AllListed<RunStatus, (typeof RUN_STATUSES)[number]>, AllListed<BlockStatus, (typeof BLOCK_STATUSES)[number]>] = [true, true];

function style(label: string, codicon: string, themeColor: string | undefined, glyph: string, final: boolean): StatusStyle {
  const cssColor = themeColor === undefined ? 'var(--vscode-foreground)' : `var(--vscode-${themeColor.replaceAll('.', '-')})`;
  return { label, codicon, themeColor, cssColor, glyph, final };
}

const STATUSES: Readonly<Record<RunStatus | BlockStatus, StatusStyle>> = {
  initial: style('initial', 'circle-outline', 'testing.iconQueued', '○', false),
  queued: style('queued', 'clock', 'testing.iconQueued', '◷', false),
  running: style('running', 'sync~spin', 'charts.blue', '↻', false),
  // A paused run starts nothing new; a paused block was frozen by "pause now" (SIGSTOP).
  paused: style('paused', 'debug-pause', 'charts.yellow', '⏸', false),
  // Held at an approval gate until someone approves or rejects it.
  waiting: style('waiting for approval', 'person', 'charts.yellow', '⧖', false),
  completed: style('completed', 'pass', 'testing.iconPassed', '✓', true),
  failed: style('failed', 'error', 'testing.iconFailed', '✕', true),
  cancelled: style('cancelled', 'circle-slash', 'charts.orange', '⊘', true),
  interrupted: style('interrupted', 'debug-disconnect', 'charts.orange', '⚡', true),
  upstream_failed: style('upstream failed', 'arrow-circle-up', 'testing.iconFailed', '↑', true),
  condition_failed: style('condition false', 'filter', 'disabledForeground', '⊽', true),
  cached: style('cached', 'database', 'testing.iconPassed', '≡', true),
  skipped: style('skipped', 'debug-step-over', 'disabledForeground', '↷', true),
};

/** A status written by a newer engine (or read from a newer store) still renders, as itself. */
function unknownStatus(status: string): StatusStyle {
  return style(status, 'question', undefined, '?', true);
}

export function statusStyle(status: RunStatus | BlockStatus): StatusStyle {
  return (Object.hasOwn(STATUSES, status) ? STATUSES[status] : undefined) ?? unknownStatus(String(status));
}

export function statusLabel(status: RunStatus | BlockStatus): string {
  return statusStyle(status).label;
}

export function isFinalStatus(status: RunStatus | BlockStatus): boolean {
  return statusStyle(status).final;
}

/** A run that ended badly enough that retrying it re-runs something. */
export function isRetryableRun(status: RunStatus): boolean {
  return status === 'failed' || status === 'cancelled' || status === 'interrupted';
}

export const FINISHED_RUN_STATUSES: readonly RunStatus[] = RUN_STATUSES.filter(isFinalStatus);
export const FINISHED_BLOCK_STATUSES: readonly BlockStatus[] = BLOCK_STATUSES.filter(isFinalStatus);

/** `4 completed`, `1 upstream failed`, … in the table's order, for the statuses that occur. */
export function statusCounts(counts: Partial<Record<BlockStatus, number>>): string[] {
  return BLOCK_STATUSES.filter((status) => (counts[status] ?? 0) > 0).map((status) => `${counts[status]} ${statusLabel(status)}`);
}
