import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CiGroups, ciGroupStyleOf } from '../../core/src/cli/ciGroups.ts';

// `run` on CI: each block's output as one collapsible group of the job log, run as CI runs it (the
// CLI in its own process, the CI's environment variables set). Golden files hold the grouped part
// of the log (UPDATE_GOLDEN=1 rewrites them); the summary table after it carries durations.
const ROOT = join(import.meta.dirname, '..', '..');
const HERE = import.meta.dirname;
const CLI = join(ROOT, 'core', 'src', 'cli', 'main.ts');
const FILE = 'test/ciGroups/groups.pipeline.yaml';
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function run(env: Record<string, string>, extra: string[] = []): { code: number | null; stdout: string; stderr: string } {
  const store = mkdtempSync(join(tmpdir(), 'ps-ci-groups-'));
  dirs.push(store);
  const clean = { ...process.env };
  for (const name of ['CI', 'GITHUB_ACTIONS', 'GITLAB_CI', 'NO_COLOR']) delete clean[name];
  const r = spawnSync(process.execPath, [CLI, 'run', FILE, '--store', join(store, 'runs.sqlite'), '--concurrency', '1', ...extra], { cwd: ROOT, encoding: 'utf8', env: { ...clean, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The log up to the summary table (the first empty line). */
function groupedPart(stdout: string): string {
  return stdout.slice(0, stdout.indexOf('\n\n') + 1);
}

function golden(name: string, actual: string): void {
  const path = join(HERE, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'), `${name} differs (UPDATE_GOLDEN=1 rewrites it; review the diff)`);
}

test('on GitHub Actions each block is a ::group:: titled with its final status; a block\'s own workflow commands pass through', () => {
  const r = run({ GITHUB_ACTIONS: 'true', CI: 'true' });
  assert.equal(r.code, 1, r.stderr);
  golden('github.golden.txt', groupedPart(r.stdout));
  assert.match(r.stdout, /^::notice::a block may print its own workflow commands$/m);
  assert.match(r.stdout, /^Run #1 failed/m);
});

test('on GitLab CI each block is a collapsed section with start and end timestamps', () => {
  const r = run({ GITLAB_CI: 'true', CI: 'true' });
  assert.equal(r.code, 1, r.stderr);
  const stamps = [...r.stdout.matchAll(/section_(start|end):(\d+):/g)].map((m) => Number(m[2]));
  const now = Date.now() / 1000;
  assert.ok(stamps.length === 6 && stamps.every((s) => Math.abs(s - now) < 3600), `timestamps: ${stamps.join(' ')}`);
  golden('gitlab.golden.txt', groupedPart(r.stdout).replace(/section_(start|end):\d+:/g, 'section_$1:<time>:'));
});

test('a CI that is neither (CI=true) gets no groups unless asked; outside CI, or with --ci-groups none, the live prefixed lines', () => {
  assert.match(run({ CI: 'true' }, ['--ci-groups', 'github']).stdout, /^::group::build ✓ completed$/m);
  for (const r of [run({}), run({ CI: 'true' }), run({ GITHUB_ACTIONS: 'true' }, ['--ci-groups', 'none'])]) {
    assert.doesNotMatch(r.stdout, /::group::/);
    assert.match(r.stdout, /^build +\| compiling$/m);
  }
  const wrong = run({}, ['--ci-groups', 'azure']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /--ci-groups must be github, gitlab, none, not 'azure'/);
});

test('the environment decides the style: GitLab before GitHub; CI alone is none', () => {
  assert.equal(ciGroupStyleOf({ GITLAB_CI: 'true', CI: 'true' }), 'gitlab');
  assert.equal(ciGroupStyleOf({ GITHUB_ACTIONS: 'true', CI: 'true' }), 'github');
  // Other CI systems (CI=true only) would print the markers as text.
  assert.equal(ciGroupStyleOf({ CI: '1' }), 'none');
  assert.equal(ciGroupStyleOf({ CI: 'true' }), 'none');
  assert.equal(ciGroupStyleOf({ CI: 'false' }), 'none');
  assert.equal(ciGroupStyleOf({}), 'none');
});

test('GitLab sections carry the block\'s first output time and its end time, and names GitLab accepts', () => {
  const lines: string[] = [];
  let clock = 1000;
  const groups = new CiGroups({ style: 'gitlab', out: (l) => lines.push(l), nowSeconds: () => clock });
  groups.line('my block/1', 'hello');
  clock = 1042;
  groups.close('my block/1', 'my block/1 ✓ completed');
  assert.deepEqual(lines, [
    '\x1b[0Ksection_start:1000:block_0_my_block_1[collapsed=true]\r\x1b[0Kmy block/1 ✓ completed',
    'hello',
    '\x1b[0Ksection_end:1042:block_0_my_block_1\r\x1b[0K',
  ]);
});
