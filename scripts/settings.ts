// Writes the settings table (client/src/settings/settingsTable.ts) into package.json
// (`contributes.configuration` and `capabilities.untrustedWorkspaces.restrictedConfigurations`),
// into package.nls.json (the English descriptions, which package.json names as %keys% so that a
// translation such as package.nls.fr.json covers the Settings editor too) and into the README's
// settings table, between its two marker comments.
//
//   scripts/node24.sh npm run settings            rewrite both files
//   scripts/node24.sh npm run settings -- --check  exit 1, saying what differs, when they drift
//
// test/settings/settingsTable.test.ts fails when the committed files differ from what this writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingRows, type SettingSpec } from '../client/src/settings/settingsTable.ts';

const ROOT = join(import.meta.dirname, '..');
export const PACKAGE_JSON = join(ROOT, 'package.json');
export const PACKAGE_NLS = join(ROOT, 'package.nls.json');
export const README = join(ROOT, 'README.md');
export const README_START = '<!-- settings table: generated from client/src/settings/settingsTable.ts by `npm run settings`; do not edit by hand -->';
export const README_END = '<!-- end of the generated settings table -->';

const RESTRICTED_NOTE = 'Ignored in Restricted Mode.';

function description(spec: SettingSpec): string {
  return spec.restricted ? `${spec.description} ${RESTRICTED_NOTE}` : spec.description;
}

function jsonType(spec: SettingSpec): string | string[] {
  if (spec.type === 'integer?') return ['integer', 'null'];
  if (spec.type === 'number?') return ['number', 'null'];
  return spec.type;
}

/** The package.nls.json key of a setting's text, named by its place in package.json as scripts/l10n-manifest.ts names the others. */
export function nlsKey(key: string, field: 'markdownDescription' | `enumDescriptions.${number}`): string {
  return `configuration.properties.${key}.${field}`;
}

/** The English text of every setting's description and enum descriptions, by package.nls.json key. */
export function settingTexts(): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const { key, spec } of settingRows()) {
    texts[nlsKey(key, 'markdownDescription')] = description(spec);
    if ('enumDescriptions' in spec && spec.enumDescriptions !== undefined) spec.enumDescriptions.forEach((text, i) => (texts[nlsKey(key, `enumDescriptions.${i}`)] = text));
  }
  return texts;
}

/** One `contributes.configuration.properties` entry, keys in the order package.json has always had them. */
function property(key: string, spec: SettingSpec): Record<string, unknown> {
  const entry: Record<string, unknown> = { type: jsonType(spec) };
  if ('enum' in spec && spec.enum !== undefined) entry.enum = [...spec.enum];
  if ('enumDescriptions' in spec && spec.enumDescriptions !== undefined) entry.enumDescriptions = spec.enumDescriptions.map((_, i) => `%${nlsKey(key, `enumDescriptions.${i}`)}%`);
  entry.default = spec.default;
  if ('minimum' in spec && spec.minimum !== undefined) entry.minimum = spec.minimum;
  if ('maximum' in spec && spec.maximum !== undefined) entry.maximum = spec.maximum;
  entry.scope = spec.scope;
  entry.markdownDescription = `%${nlsKey(key, 'markdownDescription')}%`;
  return entry;
}

/** package.json's text with the table's settings in it; everything else is left as it is. */
export function packageJsonText(current: string): string {
  const manifest = JSON.parse(current) as {
    contributes: { configuration: { title?: string; properties?: unknown } };
    capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: string[] } };
  };
  const properties: Record<string, unknown> = {};
  for (const { key, spec } of settingRows()) properties[key] = property(key, spec);
  manifest.contributes.configuration = { title: manifest.contributes.configuration.title ?? 'Pipeline Studio', properties };
  const untrusted = manifest.capabilities?.untrustedWorkspaces;
  if (untrusted === undefined) throw new Error('package.json has no capabilities.untrustedWorkspaces to list the restricted settings in');
  untrusted.restrictedConfigurations = settingRows().filter((row) => row.spec.restricted).map((row) => row.key);
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function typeText(spec: SettingSpec): string {
  if ('enum' in spec && spec.enum !== undefined) return spec.enum.map((value) => `\`"${value}"\``).join(' \\| ');
  if (spec.type === 'integer?' || spec.type === 'number?') return `${spec.type.slice(0, -1)} or \`null\``;
  return spec.type;
}

/**
 * package.nls.json's text with the settings' English texts in it: the keys of settings no longer in
 * the table go, every other key is left as it is, and the keys stay sorted as l10n-manifest sorts them.
 */
export function packageNlsText(current: string): string {
  const nls = JSON.parse(current) as Record<string, string>;
  const texts = settingTexts();
  const kept = Object.entries(nls).filter(([key]) => !key.startsWith('configuration.properties.') || key in texts);
  const merged = Object.fromEntries([...kept.filter(([key]) => !(key in texts)), ...Object.entries(texts)].sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify(merged, null, 2)}\n`;
}

/** The README's settings table, markers included. */
export function readmeTable(): string {
  const lines = [README_START, '', '| Setting | Type | Default | Scope | What it does |', '| --- | --- | --- | --- | --- |'];
  for (const { key, spec } of settingRows()) {
    lines.push(`| \`${key}\` | ${typeText(spec)} | \`${JSON.stringify(spec.default)}\` | ${spec.scope} | ${cell(description(spec))} |`);
  }
  lines.push('', README_END);
  return lines.join('\n');
}

/** The README's text with its table replaced; an error when the markers are missing. */
export function readmeText(current: string): string {
  const start = current.indexOf(README_START);
  const end = current.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no settings table markers (${README_START} … ${README_END})`);
  return `${current.slice(0, start)}${readmeTable()}${current.slice(end + README_END.length)}`;
}

if (import.meta.main) {
  const check = process.argv.includes('--check');
  let drift = 0;
  for (const [path, render] of [[PACKAGE_JSON, packageJsonText], [PACKAGE_NLS, packageNlsText], [README, readmeText]] as const) {
    const current = readFileSync(path, 'utf8');
    const wanted = render(current);
    if (wanted === current) continue;
    if (check) {
      console.error(`${path} differs from the settings table: run npm run settings`);
      drift++;
    } else {
      writeFileSync(path, wanted);
      console.log(`wrote ${path}`);
    }
  }
  process.exitCode = drift > 0 ? 1 : 0;
}
