const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * Parses `90s`, `5m`, `1h30m`, `250ms`, `1d`, or a number of seconds, into milliseconds.
 * Returns an error message for anything else, since durations come from users' hands.
 */
export function parseDuration(value: unknown): { ms: number } | { error: string } {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return { error: `A duration must be a non-negative number of seconds, not ${String(value)}.` };
    return { ms: Math.round(value * 1000) };
  }
  if (typeof value !== 'string') return { error: 'A duration is a number of seconds or a string like 90s, 5m, 1h30m or 250ms.' };
  const text = value.trim();
  if (text === '') return { error: 'A duration cannot be empty; write it like 90s, 5m, 1h30m or 250ms.' };
  let total = 0;
  PART.lastIndex = 0;
  let at = 0;
  const seen = new Set<string>();
  while (at < text.length) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (!m) return { error: `'${value}' is not a duration; write it like 90s, 5m, 1h30m or 250ms.` };
    const unit = m[2] ?? 's';
    if (seen.has(unit)) return { error: `'${value}' repeats the unit '${unit}'.` };
    seen.add(unit);
    total += Number(m[1]) * (UNIT_MS[unit] ?? 1000);
    at = PART.lastIndex;
  }
  return { ms: Math.round(total) };
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return h > 0 ? `${h}h${m > 0 ? `${m}m` : ''}` : `${m}m${s > 0 ? `${s}s` : ''}`;
}

/**
 * `350ms`, `4.2s`, `42s`, `2m 03s`, `1h 02m`: stable widths, so a column of runs reads at a glance.
 * The Runs tree and the graph both show durations this way.
 */
export function formatElapsed(ms: number): string {
  const value = Math.max(0, ms);
  if (value < 1000) return `${Math.round(value)}ms`;
  if (value < 10_000) return `${(Math.floor(value / 100) / 10).toFixed(1)}s`;
  const seconds = Math.floor(value / 1000);
  if (seconds < 60) return `${seconds}s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${pad(Math.floor((seconds % 3600) / 60))}m`;
}
