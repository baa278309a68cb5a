import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultStorePath, openStore, StoreError, type RunStore } from '../../core/src/store/index.ts';
import { DRIVERS, newRun, tempFolder } from './helpers.ts';

for (const driver of DRIVERS) {
  const withStore = (fn: (store: RunStore, path: string) => void) => () => {
    const { dir, cleanup } = tempFolder();
    const path = join(dir, 'runs.sqlite');
    const store = openStore(path, { driver });
    try {
      assert.equal(store.driver, driver);
      fn(store, path);
    } finally {
      store.close();
      cleanup();
    }
  };

  test(`${driver}: a run and its block runs round-trip`, withStore((store) => {
    const run = store.createRun(newRun({ mode: 'only', selection: ['load'], sourceRunId: 7, variables: { q: "'; rm -rf ~", n: 3, on: true } }));
    assert.equal(run.id, 1);
    assert.equal(run.status, 'initial');
    assert.equal(run.ownerPid, process.pid);
    assert.deepEqual(run.selection, ['load']);
    assert.equal(run.sourceRunId, 7);
    assert.deepEqual(run.variables, { q: "'; rm -rf ~", n: 3, on: true });
    assert.deepEqual(run.git, { commit: 'a3f9e2b', branch: 'main', dirty: true });
    assert.equal(run.startedAt, undefined);

    store.updateRun(run.id, { status: 'running' });
    const extract = store.createBlockRun({ runId: run.id, block: 'extract', status: 'running' });
    assert.equal(extract.attempt, 1);
    assert.ok(extract.startedAt !== undefined);
    store.updateBlockRun(extract.id, { status: 'completed', exitCode: 0, outputs: { rows: '42' }, fingerprint: 'fp1', outputHashes: { 'out.csv': 'h1' } });
    const failed = store.createBlockRun({ runId: run.id, block: 'load', status: 'running' });
    store.updateBlockRun(failed.id, { status: 'failed', signal: 'SIGKILL', reason: 'timeout' });
    store.updateRun(run.id, { status: 'failed', error: 'load failed' });

    const stored = store.getRun(run.id);
    assert.equal(stored?.status, 'failed');
    assert.ok(stored.startedAt !== undefined && stored.finishedAt !== undefined && stored.finishedAt >= stored.startedAt);
    assert.equal(stored.error, 'load failed');
    const blocks = store.blockRuns(run.id);
    assert.deepEqual(blocks.map((b) => [b.block, b.status, b.exitCode, b.signal, b.reason]), [
      ['extract', 'completed', 0, undefined, undefined],
      ['load', 'failed', undefined, 'SIGKILL', 'timeout'],
    ]);
    assert.deepEqual(blocks[0]?.outputs, { rows: '42' });
    assert.deepEqual(blocks[0]?.outputHashes, { 'out.csv': 'h1' });
    assert.equal(blocks[0]?.fingerprint, 'fp1');
    assert.equal(blocks[1]?.outputHashes, undefined);
    assert.equal(store.getRun(999), undefined);
    assert.throws(() => store.updateRun(999, { status: 'failed' }), (e: unknown) => e instanceof StoreError && e.kind === 'not-found');
    assert.throws(() => store.createBlockRun({ runId: 999, block: 'x' }), (e: unknown) => e instanceof StoreError && e.kind === 'not-found');
  }));

  test(`${driver}: listRuns is newest first, filters, pages, and counts the latest attempt of each block`, withStore((store) => {
    const fileA = '/p/a.pipeline.yaml';
    const fileB = '/p/b.pipeline.yaml';
    for (let i = 0; i < 5; i++) {
      const run = store.createRun(newRun({ pipelineFile: i % 2 === 0 ? fileA : fileB, pipelineName: i % 2 === 0 ? 'a' : 'b' }));
      store.updateRun(run.id, { status: 'running' });
      // Block x fails twice and then completes: counted once, as completed.
      for (let attempt = 1; attempt <= 3; attempt++) store.createBlockRun({ runId: run.id, block: 'x', attempt, status: attempt < 3 ? 'failed' : 'completed' });
      store.createBlockRun({ runId: run.id, block: 'y', status: 'upstream_failed' });
      store.createBlockRun({ runId: run.id, block: 'z', status: 'skipped' });
      store.updateRun(run.id, { status: i === 4 ? 'failed' : 'completed' });
    }
    const all = store.listRuns();
    assert.deepEqual(all.map((r) => r.id), [5, 4, 3, 2, 1]);
    assert.deepEqual(all[0]?.counts, { completed: 1, upstream_failed: 1, skipped: 1 });
    assert.deepEqual(store.listRuns({ pipelineFile: fileA }).map((r) => r.id), [5, 3, 1]);
    assert.deepEqual(store.listRuns({ pipelineName: 'b' }).map((r) => r.id), [4, 2]);
    assert.deepEqual(store.listRuns({ status: 'failed' }).map((r) => r.id), [5]);
    assert.deepEqual(store.listRuns({ limit: 2 }).map((r) => r.id), [5, 4]);
    assert.deepEqual(store.listRuns({ limit: 2, before: 4 }).map((r) => r.id), [3, 2]);
    assert.equal(store.latestRunId(), 5);
    assert.equal(store.latestRunId({ pipelineFile: fileB }), 4);
    assert.equal(store.latestRunId({ pipelineName: 'nope' }), undefined);
  }));

  test(`${driver}: from-mode and cache lookups find the newest completed or cached block run of the pipeline file`, withStore((store) => {
    const file = '/p/etl.pipeline.yaml';
    const r1 = store.createRun(newRun({ pipelineFile: file }));
    const old = store.createBlockRun({ runId: r1.id, block: 'extract', status: 'completed', fingerprint: 'f1', outputs: { n: '1' } });
    const r2 = store.createRun(newRun({ pipelineFile: file }));
    const cached = store.createBlockRun({ runId: r2.id, block: 'extract', status: 'cached', fingerprint: 'f1', outputs: { n: '1' } });
    store.createBlockRun({ runId: r2.id, block: 'extract', status: 'failed', attempt: 2, fingerprint: 'f2' });
    const other = store.createRun(newRun({ pipelineFile: '/p/other.pipeline.yaml' }));
    store.createBlockRun({ runId: other.id, block: 'extract', status: 'completed', fingerprint: 'f1' });

    assert.equal(store.latestCompletedBlockRun(file, 'extract')?.id, cached.id);
    assert.equal(store.latestCompletedBlockRun(file, 'transform'), undefined);
    assert.equal(store.findCachedBlockRun(file, 'extract', 'f1')?.id, cached.id);
    assert.equal(store.findCachedBlockRun(file, 'extract', 'f2'), undefined, 'a failed block run is never a cache hit');
    store.deleteRun(r2.id);
    assert.equal(store.latestCompletedBlockRun(file, 'extract')?.id, old.id);
    assert.equal(store.findCachedBlockRun(file, 'extract', 'f1')?.id, old.id);
  }));

  test(`${driver}: deleteRun and clearHistory remove runs with their block runs and logs, never unfinished runs`, withStore((store) => {
    const done = store.createRun(newRun());
    const block = store.createBlockRun({ runId: done.id, block: 'a', status: 'running' });
    const log = store.openLog(block.id);
    log.write('stdout', 'hello\n');
    log.close();
    store.updateRun(done.id, { status: 'completed' });
    const running = store.createRun(newRun());
    store.updateRun(running.id, { status: 'running' });
    const other = store.createRun(newRun({ pipelineFile: '/other.pipeline.yaml' }));
    store.updateRun(other.id, { status: 'failed' });

    assert.equal(store.clearHistory('/work/example/etl.pipeline.yaml'), 1);
    assert.equal(store.getRun(done.id), undefined);
    assert.equal(store.getBlockRun(block.id), undefined);
    assert.deepEqual(store.readLogs(block.id), []);
    assert.equal(store.getRun(running.id)?.status, 'running');
    assert.equal(store.clearHistory(), 1);
    assert.equal(store.deleteRun(running.id), true);
    assert.equal(store.deleteRun(running.id), false);
    // Run numbers are never reused, even after deleting the newest.
    assert.equal(store.createRun(newRun()).id, 4);
  }));

  test(`${driver}: a read-only store reads but refuses to write`, () => {
    const { dir, cleanup } = tempFolder();
    const path = join(dir, 'runs.sqlite');
    try {
      assert.throws(() => openStore(path, { driver, readonly: true }), (e: unknown) => e instanceof StoreError && e.kind === 'not-found');
      const writer = openStore(path, { driver });
      const run = writer.createRun(newRun());
      const reader = openStore(path, { driver, readonly: true });
      assert.equal(reader.getRun(run.id)?.status, 'initial');
      assert.equal(reader.listRuns()[0]?.id, run.id);
      assert.throws(() => reader.createRun(newRun()), (e: unknown) => e instanceof StoreError && e.kind === 'io');
      writer.updateRun(run.id, { status: 'running' });
      assert.equal(reader.getRun(run.id)?.status, 'running', 'a reader sees commits of the writer');
      reader.close();
      writer.close();
      assert.throws(() => writer.getRun(1), (e: unknown) => e instanceof StoreError && /closed/.test(e.message));
    } finally {
      cleanup();
    }
  });
}

test('defaultStorePath puts the store in .pipelines/ with a .gitignore of *', () => {
  const { dir, cleanup } = tempFolder();
  try {
    const path = defaultStorePath(dir);
    assert.equal(path, join(dir, '.pipelines', 'runs.sqlite'));
    assert.equal(readFileSync(join(dir, '.pipelines', '.gitignore'), 'utf8'), '*\n');
    assert.equal(existsSync(path), false, 'the helper does not create the database itself');
    assert.equal(defaultStorePath(dir), path);
  } finally {
    cleanup();
  }
});
