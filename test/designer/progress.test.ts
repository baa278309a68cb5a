import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { blockMedians, median } from '../../client/src/graph/blockMedians.ts';
import { openStore } from '../../core/src/store/index.ts';
import type { BlockState, GraphModel } from '../../webview/src/protocol.ts';
import { progressOf } from '../../webview/src/view/progressEstimate.ts';
import { newRun, tempFolder } from '../store/helpers.ts';

// a → b → d, a → c → d
const model: GraphModel = { pipelineName: 'p', nodes: ['d', 'a', 'b', 'c'].map((id) => ({ id })), edges: [[1, 2], [1, 3], [2, 0], [3, 0]] };

test('median of odd and even counts', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('time left is the longest chain of unfinished blocks, a running block counting what its median leaves', () => {
  const medians = { a: 1000, b: 5000, c: 2000, d: 500 };
  const states = new Map<string, BlockState>([['a', { status: 'completed' }], ['b', { status: 'running' }], ['c', { status: 'failed' }]]);
  const p = progressOf(model, states, medians, new Map([['b', 10_000]]), 12_000, { done: 2, total: 4 });
  // b has run 2 s of its 5 s median: 3 s left, then d (0.5 s); c is final.
  assert.deepEqual(p, { done: 2, total: 4, failed: 1, remainingMs: 3500 });
  const none = progressOf(model, new Map(), {}, new Map(), 0, { done: 0, total: 4 });
  assert.equal(none.remainingMs, undefined, 'no history, no estimate');
});

test('medians come from the completed attempts of earlier completed runs of the same file, the shown run excluded', () => {
  const { dir, cleanup } = tempFolder();
  try {
    const store = openStore(join(dir, 'runs.db'));
    const file = '/work/example/etl.pipeline.yaml';
    const runWith = (status: 'completed' | 'failed', durations: Record<string, number>, pipelineFile = file): number => {
      const run = store.createRun(newRun({ pipelineFile }));
      for (const [block, ms] of Object.entries(durations)) store.createBlockRun({ runId: run.id, block, status: 'completed', startedAt: 1000, finishedAt: 1000 + ms });
      store.updateRun(run.id, { status });
      return run.id;
    };
    runWith('completed', { a: 100, b: 1000 });
    runWith('completed', { a: 300, b: 3000 });
    runWith('completed', { a: 200 });
    runWith('failed', { a: 9999 });
    runWith('completed', { a: 9999 }, '/elsewhere/other.pipeline.yaml');
    const shown = runWith('completed', { a: 8888 });
    assert.deepEqual(blockMedians(store, file, shown), { a: 200, b: 2000 });
    store.close();
  } finally {
    cleanup();
  }
});
