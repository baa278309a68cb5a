import type { GraphBlockStatus, GraphPlanAction } from '../protocol.ts';

// Glyphs instead of codicons: the webview loads no font, and the CSP allows only our own script
// and styles. Colours come from the same theme colours as the Runs tree's icons (see status.css).
const GLYPHS: Record<GraphBlockStatus, string> = {
  initial: '○',
  queued: '◷',
  running: '↻',
  completed: '✓',
  failed: '✕',
  cancelled: '⊘',
  upstream_failed: '↑',
  condition_failed: '⊽',
  cached: '≡',
  skipped: '↷',
};

const WORDS: Record<GraphBlockStatus, string> = {
  initial: 'not started',
  queued: 'queued',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  upstream_failed: 'upstream failed',
  condition_failed: 'condition false',
  cached: 'cached',
  skipped: 'skipped',
};

export const PLAN_WORDS: Record<GraphPlanAction | 'disabled', string> = {
  run: 'would run',
  cached: 'cached',
  skipped: 'skipped',
  condition_failed: 'skipped by condition',
  fail: 'would fail',
  disabled: 'disabled',
};

export function statusGlyph(status: GraphBlockStatus | undefined): string {
  return status === undefined ? '' : GLYPHS[status];
}

export function statusWord(status: GraphBlockStatus | undefined): string {
  return status === undefined ? 'no run' : WORDS[status];
}

/** `350ms`, `4.2s`, `42s`, `2m 03s`, `1h 02m`, as the Runs tree shows durations. */
export function formatDuration(ms: number): string {
  const value = Math.max(0, ms);
  if (value < 1000) return `${Math.round(value)}ms`;
  if (value < 10_000) return `${(Math.floor(value / 100) / 10).toFixed(1)}s`;
  const seconds = Math.floor(value / 1000);
  if (seconds < 60) return `${seconds}s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${pad(Math.floor((seconds % 3600) / 60))}m`;
}
