import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localiseManifest, type Nls } from '../../scripts/l10n-manifest.ts';
import { localeOf } from '../../core/src/cli/locale.ts';

// Localisation: the manifest's strings live in package.nls.json (scripts/l10n-manifest.ts puts them
// there), runtime strings in l10n/bundle.l10n.json (`npm run l10n-export`), and a translation is a
// file: package.nls.fr.json and l10n/bundle.l10n.fr.json. The CLI is started in French and speaks it.
const ROOT = join(import.meta.dirname, '..', '..');
const read = <T>(path: string): T => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;
type Manifest = { contributes: Record<string, never> };

test('every display string of package.json contributes is a %key% of package.nls.json (npm run l10n-manifest moves new ones)', () => {
  const manifest = read<Manifest>('package.json');
  const nls = read<Nls>('package.nls.json');
  const { added, missing } = localiseManifest(manifest, nls);
  assert.deepEqual(added, [], 'strings not localised yet: run scripts/node24.sh npm run l10n-manifest');
  assert.deepEqual(missing, [], 'placeholders without an English text in package.nls.json');
  const text = readFileSync(join(ROOT, 'package.json'), 'utf8');
  for (const [, key] of text.matchAll(/"%([^%\s"]+)%"/g)) assert.ok(nls[key ?? ''] !== undefined, `%${key}% is not in package.nls.json`);
});

test('the script moves a new command\'s title into package.nls.json under a key named by the command, and keeps existing keys', () => {
  const manifest = { contributes: { commands: [{ command: 'x.old', title: '%commands.x.old.title%' }, { command: 'x.new', title: 'Brand New', category: 'X' }], menus: { commandPalette: [{ command: 'x.new', when: 'false' }] } } };
  const { nls, added } = localiseManifest(manifest as never, { 'commands.x.old.title': 'Old' });
  assert.deepEqual(added, ['commands.x.new.title', 'commands.x.new.category']);
  assert.deepEqual(manifest.contributes.commands[1], { command: 'x.new', title: '%commands.x.new.title%', category: '%commands.x.new.category%' });
  assert.equal(nls['commands.x.new.title'], 'Brand New');
  assert.equal(manifest.contributes.menus.commandPalette[0]?.when, 'false', 'conditions are not display strings');
});

test('package.nls.fr.json translates every manifest string and keeps its command links', () => {
  const nls = read<Nls>('package.nls.json');
  const fr = read<Nls>('package.nls.fr.json');
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(nls).sort());
  for (const [key, english] of Object.entries(nls)) {
    const links = (s: string): string[] => [...s.matchAll(/\(command:[^)]*\)|\$\{\w+\}/g)].map((m) => m[0]);
    assert.deepEqual(links(fr[key] ?? ''), links(english), key);
  }
  assert.equal(fr['commands.pipelineStudio.runPipeline.title'], 'Exécuter le pipeline');
});

