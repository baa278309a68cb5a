import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planRun } from '../../core/src/runner/plan.ts';
import { RunRefused } from '../../core/src/runner/prepare.ts';
import { startRun } from '../../core/src/runner/engine.ts';
import { pipelineDir, runFile } from './support.ts';

// a → b → c, and d alone; b and c echo the output they read from upstream.
const CHAIN = `variables:
  tag: v1
blocks:
  a:
    outputs: [n]
    run: echo "n=\${{ vars.tag }}-$PIPELINE_RUN_ID" >> "$PIPELINE_OUTPUT"
  b:
    depends_on: a
    outputs: [n]
    run: |
      echo "b saw \${{ blocks.a.outputs.n }}"
      echo "n=b" >> "$PIPELINE_OUTPUT"
  c:
    depends_on: b
    run: echo "c saw \${{ blocks.b.outputs.n }} and \${{ blocks.a.outputs.n }} (\${{ blocks.a.status }})"
  d:
    run: echo d
`;

function statuses(r: Awaited<ReturnType<typeof runFile>>): string[][] {
  return r.result.blocks.map((b) => [b.block, b.status]);
}

test('upto runs a block and everything upstream; only runs just the named blocks', async () => {
  const { file } = pipelineDir(CHAIN);
  const upto = await runFile(file, { selection: { mode: 'upto', block: 'b' } });
  assert.deepEqual(statuses(upto), [['a', 'completed'], ['b', 'completed'], ['c', 'skipped'], ['d', 'skipped']]);
  assert.equal(upto.store.getRun(upto.result.runId)?.mode, 'upto');
  assert.deepEqual(upto.store.getRun(upto.result.runId)?.selection, ['b']);
  const only = await runFile(file, { store: upto.store, selection: { mode: 'only', blocks: ['c', 'd'] } });
  assert.deepEqual(statuses(only), [['a', 'skipped'], ['b', 'skipped'], ['c', 'completed'], ['d', 'completed']]);
  assert.equal(only.log('c'), `c saw b and v1-${upto.result.runId} (completed)\n`);
});

test('from reuses the latest completed upstream results, and refuses naming what never completed', async () => {
  const { file } = pipelineDir(CHAIN);
  const first = await runFile(file, { selection: { mode: 'from', block: 'a' } });
  assert.deepEqual(statuses(first), [['a', 'completed'], ['b', 'completed'], ['c', 'completed'], ['d', 'skipped']]);
  const second = await runFile(file, { store: first.store, selection: { mode: 'from', block: 'c' } });
  assert.deepEqual(statuses(second), [['a', 'skipped'], ['b', 'skipped'], ['c', 'completed'], ['d', 'skipped']]);
  assert.equal(second.log('c'), `c saw b and v1-${first.result.runId} (completed)\n`);
  const reused = second.store.blockRuns(second.result.runId).find((b) => b.block === 'a');
  assert.equal(reused?.reason, `not selected; reusing run #${first.result.runId}`);

  const fresh = pipelineDir(CHAIN);
  await assert.rejects(
    startRun({ file: fresh.file, store: first.store, selection: { mode: 'from', block: 'c' }, git: false }),
    (error: unknown) => error instanceof RunRefused && /upstream blocks 'a', 'b' never completed/.test(error.message),
  );
  await assert.rejects(startRun({ file: fresh.file, store: first.store, selection: { mode: 'from', block: 'x' }, git: false }), /there is no block 'x'/);
});

