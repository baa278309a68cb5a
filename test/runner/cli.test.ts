import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, alive, readPid, tempDir, waitFor } from './support.ts';

// The CLI as users run it: a separate process, from source (no build needed), with real stores.

function cli(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface RunSummaryJson { id: number; status: string; trigger: string; counts: Record<string, number> }

function runs(cwd: string, store?: string): RunSummaryJson[] {
  const r = cli(['runs', '--json', ...(store === undefined ? [] : ['--store', store])], cwd);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as RunSummaryJson[];
}

test('the examples ETL pipeline runs end to end through the CLI, into the default store', () => {
  const dir = tempDir('ps-etl-');
  cpSync(join(ROOT, 'examples'), dir, { recursive: true, filter: (src) => !src.includes('.out') && !src.includes('.pipelines') });
  const first = cli(['run', 'etl.pipeline.yaml'], dir);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /^extract +\| orders source busy \(simulated\); the retry policy tries again$/m);
  assert.match(first.stdout, /^extract +\| extracted 12 orders from data\/orders\.csv$/m);
  assert.match(first.stdout, /^load +\| loaded \d+ rows into warehouse\/revenue_by_country\.csv$/m);
  assert.match(first.stdout, /^block +status +attempts +duration/m);
  assert.match(first.stdout, /^extract +completed +2 /m);
  assert.match(first.stdout, /Run #1 completed\./);
  assert.ok(!first.stdout.includes('\x1b'), 'no colours when stdout is not a terminal');
  assert.ok(existsSync(join(dir, '.pipelines', 'runs.sqlite')));
  assert.equal(readFileSync(join(dir, '.pipelines', '.gitignore'), 'utf8'), '*\n');
  assert.ok(existsSync(join(dir, '.out', 'warehouse', 'revenue_by_country.csv')));

  const second = cli(['run', 'etl.pipeline.yaml'], dir);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /^transform +cached +0 /m);
  const history = runs(dir);
  assert.deepEqual(history.map((r) => [r.id, r.status, r.trigger]), [[2, 'completed', 'cli'], [1, 'completed', 'cli']]);
  assert.deepEqual(history[0]?.counts, { completed: 3, cached: 1 });
});

test('a file with errors is reported like validate does, and nothing runs', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'bad.pipeline.yaml'), 'blocks:\n  a:\n    run: touch ran\n    depends_on: [nope]\n');
  const r = cli(['run', 'bad.pipeline.yaml'], dir);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^bad\.pipeline\.yaml:4:18: error unknown-dependency: /m);
  assert.ok(!existsSync(join(dir, 'ran')));
  assert.ok(!existsSync(join(dir, '.pipelines')), 'no store is made for a run that never starts');
});

test('usage errors exit 2, a refused run exits 1 with the reason, a failed run exits 1', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'p.pipeline.yaml'), 'variables:\n  n: 1\nblocks:\n  a:\n    run: exit ${{ vars.n }}\n');
  assert.equal(cli(['run'], dir).code, 2);
  assert.equal(cli(['run', 'p.pipeline.yaml', '--frobnicate'], dir).code, 2);
  assert.equal(cli(['run', 'p.pipeline.yaml', '--only', 'a', '--upto', 'a'], dir).code, 2);
  assert.equal(cli(['run', 'p.pipeline.yaml', '--concurrency', '0'], dir).code, 2);
  const refused = cli(['run', 'p.pipeline.yaml', '--var', 'n=abc'], dir);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /variable 'n' is a number; "abc" is not/);
  const failed = cli(['run', 'p.pipeline.yaml'], dir);
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /^a +failed +1 .*exit code 1$/m);
  assert.equal(cli(['run', 'p.pipeline.yaml', '--var', 'n=0'], dir).code, 0);
  const retried = cli(['run', 'p.pipeline.yaml', '--retry', '1', '--var', 'n=0'], dir);
  assert.equal(retried.code, 0, retried.stderr);
});

test('--dry-run prints the plan and records nothing', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'p.pipeline.yaml'), 'blocks:\n  a:\n    run: touch ran\n  b:\n    disabled: true\n    run: echo b\n');
  const r = cli(['run', 'p.pipeline.yaml', '--dry-run'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^a +would run$/m);
  assert.match(r.stdout, /^b +skipped +disabled$/m);
  assert.ok(!existsSync(join(dir, 'ran')));
  assert.ok(!existsSync(join(dir, '.pipelines')));
});

