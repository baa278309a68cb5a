// Moves the manifest's display strings into package.nls.json: every title, description,
// markdownDescription, contextualTitle, label, category, viewsWelcome `contents`, view `name` and
// enumDescriptions under package.json `contributes` becomes "%key%", its English text goes to
// package.nls.json under that key, and a translation is then a package.nls.<locale>.json file
// (package.nls.fr.json). Keys come from the place of the string, named by ids rather than array
// positions (commands.pipelineStudio.runPipeline.title), so they stay put when entries are added.
// Idempotent: a string that is already "%key%" is kept; run it again after adding commands.
// contributes.configuration's properties are left to scripts/settings.ts (the settings table).
//
//   scripts/node24.sh npm run l10n-manifest            rewrite package.json and package.nls.json
//   scripts/node24.sh npm run l10n-manifest -- --check  exit 1, naming the strings, when one is not localised
//
// test/l10n/manifest.test.ts fails when a contributes string is not a %key% of package.nls.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
export const PACKAGE_JSON = join(ROOT, 'package.json');
export const PACKAGE_NLS = join(ROOT, 'package.nls.json');

const DISPLAY_KEYS = new Set(['title', 'description', 'markdownDescription', 'contextualTitle', 'label', 'category', 'contents']);
/** Fields that name an array entry, in the order they are tried. */
const ID_FIELDS = ['command', 'id', 'type', 'view', 'viewType', 'language', 'name', 'key'];
const PLACEHOLDER = /^%[^%\s]+%$/;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Nls = Record<string, string>;

function isLocalisable(path: string[], key: string, value: Json): value is string {
  if (typeof value !== 'string') return false;
  const section = path[0];
  if (section === 'configuration' && path[1] === 'properties') return false;
  if (DISPLAY_KEYS.has(key)) return true;
  if (key === 'name' && section === 'views') return true;
  return false;
}

function entryName(entry: Json, index: number): string {
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
    for (const field of ID_FIELDS) {
      const id = entry[field];
      if (typeof id === 'string' && !PLACEHOLDER.test(id)) return id;
    }
  }
  return String(index);
}

/** Walks contributes, replacing display strings with %key% and collecting their English text. */
export function localiseManifest(manifest: { contributes: Record<string, Json> }, nls: Nls): { nls: Nls; added: string[]; missing: string[] } {
  const out: Nls = { ...nls };
  const added: string[] = [];
  const missing: string[] = [];
  const used = new Set<string>();
  const visit = (node: Json, path: string[]): Json => {
    if (Array.isArray(node)) {
      // Entries without an id (menus, walkthrough steps without one) get their position, made unique.
      const names = node.map((entry, i) => entryName(entry, i));
      return node.map((entry, i) => visit(entry, [...path, names.indexOf(names[i] ?? '') === i ? (names[i] ?? String(i)) : `${names[i] ?? ''}.${i}`]));
    }
    if (node === null || typeof node !== 'object') return node;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'enumDescriptions' && Array.isArray(value) && !(path[0] === 'configuration' && path[1] === 'properties')) {
        node[key] = value.map((text, i) => (typeof text === 'string' ? placeholder([...path, key, String(i)], text) : text));
      } else if (isLocalisable(path, key, value)) {
        node[key] = placeholder([...path, key], value);
      } else {
        node[key] = visit(value, [...path, key]);
      }
    }
    return node;
  };
  const placeholder = (path: string[], text: string): string => {
    if (PLACEHOLDER.test(text)) {
      const key = text.slice(1, -1);
      if (out[key] === undefined) missing.push(key);
      used.add(key);
      return text;
    }
    let key = path.join('.');
    for (let n = 2; used.has(key) || (out[key] !== undefined && out[key] !== text); n++) key = `${path.join('.')}.${n}`;
    used.add(key);
    if (out[key] === undefined) added.push(key);
    out[key] = text;
    return `%${key}%`;
  };
  for (const [section, value] of Object.entries(manifest.contributes)) manifest.contributes[section] = visit(value, [section]);
  return { nls: Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b))), added, missing };
}

function main(): void {
  const check = process.argv.includes('--check');
  const manifest = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { contributes: Record<string, Json> };
  const nls = existsSync(PACKAGE_NLS) ? (JSON.parse(readFileSync(PACKAGE_NLS, 'utf8')) as Nls) : {};
  const result = localiseManifest(manifest, nls);
  if (check) {
    const problems = [...result.added.map((k) => `not localised: ${k}`), ...result.missing.map((k) => `%${k}% is not in package.nls.json`)];
    for (const p of problems) console.error(`l10n-manifest: ${p}`);
    process.exit(problems.length > 0 ? 1 : 0);
  }
  writeFileSync(PACKAGE_JSON, `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(PACKAGE_NLS, `${JSON.stringify(result.nls, null, 2)}\n`);
  console.log(`l10n-manifest: ${result.added.length} strings moved to package.nls.json${result.missing.length > 0 ? `; missing keys: ${result.missing.join(', ')}` : ''}`);
}

if (import.meta.main === true || process.argv[1] === import.meta.filename) main();
