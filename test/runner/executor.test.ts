import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Executor, ExecutorRun } from '../../core/src/runner/executor.ts';
import { LOCAL_EXECUTOR } from '../../core/src/runner/localExecutor.ts';
import { RunRefused } from '../../core/src/runner/prepare.ts';
import { join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import { pipelineDir, runFile, tempDir } from './support.ts';

// The executor interface as a cluster executor uses it: prepared once per run, an attempt queued
// outside (with the cluster's reason) before it starts, disposed when the run ends. The attempts
// themselves run on the local executor, so they are real processes.

/** Holds each attempt "in the cluster's queue" until release(), then runs it locally. */
function queueingExecutor(log: string[]): Executor & { release(): void } {
  const held: (() => void)[] = [];
  return {
    name: 'fake-cluster',
    prepare: (run: ExecutorRun) => {
      log.push(`prepare run ${run.runId} token ${run.token.length} chars`);
      return Promise.resolve();
    },
    dispose: (run: ExecutorRun) => {
      log.push(`dispose run ${run.runId}`);
      return Promise.resolve();
    },
    start: (options) => {
      log.push(`start ${options.block ?? '?'} attempt ${options.attempt ?? 0}`);
      options.onQueued?.('Resources');
      let inner: ReturnType<Executor['start']> | undefined;
      const done = new Promise<Awaited<ReturnType<Executor['start']>['done']>>((resolve) => {
        held.push(() => {
          inner = LOCAL_EXECUTOR.start(options);
          void inner.done.then(resolve);
        });
      });
      return { done, stop: (why) => inner?.stop(why) };
    },
    release() {
      for (const go of held.splice(0)) go();
    },
  };
}

test('an executor can hold an attempt in an outside queue with a reason; the block shows queued, then running', async () => {
  const log: string[] = [];
  const cluster = queueingExecutor(log);
  const { file } = pipelineDir('blocks:\n  local:\n    run: echo here\n  remote:\n    run: echo "there $PIPELINE_RUN_ID"\n');
  const r = await runFile(file, {
    executorFor: (block) => (block.id === 'remote' ? cluster : undefined),
    onEvent: (e) => {
      if (e.type === 'block-status' && e.block === 'remote' && e.status === 'queued' && e.reason === 'Resources') setImmediate(() => cluster.release());
    },
  });
  assert.equal(r.result.status, 'completed');
  assert.equal(r.log('remote'), `there ${r.result.runId}\n`);
  assert.equal(r.log('local'), 'here\n');
  const remote = r.events.flatMap((e) => (e.type === 'block-status' && e.block === 'remote' ? [`${e.status}${e.reason === undefined ? '' : ` (${e.reason})`}`] : []));
  assert.deepEqual(remote, ['queued', 'running', 'queued (Resources)', 'running', 'completed']);
  assert.deepEqual(log, [`prepare run ${r.result.runId} token 24 chars`, 'start remote attempt 1', `dispose run ${r.result.runId}`]);
});

test('the outside queue\'s reason is kept on the block row while it waits (the tree and graph read the store), and cleared when it starts', async () => {
  const log: string[] = [];
  const cluster = queueingExecutor(log);
  const store = openStore(join(tempDir('ps-store-'), 'runs.sqlite'));
  const { file } = pipelineDir('blocks:\n  remote:\n    run: echo there\n');
  let whileQueued: { status: string; reason: string | undefined } | undefined;
  const r = await runFile(file, {
    store,
    executorFor: () => cluster,
    onEvent: (e) => {
      if (e.type !== 'block-status' || e.status !== 'queued' || e.reason !== 'Resources') return;
      // Block rows are written behind in short batches: read after the next one.
      setTimeout(() => {
        const row = store.blockRuns(e.runId).find((b) => b.block === 'remote');
        whileQueued = { status: row?.status ?? '?', reason: row?.reason };
        cluster.release();
      }, 200);
    },
  });
  assert.equal(r.result.status, 'completed');
  assert.deepEqual(whileQueued, { status: 'queued', reason: 'Resources' });
  const done = store.blockRuns(r.result.runId).find((b) => b.block === 'remote');
  assert.equal(done?.status, 'completed');
  assert.equal(done?.reason, undefined);
  store.close();
});

test('an executor that cannot prepare refuses the run with its reason, recorded failed', async () => {
  const broken: Executor = { name: 'broken', prepare: () => Promise.reject(new Error('no credentials for the cluster')), start: (options) => LOCAL_EXECUTOR.start(options) };
  const { file } = pipelineDir('blocks:\n  a:\n    run: echo a\n');
  const store = openStore(join(tempDir('ps-store-'), 'runs.sqlite'));
  await assert.rejects(runFile(file, { executor: broken, store }), (error: unknown) => {
    assert.ok(error instanceof RunRefused);
    assert.equal(error.message, "executor 'broken' could not prepare the run: no credentials for the cluster");
    return true;
  });
  const [run] = store.listRuns({});
  assert.equal(run?.status, 'failed');
  assert.equal(run?.error, "executor 'broken' could not prepare the run: no credentials for the cluster");
  store.close();
});
