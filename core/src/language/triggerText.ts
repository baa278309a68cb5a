import * as l10n from '@vscode/l10n';
import type { TriggerDef } from '../model/triggers.ts';
import { nextFires } from '../triggers/nextFire.ts';
import { formatDuration } from '../util/duration.ts';
import { localTimeZone } from '../util/zonedTime.ts';
import { cronInWords, dayName, formatInZone, textLanguage } from './textLocale.ts';

const SHOWN_FIRES = 3;

/** A trigger explained: what fires it, in words, and (for clock triggers) its next fires in its zone. */
export function describeTrigger(trigger: TriggerDef, now: Date = new Date(), timeZone?: string): string {
  const zone = trigger.timezone ?? timeZone ?? localTimeZone();
  const lines = [l10n.t('**Trigger `{0}`**: {1}.', trigger.name, whatFires(trigger))];
  const limits = [
    trigger.window === undefined ? undefined : l10n.t('between {0} and {1}', clock(trigger.window.startMinute), clock(trigger.window.endMinute)),
    trigger.days === undefined ? undefined : l10n.t('on {0}', [...trigger.days].sort().map((d) => dayName(d, textLanguage())).join(', ')),
  ].filter((s) => s !== undefined);
  if (limits.length > 0) lines.push(l10n.t('Only {0} ({1}).', limits.join(', '), zone));
  const policy = [
    trigger.slaMs === undefined ? undefined : l10n.t('SLA {0}', formatDuration(trigger.slaMs)),
    trigger.timeoutMs === undefined ? undefined : l10n.t('timeout {0} (then {1})', formatDuration(trigger.timeoutMs), trigger.onTimeout),
    Object.keys(trigger.variables).length === 0 ? undefined : l10n.t('variables {0}', Object.entries(trigger.variables).map(([k, v]) => `${k}=${String(v)}`).join(', ')),
  ].filter((s) => s !== undefined);
  if (policy.length > 0) lines.push(`${policy.join('; ')}.`);
  const fires = nextFires(trigger, now.getTime(), SHOWN_FIRES);
  if (fires.length > 0) lines.push(`${l10n.t('Next ({0}):', zone)}\n${fires.map((t) => `- ${formatInZone(t, zone, textLanguage())}`).join('\n')}`);
  return lines.join('\n\n');
}

function whatFires(trigger: TriggerDef): string {
  switch (trigger.kind) {
    case 'cron':
      return `${cronWords(trigger.cron ?? '')} (\`${trigger.cron ?? ''}\`)`;
    case 'every':
      return l10n.t('every {0}', formatDuration(trigger.everyMs ?? 0));
    case 'at':
      return l10n.t('once, at {0}', new Date(trigger.atMs ?? 0).toISOString());
    case 'always':
      return trigger.minGapMs > 0 ? l10n.t('always on: a new run as soon as the previous one ended, at least {0} later', formatDuration(trigger.minGapMs)) : l10n.t('always on: a new run as soon as the previous one ended');
    case 'files':
      return l10n.t('when {0} change (after {1} of quiet)', trigger.files.map((f) => `\`${f.value}\``).join(', '), formatDuration(trigger.debounceMs));
    case 'after':
      return trigger.afterStatus === 'any' ? l10n.t('when a run of `{0}` ends in any status', trigger.after?.value ?? '') : l10n.t('when a run of `{0}` ends {1}', trigger.after?.value ?? '', trigger.afterStatus);
    default:
      return l10n.t('never (it has no kind)');
  }
}

function cronWords(fields: string): string {
  try {
    return cronInWords(fields);
  } catch {
    return l10n.t('on a cron schedule');
  }
}

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Kept here for the CLI's schedule list, which is English: the hover passes the bundle's language. */
export { formatInZone };
