import type { Completions } from './protocol.ts';

// Completion for the query box: keys at the start of a word, values after `key:`. Pure, so it is unit-tested.

export const KEYS = ['pipeline', 'status', 'trigger', 'branch', 'commit', 'dirty', 'var', 'property', 'block', 'date', 'duration', 'error'] as const;

export interface Suggestion {
  /** What replaces the word being typed. */
  insert: string;
  label: string;
}

/** The word being typed at `caret`, and what could complete it. */
export function suggest(text: string, caret: number, values: Completions): { start: number; end: number; items: Suggestion[] } {
  let start = caret;
  while (start > 0 && !/[\s()]/.test(text[start - 1] ?? '')) start--;
  let end = caret;
  while (end < text.length && !/[\s()]/.test(text[end] ?? '')) end++;
  const word = text.slice(start, caret).replace(/^-/, '');
  const negated = text[start] === '-' ? '-' : '';
  const colon = word.indexOf(':');
  if (colon < 0) {
    const items = KEYS.filter((k) => k.startsWith(word.toLowerCase()) && word.length > 0).map((k) => ({ insert: `${negated}${k}:`, label: `${k}:` }));
    return { start, end, items };
  }
  const key = word.slice(0, colon).toLowerCase();
  const typed = word.slice(colon + 1);
  // A list (`status:failed,can`) completes its last item.
  const comma = typed.lastIndexOf(',');
  const head = comma < 0 ? '' : typed.slice(0, comma + 1);
  const last = typed.slice(comma + 1).replace(/^"/, '').toLowerCase();
  const pool: Record<string, readonly string[]> = {
    pipeline: values.pipelines, status: values.statuses, trigger: values.triggers, branch: values.branches,
    var: values.variables, property: [], block: values.blocks, dirty: ['true', 'false'],
    date: ['today', 'yesterday', '-1h', '-24h', '-7d', '-30d'], duration: ['>1m', '>5m', '>30m', '<10s'],
  };
  const items = (pool[key] ?? [])
    .filter((v) => v.toLowerCase().startsWith(last) && v.toLowerCase() !== last)
    .slice(0, 50)
    .map((v) => ({ insert: `${negated}${key}:${head}${/[\s"(),]/.test(v) ? `"${v.replaceAll('"', '\\"')}"` : v}${key === 'var' ? '' : ''}`, label: v }));
  return { start, end, items };
}