test('l10n/bundle.l10n.json is what vscode-l10n-dev exports from the sources, and the French bundle translates every string of it', () => {
  const out = mkdtempSync(join(tmpdir(), 'ps-l10n-'));
  try {
    // The folders npm run l10n-export reads: the client, the CLI and the validator behind the language server.
    const folders = (read<{ scripts: Record<string, string> }>('package.json').scripts['l10n-export'] ?? '').split(' ').slice(4);
    assert.ok(folders.includes('client/src') && folders.includes('core/src/validate'), folders.join(' '));
    execFileSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js'), 'export', '--outDir', out, ...folders], { cwd: ROOT, stdio: 'ignore' });
    const exported = JSON.parse(readFileSync(join(out, 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(exported, read('l10n/bundle.l10n.json'), 'l10n/bundle.l10n.json is stale: run scripts/node24.sh npm run l10n-export');
    const fr = read<Record<string, string>>('l10n/bundle.l10n.fr.json');
    assert.deepEqual(Object.keys(exported).filter((key) => fr[key] === undefined), [], 'strings without a French translation in l10n/bundle.l10n.fr.json');
    const placeholders = (s: string): string[] => [...s.matchAll(/\{\d+\}|\$\([\w~-]+\)/g)].map((m) => m[0]).sort();
    for (const [key, text] of Object.entries(fr)) assert.deepEqual(placeholders(text), placeholders(key), `the French text of "${key}" keeps its {n} and $(icon) placeholders`);
    assert.deepEqual(Object.keys(fr).filter((key) => !(key in exported)), [], 'French translations of strings no source uses');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the CLI started in French (LANG=fr_FR.UTF-8) speaks French; diagnostic lines keep what the problem matcher reads', () => {
  const cli = (env: Record<string, string>, ...args: string[]) => {
    const clean = { ...process.env };
    for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) delete clean[name];
    return spawnSync(process.execPath, [join(ROOT, 'core', 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...clean, ...env } });
  };
  const french = cli({ LANG: 'fr_FR.UTF-8' }, 'validate', 'test/validateFormats/broken.pipeline.yaml');
  assert.match(french.stdout, /^1 fichier de pipeline vérifié : 2 erreur\(s\), 1 avertissement\(s\), 1 suggestion\(s\)\.$/m);
  const matcher = read<{ contributes: { problemMatchers: { pattern: { regexp: string } }[] } }>('package.json').contributes.problemMatchers[0]?.pattern.regexp ?? '';
  const lines = french.stdout.split('\n').filter((l) => l.startsWith('test/'));
  assert.equal(lines.length, 4);
  for (const line of lines) assert.match(line, new RegExp(matcher));
  assert.match(cli({ LANG: 'fr_FR.UTF-8' }, 'frobnicate').stderr, /commande inconnue « frobnicate »/);
  // LC_ALL wins over LANG; C and unknown languages are English.
  assert.match(cli({ LANG: 'fr_FR.UTF-8', LC_ALL: 'C' }, 'validate', 'examples').stdout, /pipeline files checked: 0 error\(s\)/);
  assert.match(cli({ LANG: 'de_DE.UTF-8' }, 'validate', 'examples').stdout, /pipeline files checked/);
  assert.equal(localeOf({ LC_MESSAGES: 'fr_CA.UTF-8', LANG: 'en_US' }), 'fr');
  assert.equal(localeOf({}), 'en');
});

test('the extension\'s notifications, quick-pick prompts, code lenses and status bar texts go through vscode.l10n.t', () => {
  // A literal handed straight to the window would stay English in every locale; l10n.t keys are
  // what `npm run l10n-export` collects into l10n/bundle.l10n.json.
  const literal = /(?:show(?:Information|Warning|Error)Message\(\s*|\b(?:placeHolder|prompt|tooltip): |\bitem\.(?:text|tooltip) = |new vscode\.CodeLens\([^,]+, \{ title: )['"`]/;
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) {
        const text = readFileSync(join(ROOT, path), 'utf8');
        if (!text.includes("from 'vscode'")) continue;
        text.split('\n').forEach((line, i) => {
          const match = literal.exec(line);
          if (match === null) return;
          // The product name and pure formatting (`$(sync~spin) ${name} ${done}/${total}`) have nothing to translate.
          const rest = line.slice(match.index + match[0].length);
          const words = rest.slice(0, rest.indexOf(match[0].slice(-1))).replace(/\$\{[^}]*\}|\$\([\w~-]+\)|Pipeline Studio/g, '');
          if (/[A-Za-z]{2}/.test(words)) offenders.push(`${path}:${i + 1}`);
        });
      }
    }
  };
  walk('client/src');
  assert.deepEqual(offenders, [], 'wrap these strings in vscode.l10n.t(...) and run scripts/node24.sh npm run l10n-export');
  const bundle = read<Record<string, string>>('l10n/bundle.l10n.json');
  assert.ok(bundle['Choose a run in the Runs view to delete it.'] !== undefined && bundle['Run all {0} blocks of {1}?'] !== undefined, 'client strings are in the bundle');
});
