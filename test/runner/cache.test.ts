import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planRun } from '../../core/src/runner/plan.ts';
import { pipelineDir, runFile } from './support.ts';

// extract (no cache) → transform (cached on data/*.csv, writes out/result.txt) → report (cached on nothing).
const PIPELINE = `variables:
  rows: 3
blocks:
  extract:
    outputs: [rows]
    run: echo "rows=\${{ vars.rows }}" >> "$PIPELINE_OUTPUT"
  transform:
    depends_on: extract
    outputs: [lines]
    cache:
      inputs: ["data/*.csv"]
      outputs: [out/result.txt]
    run: |
      mkdir -p out
      cat data/*.csv > out/result.txt
      echo "ran" >> runs.log
      echo "lines=$(wc -l < out/result.txt)" >> "$PIPELINE_OUTPUT"
  report:
    depends_on: transform
    cache: {}
    run: echo "report of \${{ blocks.transform.outputs.lines }} lines"
`;

function setup(): { dir: string; file: string } {
  const { dir, file } = pipelineDir(PIPELINE);
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'a.csv'), 'x\ny\n');
  return { dir, file };
}

function statusOf(r: Awaited<ReturnType<typeof runFile>>, block: string): string {
  return r.block(block).status;
}

test('cache: hit when nothing changed, with the recorded outputs reused downstream', async () => {
  const { file } = setup();
  const first = await runFile(file);
  assert.equal(statusOf(first, 'transform'), 'completed');
  const second = await runFile(file, { store: first.store });
  assert.equal(statusOf(second, 'transform'), 'cached');
  assert.equal(statusOf(second, 'report'), 'cached');
  assert.deepEqual(second.block('transform').outputs, { lines: '2' });
  assert.equal(second.block('transform').reason, `same fingerprint as run #${first.result.runId}`);
  assert.equal(planRun({ file, store: first.store }).blocks.find((b) => b.block === 'transform')?.action, 'run', 'extract runs first, so the plan cannot know');
});

test('cache: miss after an input file changes', async () => {
  const { dir, file } = setup();
  const first = await runFile(file);
  writeFileSync(join(dir, 'data', 'a.csv'), 'x\ny\nz\n');
  const second = await runFile(file, { store: first.store });
  assert.equal(statusOf(second, 'transform'), 'completed');
  assert.equal(statusOf(second, 'report'), 'completed', 'its upstream outputs changed');
  writeFileSync(join(dir, 'data', 'b.csv'), 'new file\n');
  const third = await runFile(file, { store: first.store });
  assert.equal(statusOf(third, 'transform'), 'completed', 'a newly matched file is a change too');
});

test('cache: miss after an upstream block changes its outputs', async () => {
  const { file } = setup();
  const first = await runFile(file);
  const second = await runFile(file, { store: first.store, variables: { rows: 4 } });
  assert.equal(statusOf(second, 'transform'), 'completed');
  const third = await runFile(file, { store: first.store, variables: { rows: 4 } });
  assert.equal(statusOf(third, 'transform'), 'cached');
});

test('cache: miss when a recorded output file was changed or deleted, and --no-cache forces a run', async () => {
  const { dir, file } = setup();
  const first = await runFile(file);
  writeFileSync(join(dir, 'out', 'result.txt'), 'tampered\n');
  const second = await runFile(file, { store: first.store });
  assert.equal(statusOf(second, 'transform'), 'completed');
  const forced = await runFile(file, { store: first.store, noCache: true });
  assert.equal(statusOf(forced, 'transform'), 'completed');
  assert.equal(statusOf(forced, 'report'), 'completed');
  const after = await runFile(file, { store: first.store });
  assert.equal(statusOf(after, 'transform'), 'cached', 'a forced run refreshes the cache');
});

test('cache: the plan of a root cached block says cached', async () => {
  const { dir, file } = pipelineDir('blocks:\n  a:\n    cache:\n      inputs: [in.txt]\n      outputs: [out.txt]\n    run: cp in.txt out.txt\n', { 'in.txt': 'hello\n' });
  const first = await runFile(file);
  assert.equal(first.block('a').status, 'completed');
  assert.deepEqual(planRun({ file, store: first.store }).blocks.map((b) => b.action), ['cached']);
  writeFileSync(join(dir, 'in.txt'), 'changed\n');
  assert.deepEqual(planRun({ file, store: first.store }).blocks.map((b) => b.action), ['run']);
});