test('retry re-runs failed, cancelled and upstream_failed blocks and their dependents, reusing the completed ones', async () => {
  const { dir, file } = pipelineDir(`blocks:
  a:
    outputs: [n]
    run: echo "n=from-$PIPELINE_RUN_ID" >> "$PIPELINE_OUTPUT"
  b:
    depends_on: a
    run: test -f ok
  c:
    depends_on: b
    run: echo "c saw \${{ blocks.a.outputs.n }}"
  d:
    run: echo d
`);
  const failed = await runFile(file);
  assert.deepEqual(statuses(failed), [['a', 'completed'], ['b', 'failed'], ['c', 'upstream_failed'], ['d', 'completed']]);
  writeFileSync(join(dir, 'ok'), '');
  const retried = await runFile(file, { store: failed.store, selection: { mode: 'retry', runId: failed.result.runId } });
  assert.deepEqual(statuses(retried), [['a', 'skipped'], ['b', 'completed'], ['c', 'completed'], ['d', 'skipped']]);
  assert.equal(retried.log('c'), `c saw from-${failed.result.runId}\n`);
  const record = retried.store.getRun(retried.result.runId);
  assert.equal(record?.mode, 'retry');
  assert.equal(record?.sourceRunId, failed.result.runId);
  assert.deepEqual(record?.selection, ['b', 'c']);
  await assert.rejects(startRun({ file, store: failed.store, selection: { mode: 'retry', runId: retried.result.runId }, git: false }), /has no failed, cancelled or interrupted blocks/);
});

test('replay runs the same selection with the same variables as a new run', async () => {
  const { file } = pipelineDir(CHAIN);
  const original = await runFile(file, { selection: { mode: 'upto', block: 'b' }, variables: { tag: 'v7' } });
  const replay = await runFile(file, { store: original.store, selection: { mode: 'replay', runId: original.result.runId } });
  assert.deepEqual(statuses(replay), statuses(original));
  assert.equal(replay.log('b'), `b saw v7-${replay.result.runId}\n`);
  const record = replay.store.getRun(replay.result.runId);
  assert.equal(record?.mode, 'replay');
  assert.deepEqual(record?.variables, { tag: 'v7' });
  assert.equal(record?.sourceRunId, original.result.runId);
  const again = await runFile(file, { store: original.store, selection: { mode: 'replay', runId: replay.result.runId } });
  assert.deepEqual(statuses(again), statuses(original), 'a replay of a replay repeats the original selection');
});

test('dry run: a plan of what would run, be cached, skipped or condition-false; nothing executed or recorded', () => {
  const { dir, file } = pipelineDir(`variables:
  env: dev
blocks:
  build:
    run: touch built; echo \${{ vars.env }} "\${{ vars.env }}"
  deploy:
    if: vars.env == 'prod'
    run: echo deploy
  off:
    disabled: true
    run: echo off
  after_off:
    depends_on: off
    run: echo no
  check:
    depends_on: build
    if: \${{ blocks.build.outputs.ok == 'yes' }}
    run: echo check
  leaky:
    run: echo '\${{ vars.env }}'
`);
  const plan = planRun({ file });
  assert.deepEqual(plan.blocks.map((b) => [b.block, b.action]), [
    ['build', 'run'], ['deploy', 'condition_failed'], ['off', 'skipped'], ['after_off', 'skipped'], ['check', 'run'], ['leaky', 'fail'],
  ]);
  assert.equal(plan.blocks[0]?.command, `touch built; echo 'dev' "dev"`);
  assert.match(plan.blocks[4]?.notes.join() ?? '', /condition decided at run time \(reads blocks\.build\.outputs\.ok\)/);
  assert.match(plan.blocks[5]?.reason ?? '', /inside single quotes/);
  assert.ok(!existsSync(join(dir, 'built')));
  assert.deepEqual(planRun({ file, variables: { env: 'prod' } }).blocks[1]?.action, 'run');
});

test('a run refuses unknown and ill-typed variables, naming them', () => {
  const { file } = pipelineDir('variables:\n  count: { type: number, default: 1 }\n  e: { default: a, enum: [a, b] }\nblocks:\n  x:\n    run: echo ${{ vars.count }} ${{ vars.e }}\n');
  assert.throws(() => planRun({ file, variables: { cuont: '1', count: 'abc', e: 'c' } }), (error: unknown) => {
    assert.ok(error instanceof RunRefused);
    assert.deepEqual(error.problems, [
      "unknown variable 'cuont'; did you mean 'count'?",
      'variable \'count\' is a number; "abc" is not',
      'variable \'e\' must be one of "a", "b", not "c"',
    ]);
    return true;
  });
});
