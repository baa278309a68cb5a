import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The CLI as an npm package, offline: scripts/cli-package.ts builds it, `npm pack` makes the tarball,
// `npm install -g` puts it into an empty prefix (better-sqlite3 is optional and left out, so the
// store runs on node:sqlite), and the installed `pipeline-studio` validates and runs a pipeline in
// an empty folder; `npx` runs the same tarball.
const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ps-cli-package-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
// npm is the one beside this Node (scripts/node24.sh puts it first on PATH).
const npm = (args: string[], cwd: string): string => execFileSync('npm', ['--no-audit', '--no-fund', '--offline', '--cache', join(dir, 'npm-cache'), ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('npm pack of dist/cli-package installs into an empty prefix, and its bin validates and runs a pipeline', { timeout: 600_000 }, () => {
  const pkgDir = join(dir, 'package');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'cli-package.ts'), pkgDir], { cwd: ROOT, stdio: 'ignore' });
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string>; dependencies?: unknown; optionalDependencies: Record<string, string> };
  assert.deepEqual(pkg.bin, { 'pipeline-studio': 'cli.cjs' });
  assert.equal(pkg.dependencies, undefined, 'the CLI bundles everything but the SQLite driver');
  assert.deepEqual(Object.keys(pkg.optionalDependencies), ['better-sqlite3']);

  const tarball = join(pkgDir, npm(['pack', '--silent'], pkgDir).trim());
  assert.ok(existsSync(tarball), tarball);
  const prefix = join(dir, 'prefix');
  npm(['install', '-g', '--omit=optional', '--prefix', prefix, tarball], dir);
  const bin = join(prefix, 'bin', 'pipeline-studio');
  assert.ok(existsSync(bin), 'no bin after npm install -g');

  const work = join(dir, 'work');
  mkdirSync(work);
  writeFileSync(join(work, 'hello.pipeline.yaml'), 'name: hello\nblocks:\n  greet:\n    run: echo hello from the package\n  after:\n    depends_on: [greet]\n    run: echo done\n');
  // The bin's shebang finds `node` on PATH: this test's Node first.
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}` };
  for (const name of ['CI', 'GITHUB_ACTIONS', 'GITLAB_CI']) delete env[name];
  const run = (...args: string[]) => spawnSync(bin, args, { cwd: work, env, encoding: 'utf8' });
  assert.equal(run('--version').stdout.trim(), manifest.version);
  const validated = run('validate', '.');
  assert.equal(validated.status, 0, validated.stderr);
  const ran = run('run', 'hello.pipeline.yaml');
  assert.equal(ran.status, 0, ran.stderr);
  assert.match(ran.stdout, /greet +\| hello from the package/);
  assert.match(ran.stdout, /Run #1 completed/);
  assert.ok(existsSync(join(work, '.pipelines', 'runs.sqlite')), 'the run was not recorded');
  assert.match(run('runs').stdout, /#1 +hello +completed/);
  assert.match(run('lsp', '--help').stdout, /--stdio/);

  const npx = spawnSync('npx', ['--offline', '--yes', '--cache', join(dir, 'npm-cache'), `--package=${tarball}`, 'pipeline-studio', '--version'], { cwd: work, env, encoding: 'utf8' });
  assert.equal(npx.stdout.trim(), manifest.version, npx.stderr);
});
