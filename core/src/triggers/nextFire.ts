import { CronExpressionParser } from 'cron-parser';
import type { TriggerDef } from '../model/triggers.ts';
import { addDays, localTimeZone, wallClock, zonedToInstant } from '../util/zonedTime.ts';

/** The part of a trigger that decides when it fires by the clock. */
export type TimedTrigger = Pick<TriggerDef, 'kind' | 'cron' | 'everyMs' | 'atMs' | 'minGapMs' | 'timezone' | 'window' | 'days'>;

/** What the clock-driven kinds need to know about the pipeline's runs. */
export interface RunState {
  /** An `always` trigger waits for the run in flight to end. */
  running?: boolean;
  /** When the previous run of the pipeline ended (for `always` and its `min_gap`). */
  lastEndedAt?: number;
}

const DAY_MS = 86_400_000;
const WALL_MARGIN_MS = 3 * 3_600_000;
/** How far ahead a trigger is searched before it is declared never to fire again. */
export const HORIZON_DAYS = 5 * 366;

/**
 * The first fire strictly after `after` (epoch ms), or undefined when the trigger never fires by
 * the clock again (`files`, `after`, an `at` in the past, a window no fire falls in). Pure: the
 * caller gives the instant, so that tests and `schedule --list` can ask from any moment.
 */
export function nextFireAfter(trigger: TimedTrigger, after: number, state: RunState = {}, horizonDays = HORIZON_DAYS): number | undefined {
  const zone = trigger.timezone ?? localTimeZone();
  switch (trigger.kind) {
    case 'cron':
      return trigger.cron === undefined ? undefined : nextCron(trigger.cron, trigger, zone, after, horizonDays);
    case 'every':
      return trigger.everyMs === undefined ? undefined : nextEvery(trigger.everyMs, trigger, zone, after);
    case 'at':
      return trigger.atMs !== undefined && trigger.atMs > after && isAllowed(trigger, zone, trigger.atMs) ? trigger.atMs : undefined;
    case 'always': {
      if (state.running === true) return undefined;
      const earliest = Math.max(after + 1, (state.lastEndedAt ?? Number.NEGATIVE_INFINITY) + trigger.minGapMs);
      return nextAllowed(trigger, zone, earliest);
    }
    default:
      return undefined;
  }
}

/** The next `count` fires after `after` (an `always` trigger: only its next one, since later ones wait for runs to end). */
export function nextFires(trigger: TimedTrigger, after: number, count: number, state: RunState = {}): number[] {
  const out: number[] = [];
  let from = after;
  while (out.length < count) {
    const next = nextFireAfter(trigger, from, state);
    if (next === undefined) break;
    out.push(next);
    if (trigger.kind === 'always') break;
    from = next;
  }
  return out;
}

/** The latest tick of a clock trigger in (after, upto], or undefined: the one fire owed after a late wake or a missed stretch. */
export function latestTickUpTo(trigger: TimedTrigger, after: number, upto: number): number | undefined {
  let latest: number | undefined;
  let t = after;
  for (let i = 0; i < 100_000; i++) {
    const next = nextFireAfter(trigger, t);
    if (next === undefined || next > upto) return latest;
    latest = next;
    t = next;
  }
  return latest;
}

/**
 * cron-parser walks fields in UTC correctly (with `L` and `#`), but across DST transitions in a zone
 * it skips whole days (harrisiirak/cron-parser#404). So it walks wall-clock time read as UTC, where
 * `between`/`days` are checked too, and only an accepted wall-clock fire is placed in the zone: a
 * time that happens twice fires once (the first), a time skipped by the clocks going forward fires
 * that much later (02:30 on a 02:00→03:00 night: 03:30).
 */
function nextCron(fields: string, trigger: TimedTrigger, zone: string, after: number, horizonDays: number): number | undefined {
  const w = wallClock(after, zone);
  const wallAfter = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const wallEnd = wallAfter + horizonDays * DAY_MS;
  // Wall clocks move back at most a couple of hours at a transition; start that far behind.
  let cursor = wallAfter - WALL_MARGIN_MS;
  for (let restarts = 0; restarts < 3 * horizonDays + 10; restarts++) {
    let expression;
    try {
      expression = CronExpressionParser.parse(fields, { currentDate: new Date(cursor), tz: 'UTC' });
    } catch {
      return undefined;
    }
    let rejected: number | undefined;
    for (let i = 0; i < 2000 && rejected === undefined; i++) {
      let wall: number;
      try {
        wall = expression.next().getTime();
      } catch {
        return undefined;
      }
      if (wall > wallEnd) return undefined;
      if (!allowedAtWall(trigger, wall)) {
        rejected = wall;
        break;
      }
      const d = new Date(wall);
      const t = zonedToInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), zone, d.getUTCSeconds());
      if (t > after) return t;
    }
    // A fire outside the window moves the walk to the next opening: the walk goes by days, not by fires.
    cursor = rejected === undefined ? cursor + DAY_MS : nextOpeningAtWall(trigger, rejected) - 1;
  }
  return undefined;
}

