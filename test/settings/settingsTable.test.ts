import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { coerceSetting, settingRows, SETTINGS_SECTION } from '../../client/src/settings/settingsTable.ts';
import { nlsKey, PACKAGE_JSON, PACKAGE_NLS, packageJsonText, packageNlsText, README, readmeTable, readmeText } from '../../scripts/settings.ts';

const ROOT = join(import.meta.dirname, '..', '..');

test('package.json contributes exactly the settings of the table, and lists its restricted ones for Restricted Mode (npm run settings rewrites it)', () => {
  const current = readFileSync(PACKAGE_JSON, 'utf8');
  assert.equal(current, packageJsonText(current), 'package.json drifted from client/src/settings/settingsTable.ts: run scripts/node24.sh npm run settings');
  const manifest = JSON.parse(current) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } }; capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } } };
  assert.deepEqual(Object.keys(manifest.contributes.configuration.properties), settingRows().map((row) => row.key));
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, [`${SETTINGS_SECTION}.store.path`]);
});

test('the README settings table is the generated one', () => {
  const current = readFileSync(README, 'utf8');
  assert.equal(current, readmeText(current), 'README.md drifted from client/src/settings/settingsTable.ts: run scripts/node24.sh npm run settings');
  for (const { key } of settingRows()) assert.ok(readmeTable().includes(`| \`${key}\` |`), key);
});

test('a setting edited by hand in package.json, or one added there and not in the table, is drift', () => {
  const current = readFileSync(PACKAGE_JSON, 'utf8');
  const manifest = JSON.parse(current) as { contributes: { configuration: { properties: Record<string, Record<string, unknown>> } } };
  const edited = structuredClone(manifest);
  const concurrency = edited.contributes.configuration.properties[`${SETTINGS_SECTION}.run.concurrency`];
  assert.ok(concurrency !== undefined);
  concurrency.default = 4;
  const editedText = `${JSON.stringify(edited, null, 2)}\n`;
  assert.notEqual(packageJsonText(editedText), editedText);
  const added = structuredClone(manifest);
  added.contributes.configuration.properties[`${SETTINGS_SECTION}.dashboard.enable`] = { type: 'boolean', default: true };
  const addedText = `${JSON.stringify(added, null, 2)}\n`;
  assert.notEqual(packageJsonText(addedText), addedText);
});

test('values read from settings.json are checked against their row: a wrong type, an unknown enum value or a number below the minimum is the default', () => {
  assert.equal(coerceSetting('validate.enable', 'no'), true);
  assert.equal(coerceSetting('validate.enable', false), false);
  assert.equal(coerceSetting('trace.server', 'loud'), 'off');
  assert.equal(coerceSetting('trace.server', 'verbose'), 'verbose');
  assert.equal(coerceSetting('run.concurrency', null), null);
  assert.equal(coerceSetting('run.concurrency', 0), null);
  assert.equal(coerceSetting('run.concurrency', 2.5), null);
  assert.equal(coerceSetting('run.concurrency', 3), 3);
  assert.equal(coerceSetting('run.logCapMegabytes', Number.NaN), 10);
  assert.equal(coerceSetting('run.logCapMegabytes', 0.5), 0.5);
  assert.equal(coerceSetting('run.confirmAboveBlocks', -1), 100);
  assert.equal(coerceSetting('run.confirmAboveBlocks', 0), 0);
  assert.equal(coerceSetting('store.path', undefined), '');
});

test('the client reads settings only through the typed accessors (client/src/settings/settings.ts)', () => {
  const readers: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && /getConfiguration\([^)]*\)\s*\.get\b|\.get<[^>]*>\(\s*['"]/.test(readFileSync(path, 'utf8'))) readers.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, 'client', 'src'));
  assert.deepEqual(readers, ['client/src/settings/settings.ts'], 'read the setting with setting(name, resource) after adding its row to settingsTable.ts');
});

test('setting descriptions are %keys% of package.nls.json, written there by npm run settings, and package.nls.fr.json translates each', () => {
  const current = readFileSync(PACKAGE_NLS, 'utf8');
  assert.equal(current, packageNlsText(current), 'package.nls.json drifted from client/src/settings/settingsTable.ts: run scripts/node24.sh npm run settings');
  const manifest = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { contributes: { configuration: { properties: Record<string, { markdownDescription: string; enumDescriptions?: string[] }> } } };
  const nls = JSON.parse(current) as Record<string, string>;
  const fr = JSON.parse(readFileSync(join(ROOT, 'package.nls.fr.json'), 'utf8')) as Record<string, string>;
  for (const { key, spec } of settingRows()) {
    const property = manifest.contributes.configuration.properties[key];
    assert.equal(property?.markdownDescription, `%${nlsKey(key, 'markdownDescription')}%`, key);
    assert.equal(nls[nlsKey(key, 'markdownDescription')]?.startsWith(spec.description), true, key);
    for (const text of [property.markdownDescription, ...(property.enumDescriptions ?? [])]) {
      const french = fr[text.slice(1, -1)];
      assert.ok(french !== undefined && french !== nls[text.slice(1, -1)], `${text} has no French text in package.nls.fr.json`);
    }
  }
  // A description edited in the table is drift until the script has rewritten package.nls.json.
  const stale = JSON.stringify({ ...nls, [nlsKey(`${SETTINGS_SECTION}.validate.enable`, 'markdownDescription')]: 'Old text.' }, null, 2) + '\n';
  assert.notEqual(packageNlsText(stale), stale);
});
