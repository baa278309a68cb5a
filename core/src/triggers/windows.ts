import type { TimeWindow } from '../model/triggers.ts';
import { zonedToInstant } from '../util/zonedTime.ts';

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FULL_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** `09:00-17:30` → minutes of the day; `22:00-06:00` spans midnight. */
export function parseWindow(text: string): TimeWindow | { error: string } {
  const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (m === null) return { error: `\`between\` is a daily window written HH:MM-HH:MM (like 09:00-17:30), not '${text}'.` };
  const [start, end] = [[m[1], m[2]], [m[3], m[4]]].map(([h, min]) => ({ h: Number(h), m: Number(min) }));
  for (const t of [start, end]) {
    if (t === undefined || t.h > 24 || t.m > 59 || (t.h === 24 && t.m > 0)) return { error: `'${text}' is not a window of the day: hours go from 00 to 24 (24:00 only as an end), minutes from 00 to 59.` };
  }
  const startMinute = (start?.h ?? 0) * 60 + (start?.m ?? 0);
  const endMinute = (end?.h ?? 0) * 60 + (end?.m ?? 0);
  if (startMinute === 1440) return { error: `The window '${text}' starts at 24:00; write 00:00.` };
  if (startMinute === endMinute % 1440 && !(startMinute === 0 && endMinute === 1440)) return { error: `The window '${text}' is empty: it ends when it starts.` };
  return { startMinute, endMinute };
}

function dayIndex(name: string): number | undefined {
  const lower = name.trim().toLowerCase();
  const short = DAY_NAMES.indexOf(lower);
  if (short !== -1) return short;
  const full = FULL_DAY_NAMES.indexOf(lower);
  return full === -1 ? undefined : full;
}

/** `mon-fri`, `sat,sun`, `fri-mon` (wrapping), or a list of such items, into days 0 (Sunday) to 6. */
export function parseDays(items: readonly string[]): Set<number> | { error: string } {
  const days = new Set<number>();
  for (const item of items) {
    for (const part of item.split(',')) {
      const range = part.split('-');
      const ends = range.map(dayIndex);
      const [from, to] = ends;
      if (range.length > 2 || from === undefined || (range.length === 2 && to === undefined)) {
        return { error: `'${part.trim()}' is not a day or a range of days; use sun, mon, tue, wed, thu, fri, sat, like mon-fri or sat,sun.` };
      }
      for (let d = from; ; d = (d + 1) % 7) {
        days.add(d);
        if (d === (to ?? from)) break;
      }
    }
  }
  if (days.size === 0) return { error: '`days` names no day; use mon-fri, sat,sun or a list of day names.' };
  return days;
}

/**
 * `2026-12-24T18:00:00Z`, `2026-12-24T18:00+01:00`, or without an offset (`2026-12-24 18:00`),
 * which is read in `zone`.
 */
export function parseAt(text: string, zone: string): number | { error: string } {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i.exec(text);
  const invalid = { error: `\`at\` is a date and time in ISO 8601, like 2026-12-24T18:00:00Z or 2026-12-24T18:00 (in \`timezone\`), not '${text}'.` };
  if (m === null) return invalid;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return { error: `'${text.trim()}' is not a real date and time.` };
  }
  const offset = m[7];
  if (offset === undefined) return zonedToInstant(year, month, day, hour, minute, zone, second);
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  if (offset.toUpperCase() === 'Z') return local;
  const o = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (o === null) return invalid;
  const ms = (Number(o[2]) * 60 + Number(o[3])) * 60_000;
  return o[1] === '+' ? local - ms : local + ms;
}
