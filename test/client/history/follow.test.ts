import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { openStore } from '../../../core/src/store/index.ts';
import { LogFollower } from '../../../client/src/history/logFollower.ts';
import { AnsiStripper, stripAnsi } from '../../../client/src/history/logText.ts';
import { logUriParts, parseLogQuery } from '../../../client/src/history/logUri.ts';
import type { PipelineNode, RunNode } from '../../../client/src/history/nodes.ts';
import { RunStateHub } from '../../../client/src/runState/runStateHub.ts';
import { StoreWatcher } from '../../../client/src/runState/storeWatcher.ts';
import { modelFor, newRun, tempStore, writableStore } from './helpers.ts';

test('escape sequences are stripped, also when split between chunks', () => {
  assert.equal(stripAnsi('\x1b[1;31mred\x1b[0m \x1b]8;;https://x\x07link\x1b]8;;\x07 \x1b(B\x1b[2K\x1b[1Gnext\r\nover\rwrite\x07'), 'red link next\nover\nwrite');
  const stripper = new AnsiStripper();
  const out = ['a\x1b', '[3', '1mb\x1b]0;ti', 'tle\x07c\r', '\nd\x1b'].map((chunk) => stripper.push(chunk));
  assert.deepEqual(out, ['a', '', 'b', 'c', '\nd']);
  assert.equal(stripper.flush(), '');
});

test('a log URI round-trips its store and block run; a hand-edited one is refused with a reason', () => {
  const parts = logUriParts({ storePath: '/w/.pipelines/runs.sqlite', blockRunId: 17 }, { pipeline: 'orders/etl', block: 'extract', runId: 42, attempt: 2 });
  assert.equal(parts.scheme, 'pipeline-log');
  assert.equal(parts.path, '/orders_etl/extract #42 attempt 2.log');
  assert.deepEqual(parseLogQuery(parts.query), { storePath: '/w/.pipelines/runs.sqlite', blockRunId: 17 });
  assert.match((parseLogQuery('store=%2Fx&blockRun=0') as { error: string }).error, /no block run/);
  assert.match((parseLogQuery('blockRun=3') as { error: string }).error, /no run store/);
});

test('the log document follows a block run read-only: appends new chunks only, ends with a summary', () => {
  const { path, cleanup } = tempStore();
  const store = writableStore(path);
  try {
    const run = store.createRun(newRun());
    const block = store.createBlockRun({ runId: run.id, block: 'load', status: 'running' });
    const log = store.openLog(block.id);
    const reader = openStore(path, { readonly: true });
    const follower = new LogFollower(block.id);
    assert.equal(follower.update(reader), true);
    assert.equal(follower.text, `[etl #${run.id} · load · attempt 1]\n\n`);
    log.write('stdout', '\x1b[33mwarming up\x1b[0m\n');
    log.flush();
    assert.equal(follower.update(reader), true);
    assert.equal(follower.update(reader), false, 'nothing new, nothing changed');
    log.write('stderr', 'boom\n');
    log.close();
    store.updateBlockRun(block.id, { status: 'failed', exitCode: 2 });
    assert.equal(follower.update(reader), true);
    assert.equal(follower.finished, true);
    assert.match(follower.text, /^\[etl #1 · load · attempt 1\]\n\nwarming up\nboom\n\n\[failed · \d+ms · exit 2\]\n$/);
    store.deleteRun(run.id);
    assert.equal(follower.update(reader), false, 'a finished log is not read again');
    const gone = new LogFollower(block.id);
    gone.update(reader);
    assert.match(gone.text, /no longer in the store/);
    reader.close();
  } finally {
    store.close();
    cleanup();
  }
});

test('another process writing the store: the run-state hub reports it merged, the tree and the log follow it live', async () => {
  const { path, cleanup } = tempStore();
  const seed = writableStore(path);
  seed.close();
  const model = modelFor(path);
  const reader = openStore(path, { readonly: true });
  let refreshes = 0;
  let follower: LogFollower | undefined;
  const snapshots: string[] = [];
  const changedKinds: string[] = [];
  const hub = new RunStateHub({ delayMs: 100 });
  const hold = hub.hold(path);
  hub.subscribe(() => {
    refreshes++;
    for (const node of model.refresh()) changedKinds.push(node?.kind ?? 'root');
    if (follower !== undefined && follower.update(reader)) snapshots.push(follower.text);
  });
  try {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'slowWriter.ts'), path, '40', '25'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const { blockRunId } = JSON.parse(line.toString()) as { runId: number; blockRunId: number };
    follower = new LogFollower(blockRunId);
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
    const deadline = Date.now() + 60_000; // a hang guard: a busy machine may take seconds
    while (follower.finished !== true && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(follower.finished, true, 'the watcher saw the block finish');
    assert.ok(snapshots.length >= 2, `the log grew in several steps while the block ran (${snapshots.length})`);
    assert.ok(refreshes < 40, `throttled: ${refreshes} refreshes for 40+ writes`);
    assert.match(follower.text, /row 1 done\nrow 2 done\n[\s\S]*row 40 done\n\n\[completed · [\d.]+m?s\]\n$/);
    assert.ok(!follower.text.includes('\x1b'));
    const pipelines = model.children() as PipelineNode[];
    assert.equal((model.children(pipelines[0]) as RunNode[])[0]?.run.status, 'completed');
    assert.ok(changedKinds.includes('root'), `the new pipeline appeared (${changedKinds.join(',')})`);
  } finally {
    hold.release();
    hub.dispose();
    reader.close();
    model.dispose();
    cleanup();
  }
});

test('the watcher waits for a store folder that does not exist yet', async () => {
  const { path, cleanup } = tempStore();
  let calls = 0;
  const watcher = new StoreWatcher(path, () => void calls++, { pollMs: 30 });
  try {
    const store = writableStore(path);
    store.createRun(newRun());
    store.close();
    const deadline = Date.now() + 60_000; // a hang guard: a busy machine may take seconds
    while (calls === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(calls > 0, 'the folder appeared and the change was reported');
  } finally {
    watcher.dispose();
    cleanup();
  }
});
