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

