import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePipeline } from '../../core/src/index.ts';
import { attemptResources, executorChooser } from '../../core/src/executors/index.ts';

const PIPELINE = `executors:
  gpu: { type: slurm, partition: gpu }
  box: { type: container, image: alpine:3.20 }
  k8s: { type: argo, image: alpine:3.20 }
executor: box
blocks:
  a:
    run: echo a
  b:
    executor: gpu
    resources: { cpus: 2, memory: 1G }
    run: echo b
  c:
    executor: gpu
    run: echo c
  d:
    executor: local
    run: echo d
`;

test('the chooser: the block\'s executor, else the run\'s override, else the pipeline\'s; one executor per profile; local is the engine\'s own', () => {
  const { pipeline } = validatePipeline(PIPELINE);
  const block = (id: string) => pipeline.blockById.get(id) ?? assert.fail(id);
  const choose = executorChooser(pipeline);
  assert.equal(choose(block('a'))?.name, 'box');
  assert.equal(choose(block('b'))?.name, 'gpu');
  assert.equal(choose(block('b')), choose(block('c')), 'blocks of one profile share its executor (and so one poll per run)');
  assert.equal(choose(block('d')), undefined);
  assert.equal(executorChooser(pipeline, 'gpu')(block('a'))?.name, 'gpu');
  assert.equal(executorChooser(pipeline, 'k8s')(block('a')), undefined, 'argo runs whole workflows, not attempts');
  assert.deepEqual(attemptResources(block('b')), { cpus: 2, memoryMb: 1024 });
  assert.equal(attemptResources(block('a')), undefined);
});
