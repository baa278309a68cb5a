import cronstrue from 'cronstrue';
import type { TriggerDef } from '../model/triggers.ts';
import { nextFires } from '../triggers/nextFire.ts';
import { formatDuration } from '../util/duration.ts';
import { localTimeZone } from '../util/zonedTime.ts';

const SHOWN_FIRES = 3;

/** A trigger explained: what fires it, in words, and (for clock triggers) its next fires in its zone. */
export function describeTrigger(trigger: TriggerDef, now: Date = new Date(), timeZone?: string): string {
  const zone = trigger.timezone ?? timeZone ?? localTimeZone();
  const lines = [`**Trigger \`${trigger.name}\`**: ${whatFires(trigger)}.`];
  const limits = [
    trigger.window === undefined ? undefined : `between ${clock(trigger.window.startMinute)} and ${clock(trigger.window.endMinute)}`,
    trigger.days === undefined ? undefined : `on ${[...trigger.days].sort().map((d) => DAYS[d]).join(', ')}`,
  ].filter((s) => s !== undefined);
  if (limits.length > 0) lines.push(`Only ${limits.join(', ')} (${zone}).`);
  const policy = [
    trigger.slaMs === undefined ? undefined : `SLA ${formatDuration(trigger.slaMs)}`,
    trigger.timeoutMs === undefined ? undefined : `timeout ${formatDuration(trigger.timeoutMs)} (then ${trigger.onTimeout})`,
    Object.keys(trigger.variables).length === 0 ? undefined : `variables ${Object.entries(trigger.variables).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`,
  ].filter((s) => s !== undefined);
  if (policy.length > 0) lines.push(`${policy.join('; ')}.`);
  const fires = nextFires(trigger, now.getTime(), SHOWN_FIRES);
  if (fires.length > 0) lines.push(`Next (${zone}):\n${fires.map((t) => `- ${formatInZone(t, zone)}`).join('\n')}`);
  return lines.join('\n\n');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function whatFires(trigger: TriggerDef): string {
  switch (trigger.kind) {
    case 'cron':
      return `${cronWords(trigger.cron ?? '')} (\`${trigger.cron ?? ''}\`)`;
    case 'every':
      return `every ${formatDuration(trigger.everyMs ?? 0)}`;
    case 'at':
      return `once, at ${new Date(trigger.atMs ?? 0).toISOString()}`;
    case 'always':
      return `always on: a new run as soon as the previous one ended${trigger.minGapMs > 0 ? `, at least ${formatDuration(trigger.minGapMs)} later` : ''}`;
    case 'files':
      return `when ${trigger.files.map((f) => `\`${f.value}\``).join(', ')} change (after ${formatDuration(trigger.debounceMs)} of quiet)`;
    case 'after':
      return `when a run of \`${trigger.after?.value ?? ''}\` ends ${trigger.afterStatus === 'any' ? 'in any status' : trigger.afterStatus}`;
    default:
      return 'never (it has no kind)';
  }
}

function cronWords(fields: string): string {
  try {
    return cronstrue.toString(fields, { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return 'on a cron schedule';
  }
}

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** `Mon 2025-01-06 06:00` in the zone. */
export function formatInZone(instant: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}
