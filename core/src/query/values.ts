import { parseDuration } from '../util/duration.ts';
import type { Comparison, Compared } from './ast.ts';
import { QueryError } from './errors.ts';

// The values of terms: comparisons, dates and durations, each with an error that says what was expected.

const COMPARISON = /^(!=|>=|<=|=|>|<)/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function toCompared(op: Comparison, text: string): Compared {
  return { op, text, number: NUMBER.test(text.trim()) ? Number(text.trim()) : undefined };
}

/** `>=5m` → ['>=', '5m']; no operator → undefined. */
export function splitComparison(raw: string): [Comparison, string] | undefined {
  const match = COMPARISON.exec(raw);
  return match === null ? undefined : [match[1] as Comparison, raw.slice(match[1]?.length ?? 0)];
}

export const DAY_MS = 86_400_000;
const RELATIVE = /^-(\d+)(m|h|d|w)$/;
const RELATIVE_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

/**
 * A point or span of time: a day (`2026-01-31`, `today`, `yesterday`; local time) is [its start, the
 * next day's start); an instant (ISO time, `-7d`, `-12h`) is [it, it].
 */
export function parseTime(text: string, now: number, column: number): { start: number; end: number } {
  const lower = text.toLowerCase();
  if (lower === 'today' || lower === 'yesterday') {
    const day = new Date(now);
    day.setHours(0, 0, 0, 0);
    if (lower === 'yesterday') day.setDate(day.getDate() - 1);
    return dayOf(day);
  }
  const relative = RELATIVE.exec(lower);
  if (relative !== null) {
    const at = now - Number(relative[1]) * (RELATIVE_MS[relative[2] ?? 'd'] ?? DAY_MS);
    return { start: at, end: at };
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day !== null) {
    const date = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    if (date.getMonth() !== Number(day[2]) - 1 || date.getDate() !== Number(day[3])) throw new QueryError(`'${text}' is not a date in the calendar.`, column, text.length);
    return dayOf(date);
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) {
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return { start: at, end: at };
  }
  throw new QueryError(
    `'${text}' is not a time; expected a date (2026-01-31), an ISO time (2026-01-31T14:00), today, yesterday, or an age like -7d, -12h, -30m, -2w.`,
    column, Math.max(1, text.length),
  );
}

function dayOf(date: Date): { start: number; end: number } {
  const next = new Date(date);
  next.setDate(next.getDate() + 1);
  return { start: date.getTime(), end: next.getTime() };
}

/** `date:` values: `A TO B`, `>A`, `>=A`, `<A`, `<=A`, or `A` (that day, or since that instant). */
export function parseDateRange(raw: string, upto: { text: string; column: number } | undefined, now: number, column: number): { from: number | undefined; to: number | undefined } {
  if (upto !== undefined) {
    const from = parseTime(raw, now, column);
    const to = parseTime(upto.text, now, upto.column);
    return { from: from.start, to: to.end === to.start ? to.end + 1 : to.end };
  }
  const compared = splitComparison(raw);
  if (compared === undefined) {
    const at = parseTime(raw, now, column);
    return { from: at.start, to: at.end === at.start ? undefined : at.end };
  }
  const [op, rest] = compared;
  const at = parseTime(rest, now, column + op.length);
  const instant = at.end === at.start;
  switch (op) {
    case '>': return { from: instant ? at.start + 1 : at.end, to: undefined };
    case '>=': return { from: at.start, to: undefined };
    case '<': return { from: undefined, to: at.start };
    case '<=': return { from: undefined, to: instant ? at.start + 1 : at.end };
    case '=': return { from: at.start, to: instant ? at.start + 1 : at.end };
    case '!=': throw new QueryError("date: does not take '!='; write -date:… to exclude a range.", column, 2);
  }
}

/** `duration:` values: `>5m`, `<=90s`, … (durations as in the pipeline format). */
export function parseDurationTerm(raw: string, column: number): { op: Exclude<Comparison, '!='>; ms: number } {
  const compared = splitComparison(raw);
  if (compared === undefined || compared[0] === '!=' || compared[0] === '=') {
    throw new QueryError(`duration: expects a comparison and a duration, like duration:>5m or duration:<=90s${raw === '' ? '' : `, not '${raw}'`}.`, column, Math.max(1, raw.length));
  }
  const [op, rest] = compared;
  const parsed = parseDuration(rest);
  if ('error' in parsed || rest.trim() === '' || /^\d+(\.\d+)?$/.test(rest)) {
    throw new QueryError(`'${rest}' is not a duration; write it like 90s, 5m, 1h30m or 250ms.`, column + op.length, Math.max(1, rest.length));
  }
  return { op: op, ms: parsed.ms };
}
