import type { GraphBlockStatus, GraphPlanAction } from '../protocol.ts';
import { statusStyle } from '../../../core/src/model/status.ts';

// Glyphs instead of codicons: the webview loads no font, and the CSP allows only our own script
// and styles. Words, glyphs and colours are core's status table, as in the Runs tree and the CLI.

export const PLAN_WORDS: Record<GraphPlanAction | 'disabled', string> = {
  run: 'would run',
  cached: 'cached',
  skipped: 'skipped',
  condition_failed: 'skipped by condition',
  fail: 'would fail',
  disabled: 'disabled',
};

export function statusGlyph(status: GraphBlockStatus | undefined): string {
  return status === undefined ? '' : statusStyle(status).glyph;
}

export function statusWord(status: GraphBlockStatus | undefined): string {
  return status === undefined ? 'no run' : statusStyle(status).label;
}

/** The CSS value of the status colour (a theme variable), set as the node's `--status`. */
export function statusColor(status: GraphBlockStatus): string {
  return statusStyle(status).cssColor;
}

