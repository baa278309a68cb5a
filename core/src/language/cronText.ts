import { nextCronTimes, parseCron } from '../util/cron.ts';
import { cronInWords, formatInZone, textLanguage } from './textLocale.ts';

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
    words = cronInWords(parsed.fields);
  } catch {
    words = parsed.fields;
  }
  let times: Date[] = [];
  try {
    times = nextCronTimes(expression, 3, now, timeZone);
  } catch {
    times = [];
  }
  return { words, next: times.map((t) => formatInZone(t.getTime(), timeZone, textLanguage())) };
}
