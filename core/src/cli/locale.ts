import * as l10n from '@vscode/l10n';
import fr from '../../../l10n/bundle.l10n.fr.json' with { type: 'json' };

/**
 * The CLI's message catalogue: callers use `l10n.t` of @vscode/l10n with the English string as the key
 * (so `vscode-l10n-dev export` finds them as it does the extension's), a translation is a bundle file
 * l10n/bundle.l10n.<locale>.json, bundled into the CLI so the npm package needs no data files.
 */
const BUNDLES: Record<string, l10n.l10nJsonFormat> = { fr };

/** The language of the environment, POSIX order: LC_ALL, then LC_MESSAGES, then LANG ("fr_FR.UTF-8" → "fr"). */
export function localeOf(env: NodeJS.ProcessEnv): string {
  const value = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '') ?? '';
  const language = value.split(/[_.@-]/)[0]?.toLowerCase() ?? '';
  return language === '' || language === 'c' || language === 'posix' ? 'en' : language;
}

/**
 * Loads the bundle of `locale` when there is one (English needs none): the CLI's environment
 * language, or the language server's `locale` from the editor ("fr", "fr-ca" → the French bundle).
 */
export function useLocale(locale: string): void {
  const lower = locale.toLowerCase();
  const bundle = BUNDLES[lower] ?? BUNDLES[lower.split(/[_-]/)[0] ?? ''];
  l10n.config({ contents: bundle ?? {} });
}

