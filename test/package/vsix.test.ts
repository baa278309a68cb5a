import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_TARGETS, binaryMismatch, currentTarget } from '../../scripts/packageTargets.ts';
import { zipEntries, zipEntryData } from '../../scripts/zipEntries.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACKAGE_SCRIPT = join(ROOT, 'scripts', 'package.ts');
const MAX_BYTES = 3 * 1024 * 1024;

// `npm run package` as a user runs it, written elsewhere so the checkout's pipeline-studio.vsix stays.
test('the package for this platform holds its one SQLite binary, minified bundles and no source map, and runs', { timeout: 300_000 }, (t) => {
  const work = mkdtempSync(join(tmpdir(), 'ps-package-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const vsix = join(work, 'pipeline-studio.vsix');
  const built = spawnSync(process.execPath, [PACKAGE_SCRIPT, '--out', vsix], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, `package failed:\n${built.stdout}${built.stderr}`);

  const target = PACKAGE_TARGETS.find((x) => x.target === currentTarget());
  assert.ok(target, `no package target for ${currentTarget()}`);
  const zip = readFileSync(vsix);
  const entries = zipEntries(zip);
  const names = entries.map((e) => e.name);
  assert.deepEqual(names.filter((n) => n.endsWith('.node')), [`extension/dist/node_modules/better-sqlite3/prebuilds/${target.prebuild}.node`]);
  assert.deepEqual(names.filter((n) => n.endsWith('.map')), []);
  assert.ok(statSync(vsix).size <= MAX_BYTES, `${statSync(vsix).size} bytes is over 3 MiB`);
  const manifest = zipEntryData(zip, entries.find((e) => e.name === 'extension.vsixmanifest') ?? assert.fail('no manifest')).toString('utf8');
  assert.match(manifest, new RegExp(`TargetPlatform="${target.target}"`));
  // The native launch helper, compiled with cc at package time where there is one, ships executable in this platform's package.
  if (process.platform !== 'win32' && spawnSync(process.env.CC ?? 'cc', ['--version']).status === 0) {
    const launcher = entries.find((e) => e.name === 'extension/dist/native/ps-launch') ?? assert.fail('no native launch helper in the package');
    assert.notEqual(launcher.unixMode & 0o111, 0, `ps-launch is not executable in the package (mode 0${launcher.unixMode.toString(8)})`);
    assert.equal(binaryMismatch(zipEntryData(zip, launcher), target), undefined);
  }

  // Minified: a bundle of at most a line per KB (the dev build has ~25), with no pointer to a map it does not carry.
  for (const bundle of ['extension.cjs', 'server.cjs', 'cli.cjs']) {
    const text = zipEntryData(zip, entries.find((e) => e.name === `extension/dist/${bundle}`) ?? assert.fail(`no ${bundle}`)).toString('utf8');
    // Minified code is a few very long lines; multi-line template strings (help texts, job scripts)
    // stay as written, so count the bytes on long lines rather than the lines.
    const lines = text.split('\n');
    const onLongLines = lines.filter((line) => line.length > 500).reduce((sum, line) => sum + line.length, 0);
    assert.ok(onLongLines > 0.8 * text.length, `${bundle}: only ${Math.round((100 * onLongLines) / text.length)}% of ${text.length} bytes on lines over 500 characters (${lines.length} lines): not minified`);
    assert.doesNotMatch(text, /sourceMappingURL/, `${bundle} points to a source map`);
  }

  // Unpacked as VS Code installs it: the driver loads from the package, and the minified CLI runs a pipeline.
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const path = join(work, 'x', entry.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, zipEntryData(zip, entry), entry.unixMode === 0 ? {} : { mode: entry.unixMode & 0o777 });
  }
  const cli = join(work, 'x', 'extension', 'dist', 'cli.cjs');
  const packagedRequire = createRequire(cli);
  assert.equal(packagedRequire.resolve('better-sqlite3'), join(work, 'x', 'extension', 'dist', 'node_modules', 'better-sqlite3', 'lib', 'index.js'));
  const Database = packagedRequire('better-sqlite3') as new (path: string) => { prepare(sql: string): { get(): unknown }; close(): void };
  const db = new Database(':memory:');
  assert.match(String((db.prepare('SELECT sqlite_version() AS v').get() as { v: unknown }).v), /^3\.\d+/);
  db.close();

  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'p.pipeline.yaml'), 'blocks:\n  hello:\n    run: echo "hello from the package"\n');
  const run = spawnSync(process.execPath, [cli, 'run', 'p.pipeline.yaml'], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /hello from the package/);
  const listed = spawnSync(process.execPath, [cli, 'runs'], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /completed/);

  // Installed on a platform whose binary it lacks (or with a foreign one), the store falls back to node:sqlite.
  const binary = join(work, 'x', 'extension', 'dist', 'node_modules', 'better-sqlite3', 'prebuilds', `${target.prebuild}.node`);
  const other = PACKAGE_TARGETS.find((x) => x.format !== target.format) ?? assert.fail('no other format');
  rmSync(binary); // a new file, not one rewritten in place: this process has the old one mapped
  writeFileSync(binary, readFileSync(join(ROOT, 'node_modules', 'better-sqlite3', 'prebuilds', `${other.prebuild}.node`)));
  const fallback = spawnSync(process.execPath, [cli, 'run', 'p.pipeline.yaml'], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(fallback.status, 0, `with a ${other.target} binary:\n${fallback.stdout}${fallback.stderr}`);
  rmSync(binary);
  const missing = spawnSync(process.execPath, [cli, 'runs'], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(missing.status, 0, `without a binary:\n${missing.stdout}${missing.stderr}`);
  assert.equal(missing.stdout.match(/^\s*#\d+ .* completed /gm)?.length, 2, missing.stdout);
});

test('each target ships a binary for its own platform; one for another platform is refused with the reason', () => {
  const prebuilds = join(ROOT, 'node_modules', 'better-sqlite3', 'prebuilds');
  for (const target of PACKAGE_TARGETS) {
    const binary = readFileSync(join(prebuilds, `${target.prebuild}.node`));
    assert.equal(binaryMismatch(binary, target), undefined, `${target.prebuild}.node for ${target.target}`);
  }
  const byName = (name: string) => PACKAGE_TARGETS.find((x) => x.target === name) ?? assert.fail(name);
  const linux = readFileSync(join(prebuilds, 'linux-x64.node'));
  assert.equal(binaryMismatch(linux, byName('alpine-x64')), 'links against glibc, not musl');
  assert.match(binaryMismatch(linux, byName('linux-arm64')) ?? '', /not built for arm64/);
  assert.match(binaryMismatch(readFileSync(join(prebuilds, 'darwin-x64.node')), byName('darwin-arm64')) ?? '', /not built for arm64/);
  assert.match(binaryMismatch(readFileSync(join(prebuilds, 'win32-x64.node')), byName('linux-x64')) ?? '', /not an ELF/);
  assert.match(binaryMismatch(linux, byName('win32-x64')) ?? '', /not a Windows DLL/);
});

test('a target without a package is refused with the supported list, and builds nothing', { timeout: 120_000 }, (t) => {
  const work = mkdtempSync(join(tmpdir(), 'ps-package-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const out = join(work, 'p.vsix');
  const r = spawnSync(process.execPath, [PACKAGE_SCRIPT, '--target', 'alpine-arm64', '--out', out], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /alpine-arm64 is not a supported target \(supported: linux-x64, linux-arm64, alpine-x64, darwin-x64, darwin-arm64, win32-x64\)/);
  assert.throws(() => statSync(out), /ENOENT/);
});
