import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ExecutionLinks } from '../../core/src/store/executionLinks.ts';
import { validatePipeline } from '../../core/src/validate/validate.ts';
import { parentPipeline, trainPipeline } from './subPipelineFixture.ts';
import { pipelineDir, runFile } from './support.ts';

// Sub-pipelines (issue 17): a `pipeline:` block runs another file as a child run in the same store.

const PARENT = parentPipeline('${{ vars.epochs }}', 'variables:\n  epochs: "3; touch pwned"\n');
const TRAIN = trainPipeline(`printf '%s\\n' "\${{ vars.epochs }}" > epochs.txt`, 'pipeline: ./evaluate.pipeline.yaml');
// The grandchild fails until the flag file exists.
const EVALUATE = `blocks:
  score:
    run: test -e fixed.flag && echo scored
  publish:
    depends_on: [score]
    run: echo published
`;

test('two levels deep: a failure in the grandchild fails its parent blocks and the run; retry re-runs only the failed part', async () => {
  const { dir, file } = pipelineDir(PARENT, { 'train.pipeline.yaml': TRAIN, 'evaluate.pipeline.yaml': EVALUATE });
  const first = await runFile(file);
  assert.equal(first.result.status, 'failed');
  assert.equal(first.block('prepare').status, 'completed');
  assert.equal(first.block('train').status, 'failed');
  assert.match(first.block('train').reason ?? '', /^child run #\d+ failed \(evaluate\)/);
  assert.equal(first.block('report').status, 'upstream_failed');

  const links = ExecutionLinks.open(first.store);
  try {
    const child = links.childOf(first.result.runId, 'train');
    assert.ok(child !== undefined, 'the child run is linked to its parent block');
    assert.deepEqual(links.parentOf(child), { childRunId: child, parentRunId: first.result.runId, parentBlock: 'train', parentBlockRunId: undefined });
    const grandchild = links.childOf(child, 'evaluate');
    assert.ok(grandchild !== undefined, 'and the grandchild to the child');
    const childRun = first.store.getRun(child);
    assert.equal(childRun?.status, 'failed');
    assert.equal(childRun?.trigger, 'pipeline');
    assert.equal(first.store.getRun(grandchild)?.status, 'failed');
    assert.deepEqual(first.store.blockRuns(grandchild).map((b) => [b.block, b.status]), [['score', 'failed'], ['publish', 'upstream_failed']]);
    // `with:` passed the parent's value as data: the shell never ran it.
    assert.equal(childRun?.variables.epochs, '3; touch pwned');
    assert.equal(existsSync(join(dir, 'pwned')), false);
    assert.match(first.log('train'), /child run #\d+ of train\.pipeline\.yaml/);

    writeFileSync(join(dir, 'fixed.flag'), '');
    const retried = await runFile(file, { store: first.store, selection: { mode: 'retry', runId: first.result.runId } });
    assert.equal(retried.result.status, 'completed');
    assert.equal(retried.block('prepare').status, 'skipped', 'the parent reuses what completed');
    assert.equal(retried.block('report').status, 'completed');
    const child2 = links.childOf(retried.result.runId, 'train');
    assert.ok(child2 !== undefined && child2 !== child);
    assert.deepEqual(retried.store.blockRuns(child2).map((b) => [b.block, b.status]), [['fit', 'skipped'], ['evaluate', 'completed']], 'the child retries only its failed block');
    const grandchild2 = links.childOf(child2, 'evaluate');
    assert.ok(grandchild2 !== undefined);
    assert.deepEqual(retried.store.blockRuns(grandchild2).map((b) => [b.block, b.status]), [['score', 'completed'], ['publish', 'completed']]);
    assert.match(retried.log('train'), /retrying run #\d+/);
  } finally {
    links.close();
  }
});

test('cancel propagates down: cancelling the parent cancels the running child and its block', async () => {
  const { file } = pipelineDir('blocks:\n  sub:\n    pipeline: ./slow.pipeline.yaml\n', { 'slow.pipeline.yaml': 'blocks:\n  wait:\n    run: sleep 30\n' });
  const finished = await runFile(file, {
    onStart: (handle, events) => {
      const poll = setInterval(() => {
        if (events.some((e) => e.type === 'log-chunk' && /child run #/.test(e.text))) {
          clearInterval(poll);
          handle.cancel();
        }
      }, 20);
    },
  });
  assert.equal(finished.result.status, 'cancelled');
  const links = ExecutionLinks.open(finished.store);
  try {
    const child = links.childOf(finished.result.runId, 'sub');
    assert.ok(child !== undefined);
    assert.equal(finished.store.getRun(child)?.status, 'cancelled');
    assert.equal(finished.store.blockRuns(child)[0]?.status, 'cancelled');
  } finally {
    links.close();
  }
});

test('a plain pause propagates down: the child starts nothing new until the parent resumes', async () => {
  const { dir, file } = pipelineDir('blocks:\n  sub:\n    pipeline: ./two.pipeline.yaml\n', {
    'two.pipeline.yaml': "blocks:\n  first:\n    run: while [ ! -e go.flag ]; do sleep 0.05; done\n  second:\n    depends_on: [first]\n    run: echo two\n",
  });
  let childId: number | undefined;
  const { openStore } = await import('../../core/src/store/index.ts');
  const { tempDir } = await import('./support.ts');
  finishedStore = openStore(join(tempDir('ps-store-'), 'runs.sqlite'));
  const finished = await runFile(file, {
    store: finishedStore,
    onStart: (handle, events) => {
      const poll = setInterval(() => {
        const started = events.find((e) => e.type === 'log-chunk' && /child run #(\d+)/.test(e.text));
        if (started === undefined || started.type !== 'log-chunk') return;
        clearInterval(poll);
        childId = Number(/child run #(\d+)/.exec(started.text)?.[1]);
        assert.equal(handle.pause(false).ok, true);
        writeFileSync(join(dir, 'go.flag'), '');
        const check = setInterval(() => {
          const rows = finishedStore?.blockRuns(childId ?? 0) ?? [];
          if (rows.find((b) => b.block === 'first')?.status !== 'completed') return;
          clearInterval(check);
          assert.equal(finishedStore?.getRun(childId ?? 0)?.status, 'paused', 'the child is paused with its parent');
          assert.notEqual(rows.find((b) => b.block === 'second')?.status, 'running');
          handle.resume();
        }, 20);
      }, 20);
    },
  });
  assert.equal(finished.result.status, 'completed');
  assert.equal(finished.store.blockRuns(childId ?? 0).find((b) => b.block === 'second')?.status, 'completed');
});
let finishedStore: import('../../core/src/store/types.ts').RunStore | undefined;

test('recursion: a file that includes itself, directly or through another, is a diagnostic on `pipeline:` and refused at run time', async () => {
  const { dir, file } = pipelineDir('blocks:\n  again:\n    pipeline: ./b.pipeline.yaml\n', { 'b.pipeline.yaml': 'blocks:\n  back:\n    pipeline: ./p.pipeline.yaml\n' });
  const text = 'blocks:\n  again:\n    pipeline: ./b.pipeline.yaml\n';
  const exists = (path: string): boolean => existsSync(resolve(dirname(file), path));
  const { diagnostics } = validatePipeline(text, { fileName: file, pipelineExists: exists });
  const recursion = diagnostics.filter((d) => d.code === 'pipeline-recursion');
  assert.equal(recursion.length, 1, JSON.stringify(diagnostics));
  assert.equal(text.slice(recursion[0]?.span.start, recursion[0]?.span.end), './b.pipeline.yaml');
  assert.match(recursion[0]?.message ?? '', /p\.pipeline\.yaml → b\.pipeline\.yaml → p\.pipeline\.yaml/);
  const self = validatePipeline('blocks:\n  me:\n    pipeline: ./p.pipeline.yaml\n', { fileName: file, pipelineExists: exists }).diagnostics;
  assert.deepEqual(self.map((d) => d.code), ['pipeline-recursion']);
  const missing = validatePipeline('blocks:\n  x:\n    pipeline: ./nope.pipeline.yaml\n', { fileName: file, pipelineExists: exists }).diagnostics;
  assert.deepEqual(missing.map((d) => d.code), ['unknown-pipeline']);

  const run = await runFile(file);
  assert.equal(run.result.status, 'failed');
  assert.match(run.block('again').reason ?? '', /child run #\d+ failed \(back\)/);
  const links = ExecutionLinks.open(run.store);
  try {
    const child = links.childOf(run.result.runId, 'again') ?? 0;
    assert.match(run.store.blockRuns(child)[0]?.reason ?? '', /^recursion: p\.pipeline\.yaml → b\.pipeline\.yaml → p\.pipeline\.yaml/);
    assert.equal(links.children(child).length, 0, 'the recursive file never started');
  } finally {
    links.close();
  }
  void dir;
});
