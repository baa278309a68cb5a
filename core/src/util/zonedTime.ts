/**
 * Wall-clock time in an IANA zone, with Intl only: what triggers need to place `between` windows,
 * `days` and offset-less `at` times in their `timezone`.
 */

export interface WallClock {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const DAY_MS = 86_400_000;

/** The machine's zone, as the runner and `cron` without `timezone` use it. */
export function localTimeZone(): string {
  // Asked for every trigger read; resolving it builds a formatter each time. Kept per TZ, which is what changes it.
  const tz = process.env.TZ;
  if (localZone === undefined || localZone.tz !== tz) localZone = { tz, zone: Intl.DateTimeFormat().resolvedOptions().timeZone };
  return localZone.zone;
}

let localZone: { tz: string | undefined; zone: string } | undefined;

export function isValidTimeZone(zone: string): boolean {
  if (zone.trim() === '' || zone !== zone.trim()) return false;
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

export function wallClock(instant: number, zone: string): WallClock {
  const parts = formatterOf(zone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '0';
  return {
    year: Number(get('year')), month: Number(get('month')), day: Number(get('day')),
    hour: Number(get('hour')) % 24, minute: Number(get('minute')), second: Number(get('second')), weekday: WEEKDAYS[get('weekday')] ?? 0,
  };
}

/** Milliseconds the zone is ahead of UTC at `instant`. */
export function zoneOffset(instant: number, zone: string): number {
  const w = wallClock(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time happens in the zone. Of a time that happens twice (clocks set
 * back), the first; a time skipped by clocks set forward is read with the offset before the jump,
 * so 02:30 on a night that jumps from 02:00 to 03:00 is 03:30 (as cron-parser places it).
 */
export function zonedToInstant(year: number, month: number, day: number, hour: number, minute: number, zone: string, second = 0): number {
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const before = zoneOffset(local - DAY_MS, zone);
  const after = zoneOffset(local + DAY_MS, zone);
  const matches = [...new Set([before, after])]
    .map((offset) => local - offset)
    .filter((instant) => {
      const w = wallClock(instant, zone);
      return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) === local;
    });
  return matches.length > 0 ? Math.min(...matches) : local - before;
}

/** The calendar day after (or `n` days after) a wall-clock date, as year/month/day. */
export function addDays(year: number, month: number, day: number, n: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(year, month - 1, day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