/** `isAllowed` on a wall-clock time read as UTC. */
function allowedAtWall(trigger: Pick<TimedTrigger, 'window' | 'days'>, wall: number): boolean {
  const d = new Date(wall);
  return allowedAt(trigger, d.getUTCHours() * 60 + d.getUTCMinutes(), d.getUTCDay());
}

/** The first window opening (wall clock read as UTC) after `wall`. */
function nextOpeningAtWall(trigger: Pick<TimedTrigger, 'window' | 'days'>, wall: number): number {
  const dayStart = Math.floor(wall / DAY_MS) * DAY_MS;
  const startMinute = trigger.window?.startMinute ?? 0;
  for (let i = 0; i <= 8; i++) {
    const day = dayStart + i * DAY_MS;
    const opening = day + startMinute * 60_000;
    if (opening > wall && (trigger.days === undefined || trigger.days.has(new Date(day).getUTCDay()))) return opening;
  }
  return dayStart + 8 * DAY_MS;
}

/**
 * `every` without a window: multiples of the interval since the epoch (30m fires at :00 and :30).
 * With `between` or `days`: from the start of each allowed day's window, until the window closes.
 */
function nextEvery(interval: number, trigger: TimedTrigger, zone: string, after: number): number | undefined {
  if (trigger.window === undefined && trigger.days === undefined) return (Math.floor(after / interval) + 1) * interval;
  for (const window of windowsFrom(trigger, zone, after)) {
    const n = after < window.start ? 0 : Math.floor((after - window.start) / interval) + 1;
    const t = window.start + n * interval;
    if (t < window.end) return t;
  }
  return undefined;
}

/** The first instant at or after `t` when the trigger may fire. */
function nextAllowed(trigger: TimedTrigger, zone: string, t: number): number | undefined {
  if (isAllowed(trigger, zone, t)) return t;
  for (const window of windowsFrom(trigger, zone, t)) {
    if (window.end > t) return Math.max(window.start, t);
  }
  return undefined;
}

/** Whether `t` is inside the trigger's window on an allowed day. */
export function isAllowed(trigger: Pick<TimedTrigger, 'window' | 'days'>, zone: string, t: number): boolean {
  if (trigger.window === undefined && trigger.days === undefined) return true;
  const w = wallClock(t, zone);
  return allowedAt(trigger, w.hour * 60 + w.minute, w.weekday);
}

/** A window spanning midnight belongs to the day it opens. */
function allowedAt(trigger: Pick<TimedTrigger, 'window' | 'days'>, minute: number, weekday: number): boolean {
  let day = weekday;
  const window = trigger.window;
  if (window !== undefined) {
    const overnight = window.endMinute < window.startMinute;
    const inside = overnight ? minute >= window.startMinute || minute < window.endMinute : minute >= window.startMinute && minute < window.endMinute;
    if (!inside) return false;
    if (overnight && minute < window.endMinute) day = (day + 6) % 7;
  }
  return trigger.days === undefined || trigger.days.has(day);
}

interface Interval {
  start: number;
  end: number;
}

/** The allowed windows as instants, day by day from the day before `t` (an overnight window may still be open). */
function* windowsFrom(trigger: TimedTrigger, zone: string, t: number): Generator<Interval> {
  const startMinute = trigger.window?.startMinute ?? 0;
  const endMinute = trigger.window?.endMinute ?? 1440;
  const spanDays = endMinute <= startMinute ? 1 : 0;
  const first = wallClock(t, zone);
  for (let i = -1; i <= HORIZON_DAYS; i++) {
    const day = addDays(first.year, first.month, first.day, i);
    const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
    if (trigger.days !== undefined && !trigger.days.has(weekday)) continue;
    const start = zonedToInstant(day.year, day.month, day.day, Math.floor(startMinute / 60), startMinute % 60, zone);
    const endDay = addDays(day.year, day.month, day.day, spanDays + Math.floor(endMinute / 1440));
    const end = zonedToInstant(endDay.year, endDay.month, endDay.day, Math.floor((endMinute % 1440) / 60), endMinute % 60, zone);
    if (end > t) yield { start, end };
  }
}
