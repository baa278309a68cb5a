import * as l10n from '@vscode/l10n';
import cronstrue from 'cronstrue';
// Registers the French cron texts on the cronstrue instance imported above; a new bundle's
// language adds its cronstrue locale here (a language without one keeps English cron words).
import 'cronstrue/locales/fr.js';

const CRON_LOCALES = new Set(['en', 'fr']);

/**
 * The language of the loaded bundle as a BCP 47 tag. Each translation renders this key as its own
 * tag ("fr-FR"), so the cron words and the day names follow the bundle the server or CLI loaded
 * (l10n.config) without a second record of the locale; without a bundle it is English.
 */
export function textLanguage(): string {
  return l10n.t('en-US');
}

/** A cron schedule's five fields in words, in the bundle's language; throws when cronstrue cannot read them. */
export function cronInWords(fields: string): string {
  const language = textLanguage().split('-')[0] ?? 'en';
  return cronstrue.toString(fields, { use24HourTimeFormat: true, throwExceptionOnParseError: true, locale: CRON_LOCALES.has(language) ? language : 'en' });
}

/** `Mon 2025-01-06 06:00` in the zone, the day named in `language` ("lun. 2025-01-06 06:00" in French). */
export function formatInZone(instant: number, zone: string | undefined, language = 'en-US'): string {
  const parts = new Intl.DateTimeFormat(language, {
    timeZone: zone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** The short name of a day of the week (0 = Sunday) in `language`: "Mon", "lun.". */
export function dayName(day: number, language: string): string {
  // 2023-01-01 was a Sunday; noon UTC is the same day in every zone.
  return new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2023, 0, 1 + day, 12));
}
