import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultStorePath, openStore, type RunStore } from '../../core/src/store/index.ts';
import { newRun, root, tempFolder } from './helpers.ts';

// The CLI runs as users run it, in its own process; Node executes the TypeScript entry directly.
const main = join(root, 'core', 'src', 'cli', 'main.ts');

function cli(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Three runs: #1 etl completed (transform retried once), #2 etl failed, #3 report still running. */
function populate(store: RunStore): void {
  const etl = '/work/etl.pipeline.yaml';
  const r1 = store.createRun(newRun({ pipelineFile: etl, variables: { region: 'eu' } }));
  store.updateRun(r1.id, { status: 'running', startedAt: 1_700_000_000_000 });
  const extract = store.createBlockRun({ runId: r1.id, block: 'extract', status: 'running', startedAt: 1_700_000_000_000 });
  const log = store.openLog(extract.id);
  log.write('stdout', 'reading \x1b[32m3\x1b[0m files\n');
  log.write('stderr', 'warning: slow disk\n');
  log.write('stdout', 'no newline at the end');
  log.close();
  store.updateBlockRun(extract.id, { status: 'completed', exitCode: 0, finishedAt: 1_700_000_001_500 });
  store.createBlockRun({ runId: r1.id, block: 'transform', status: 'failed', attempt: 1, startedAt: 1_700_000_001_500, finishedAt: 1_700_000_002_000 });
  const t2 = store.createBlockRun({ runId: r1.id, block: 'transform', status: 'completed', attempt: 2, startedAt: 1_700_000_003_000, finishedAt: 1_700_000_004_000 });
  const t2log = store.openLog(t2.id);
  t2log.write('stdout', 'second try ok\n');
  t2log.close();
  store.createBlockRun({ runId: r1.id, block: 'load', status: 'skipped' });
  store.updateRun(r1.id, { status: 'completed', finishedAt: 1_700_000_125_000 });

  const r2 = store.createRun(newRun({ pipelineFile: etl, trigger: 'manual' }));
  store.updateRun(r2.id, { status: 'running' });
  store.createBlockRun({ runId: r2.id, block: 'extract', status: 'completed' });
  const load = store.createBlockRun({ runId: r2.id, block: 'load', status: 'running' });
  store.updateBlockRun(load.id, { status: 'failed', exitCode: 1, reason: 'timeout' });
  store.updateRun(r2.id, { status: 'failed', error: "block 'load' failed" });

  const r3 = store.createRun(newRun({ pipelineName: 'report', pipelineFile: '/work/report.pipeline.yaml', git: undefined }));
  store.updateRun(r3.id, { status: 'running' });
  store.createBlockRun({ runId: r3.id, block: 'render', status: 'running' });
}

test('runs, show and logs read a populated store', () => {
  const { dir, cleanup } = tempFolder('ps-cli-store-');
  try {
    const empty = cli(['runs'], dir);
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /No runs recorded yet/);
    assert.equal(existsSync(join(dir, '.pipelines')), false, 'reading never creates the store');

    const store = openStore(defaultStorePath(dir));
    populate(store);

    const runs = cli(['runs'], dir);
    assert.equal(runs.code, 0, runs.stderr);
    const lines = runs.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^\s*#\s+pipeline\s+status\s+trigger\s+started\s+duration\s+blocks$/);
    assert.match(lines[1] ?? '', /^#3\s+report\s+running\s+cli\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+\s+1 running$/);
    assert.match(lines[2] ?? '', /^#2\s+etl\s+failed\s+manual\s+.*\s1 completed, 1 failed$/);
    assert.match(lines[3] ?? '', /^#1\s+etl\s+completed\s+cli\s+.*\s+2m5s\s+2 completed, 1 skipped$/);

    const json = cli(['runs', '--json', '--limit', '2'], dir);
    const parsed = JSON.parse(json.stdout) as { id: number; counts: Record<string, number> }[];
    assert.deepEqual(parsed.map((r) => r.id), [3, 2]);
    assert.deepEqual(parsed[1]?.counts, { completed: 1, failed: 1 });
    assert.match(cli(['runs', '--pipeline', 'etl', '--status', 'failed'], dir).stdout, /^#2 /m);
    assert.doesNotMatch(cli(['runs', '--pipeline', '/work/etl.pipeline.yaml'], dir).stdout, /report/);
    assert.equal(cli(['runs', '--status', 'bogus'], dir).code, 2);
    assert.equal(cli(['runs', '--limit', '0'], dir).code, 2);
    assert.equal(cli(['runs', '--frobnicate'], dir).code, 2);

    const show = cli(['show', '1'], dir);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^Run #1 {2}etl {2}completed$/m);
    assert.match(show.stdout, /^ {2}git {7}main@a3f9e2b \(uncommitted changes\)$/m);
    assert.match(show.stdout, /^ {2}variables region="eu"$/m);
    assert.match(show.stdout, /^ {2}extract\s+completed\s+1\s+1\.5s\s+0$/m);
    assert.match(show.stdout, /^ {2}transform\s+completed\s+2\s+1\.0s\s+-$/m);
    assert.match(show.stdout, /^ {2}load\s+skipped\s+1\s+-\s+-$/m);
    const failed = cli(['show', '#2'], dir);
    assert.match(failed.stdout, /^ {2}error {5}block 'load' failed$/m);
    assert.match(failed.stdout, /^ {2}load\s+failed\s+1\s+\S+\s+1\s+timeout$/m);
    const latest = JSON.parse(cli(['show', 'latest', '--json'], dir).stdout) as { run: { id: number }; blockRuns: unknown[] };
    assert.equal(latest.run.id, 3);
    assert.equal(latest.blockRuns.length, 1);
    const missing = cli(['show', '99'], dir);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /run 99 not found/);
    assert.equal(cli(['show', 'x'], dir).code, 2);
    assert.equal(cli(['show'], dir).code, 2);

    const extractLog = cli(['logs', '1', 'extract'], dir);
    assert.equal(extractLog.code, 0, extractLog.stderr);
    // Colours are stripped when stdout is not a terminal; the unterminated last line is still printed.
    assert.equal(extractLog.stdout, 'reading 3 files\nwarning: slow disk\nno newline at the end\n');
    const all = cli(['logs', '1'], dir);
    assert.equal(all.stdout, '==> extract <==\nreading 3 files\nwarning: slow disk\nno newline at the end\n==> transform (attempt 2) <==\nsecond try ok\n');
    const noBlock = cli(['logs', '1', 'nope'], dir);
    assert.equal(noBlock.code, 1);
    assert.match(noBlock.stderr, /run #1 has no block 'nope' \(its blocks: extract, transform, load\)/);

    // --store names another store, relative to the current folder.
    const other = openStore(join(dir, 'elsewhere.sqlite'));
    other.createRun(newRun({ pipelineName: 'solo' }));
    other.close();
    assert.match(cli(['runs', '--store', 'elsewhere.sqlite'], dir).stdout, /^#1\s+solo\s+initial/m);
    store.close();
  } finally {
    cleanup();
  }
});

test('logs --follow prints output as it is stored and returns when the run ends', async () => {
  const { dir, cleanup } = tempFolder('ps-cli-follow-');
  const store = openStore(defaultStorePath(dir));
  try {
    const run = store.createRun(newRun());
    store.updateRun(run.id, { status: 'running' });
    const block = store.createBlockRun({ runId: run.id, block: 'slow', status: 'running' });
    const log = store.openLog(block.id);
    log.write('stdout', 'first\n');
    log.flush();
    const follower = spawn(process.execPath, [main, 'logs', 'latest', 'slow', '--follow'], { cwd: dir });
    let out = '';
    follower.stdout.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('first\n')) await once(follower.stdout, 'data');
    log.write('stdout', 'second\n');
    log.write('stdout', 'third, unfinished');
    log.close();
    while (!out.includes('second\n')) await once(follower.stdout, 'data');
    assert.equal(follower.exitCode, null, 'still following while the run runs');
    await sleep(300);
    store.updateBlockRun(block.id, { status: 'completed', exitCode: 0 });
    store.updateRun(run.id, { status: 'completed' });
    const [code] = (await once(follower, 'exit')) as [number];
    assert.equal(code, 0);
    assert.equal(out, 'first\nsecond\nthird, unfinished\n');
  } finally {
    store.close();
    cleanup();
  }
});

test('a corrupt store makes the read commands fail with a clear message, leaving it alone', () => {
  const { dir, cleanup } = tempFolder('ps-cli-corrupt-');
  try {
    const path = join(dir, 'notes.sqlite');
    writeFileSync(path, 'my notes');
    const r = cli(['runs', '--store', path], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `pipeline-studio runs: ${path} is not a Pipeline Studio run store (file is not a database); it was left untouched. Move it away or choose another store with --store.\n`);
    assert.match(cli(['help'], dir).stdout, /runs \[--pipeline P\]/);
  } finally {
    cleanup();
  }
});