test('three CLI runs writing one store at once: all recorded, every block and every log line kept', { timeout: 300_000 }, async () => {
  const dir = tempDir();
  // b0 of each run waits until all three runs are live, so they really write the store at the same time
  // (for up to 2 minutes: starting three Node processes on a loaded machine can take a while).
  const barrier = '    run: |\n      touch "live.$PIPELINE_RUN_ID"\n      for i in $(seq 2400); do [ "$(ls live.* | wc -l)" -ge 3 ] && break; sleep 0.05; done\n      echo "b0 saw $(ls live.* | wc -l) live runs"\n';
  const blocks = Array.from({ length: 12 }, (_, i) => `  b${i}:\n${i === 0 ? barrier : `    depends_on: b0\n    run: for n in 1 2 3; do echo "line $n from b${i}"; done\n`}`).join('');
  writeFileSync(join(dir, 'p.pipeline.yaml'), `concurrency: 3\nblocks:\n${blocks}`);
  const store = join(dir, 'shared.sqlite');
  const start = (): Promise<{ code: number | null; out: string }> => new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'run', 'p.pipeline.yaml', '--store', store], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
  const results = await Promise.all([start(), start(), start()]);
  for (const r of results) assert.equal(r.code, 0, r.out);
  const history = runs(dir, store);
  assert.deepEqual(history.map((r) => r.id).sort(), [1, 2, 3]);
  for (const run of history) {
    assert.deepEqual([run.status, run.counts], ['completed', { completed: 12 }]);
    const logs = cli(['logs', String(run.id), '--store', store], dir);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /^b0 saw 3 live runs$/m);
    for (let i = 1; i < 12; i++) for (const n of [1, 2, 3]) assert.match(logs.stdout, new RegExp(`^line ${n} from b${i}$`, 'm'));
  }
});

test('--retry latest re-runs the failed part of the latest run of the file', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'p.pipeline.yaml'), 'blocks:\n  a:\n    run: echo a >> a.log\n  b:\n    depends_on: a\n    run: test -f ok\n');
  assert.equal(cli(['run', 'p.pipeline.yaml'], dir).code, 1);
  writeFileSync(join(dir, 'ok'), '');
  const retried = cli(['run', 'p.pipeline.yaml', '--retry', 'latest'], dir);
  assert.equal(retried.code, 0, retried.stdout + retried.stderr);
  assert.match(retried.stdout, /^a +skipped +0 .*reusing run #1/m);
  assert.match(retried.stdout, /^b +completed +1 /m);
  assert.equal(readFileSync(join(dir, 'a.log'), 'utf8'), 'a\n', 'the completed block was not run again');
  const shown = cli(['show', 'latest'], dir);
  assert.match(shown.stdout, /^ {2}trigger {3}cli, mode retry \(b\), from run #1$/m);
  const fresh = tempDir();
  writeFileSync(join(fresh, 'p.pipeline.yaml'), 'blocks:\n  a:\n    run: "true"\n');
  const none = cli(['run', 'p.pipeline.yaml', '--retry', 'latest'], fresh);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /There is no earlier run of .*p\.pipeline\.yaml to retry/);
});

test('logs latest --follow prints a live CLI run as it goes and returns when it ends', { timeout: 180_000 }, async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'p.pipeline.yaml'), 'blocks:\n  a:\n    run: |\n      echo one\n      while [ ! -e go ]; do sleep 0.05; done\n      echo two\n  b:\n    depends_on: a\n    run: echo three\n');
  const run = spawn(process.execPath, [CLI, 'run', 'p.pipeline.yaml'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const runClosed = once(run, 'close');
  let runOut = '';
  run.stdout.on('data', (d: Buffer) => (runOut += d.toString()));
  await waitFor(() => runOut.includes('a | one'), undefined, 'the block to print');
  const follower = spawn(process.execPath, [CLI, 'logs', 'latest', '--follow'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  follower.stdout.on('data', (d: Buffer) => (out += d.toString()));
  follower.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes('one\n'), undefined, `the follower to print the first line: ${out}`);
  assert.ok(!out.includes('two'), 'nothing printed before it happened');
  assert.equal(follower.exitCode, null, 'still following while the run runs');
  writeFileSync(join(dir, 'go'), '');
  const [code] = (await once(follower, 'exit')) as [number];
  assert.equal(code, 0);
  assert.equal(out, '==> a <==\none\ntwo\n==> b <==\nthree\n');
  await runClosed;
  assert.equal(run.exitCode, 0, runOut);
});

test('a CLI killed with SIGKILL mid-run: `runs` shows the run interrupted', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'p.pipeline.yaml'), 'blocks:\n  a:\n    run: echo $$ > block.pid; echo started; sleep 30\n');
  const child = spawn(process.execPath, [CLI, 'run', 'p.pipeline.yaml'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes('a | started'), undefined, 'the block to start');
  child.kill('SIGKILL');
  await new Promise((resolve) => child.on('close', resolve));
  // The block's shell is in its own process group, so it outlived the CLI; clean it up.
  const blockPid = readPid(join(dir, 'block.pid'));
  try {
    process.kill(-blockPid, 'SIGKILL');
  } catch {
    // already gone
  }
  const history = runs(dir);
  assert.deepEqual(history.map((r) => r.status), ['interrupted']);
  const show = cli(['show', 'latest', '--json'], dir);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /interrupted/);
});

test('Ctrl+C cancels gracefully: exit 130, the run recorded cancelled, its processes gone', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'p.pipeline.yaml'), 'blocks:\n  a:\n    run: echo $$ > block.pid; echo started; sleep 30\n  b:\n    depends_on: a\n    run: echo never\n');
  const child = spawn(process.execPath, [CLI, 'run', 'p.pipeline.yaml'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes('a | started'), undefined, 'the block to start');
  child.kill('SIGINT');
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 130, out);
  assert.match(out, /^a +cancelled +1 .*cancelled$/m);
  assert.match(out, /^b +cancelled +0 /m);
  assert.equal(alive(readPid(join(dir, 'block.pid'))), false);
  assert.deepEqual(runs(dir).map((r) => r.status), ['cancelled']);
});
