import { CronExpressionParser } from 'cron-parser';
import { nextFires } from '../triggers/nextFire.ts';

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const FIELD_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'];

/** Normalizes a schedule to five fields, or says precisely why it is not one. */
export function parseCron(expression: string): { fields: string } | { error: string } {
  const text = expression.trim();
  if (text.startsWith('@')) {
    const expanded = MACROS[text];
    if (expanded === undefined) return { error: `Unknown schedule '${text}'; use ${Object.keys(MACROS).join(', ')} or five cron fields.` };
    return { fields: expanded };
  }
  const fields = text.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) {
    return { error: `A cron schedule has 5 fields (${FIELD_NAMES.join(', ')}); '${text}' has ${fields.length}.` };
  }
  try {
    CronExpressionParser.parse(fields.join(' '), { tz: 'UTC' });
  } catch (error) {
    return { error: `Invalid cron schedule '${text}': ${error instanceof Error ? error.message : String(error)}.` };
  }
  return { fields: fields.join(' ') };
}

/** The next `count` times the schedule fires after `from`, in the given time zone (default: local). */
export function nextCronTimes(expression: string, count: number, from: Date = new Date(), tz?: string): Date[] {
  const parsed = parseCron(expression);
  if ('error' in parsed) return [];
  // The trigger walk, not cron-parser's own zone handling, which skips days across DST transitions.
  const trigger = { kind: 'cron' as const, cron: parsed.fields, everyMs: undefined, atMs: undefined, minGapMs: 0, timezone: tz, window: undefined, days: undefined };
  return nextFires(trigger, from.getTime(), count).map((t) => new Date(t));
}
