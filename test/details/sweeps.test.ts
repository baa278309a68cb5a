import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DetailsRecorder } from '../../core/src/details/recorder.ts';
import { DetailsStore } from '../../core/src/details/detailsStore.ts';
import { openStore } from '../../core/src/store/index.ts';
import { pipelineDir, tempDir } from '../runner/support.ts';

const BLOCKS = 50;

/**
 * The recorder's "one file sweep pending at a time" rule (commit d397e7d), counted: the events of a
 * run whose first block ends alone and whose 49 others end, with the run, while that block's files
 * are being written. They share one more sweep, which goes without its 200 ms wait; before the rule
 * each queued a sweep of its own. The sweeps are counted through the recorder's onSweep hook.
 */
test('blocks ending while a sweep is written share the next one, and after the run ends it goes at once', async () => {
  const yaml = `blocks:\n${Array.from({ length: BLOCKS }, (_, i) => `  b${i}:\n    cache:\n      inputs: []\n      outputs: [out/b${i}.txt]\n    run: "true"\n`).join('')}`;
  const { dir, file } = pipelineDir(yaml);
  mkdirSync(join(dir, 'out'));
  for (let i = 0; i < BLOCKS; i++) writeFileSync(join(dir, 'out', `b${i}.txt`), `block ${i}\n`);
  const store = openStore(join(tempDir('ps-details-'), 'runs.sqlite'));
  const run = store.createRun({ pipelineName: 'many', pipelineFile: file, trigger: 'cli', mode: 'all', selection: [], sourceRunId: undefined, variables: {}, git: undefined });
  const rows = Array.from({ length: BLOCKS }, (_, i) => store.createBlockRun({ runId: run.id, block: `b${i}`, status: 'running', attempt: 1 }).id);

  const sweeps: { blocks: number; waited: boolean }[] = [];
  let ended: () => void = () => undefined;
  const allEnded = new Promise<void>((resolve) => (ended = resolve));
  const recorder = new DetailsRecorder({
    store, file, git: false, resources: false,
    onSweep: (sweep) => {
      sweeps.push(sweep);
      if (sweeps.length !== 1) return;
      // The first sweep has taken b0 and is writing: every other block ends now, then the run.
      for (let i = 1; i < BLOCKS; i++) endBlock(i);
      recorder.observe({ type: 'run-finished', runId: run.id, status: 'completed', blocks: [], time: Date.now() });
      ended();
    },
  });
  const endBlock = (i: number): void => {
    const block = `b${i}`;
    recorder.observe({ type: 'block-attempt', runId: run.id, block, attempt: 1, blockRunId: rows[i] ?? 0, pid: undefined, cwd: dir, cache: { inputs: [], outputs: [`out/${block}.txt`] }, time: Date.now() });
    recorder.observe({ type: 'block-status', runId: run.id, block, status: 'completed', attempt: 1, time: Date.now() });
  };
  recorder.observe({ type: 'run-started', runId: run.id, pipelineName: 'many', pipelineFile: file, blocks: rows.map((_, i) => ({ id: `b${i}`, status: 'running' })), concurrency: BLOCKS, time: Date.now() });
  endBlock(0);
  await allEnded;
  await recorder.settled();
  assert.equal(recorder.error, undefined);

  assert.deepEqual(sweeps, [{ blocks: 1, waited: true }, { blocks: BLOCKS - 1, waited: false }]);
  // And every block's file is in the store file.
  const details = DetailsStore.open(store);
  assert.equal(details.artifacts(run.id).length, BLOCKS);
  assert.equal(new Set(details.artifacts(run.id).map((a) => a.blockRunId)).size, BLOCKS);
  details.close();
  store.close();
});
