import cronstrue from 'cronstrue';
import { nextCronTimes, parseCron } from '../util/cron.ts';

export interface CronDescription {
  /** The schedule in words: "At 06:00, Monday through Friday". */
  words: string;
  /** The next times it fires, formatted in `timeZone` (default: local), like `Mon 2025-01-06 06:00`. */
  next: string[];
}

/** Undefined when the value is not a schedule the runner accepts. */
export function describeCron(expression: string, now: Date = new Date(), timeZone?: string): CronDescription | undefined {
  const parsed = parseCron(expression);
  if ('error' in parsed) return undefined;
  let words: string;
  try {
    words = cronstrue.toString(parsed.fields, { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    words = parsed.fields;
  }
  let times: Date[] = [];
  try {
    times = nextCronTimes(expression, 3, now, timeZone);
  } catch {
    times = [];
  }
  return { words, next: times.map((t) => formatTime(t, timeZone)) };
}

function formatTime(date: Date, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}
