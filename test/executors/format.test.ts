import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, completeAt, formatMemory, hoverAt, parseMemory, validatePipeline } from '../../core/src/index.ts';

const PIPELINE = `executors:
  gpu:
    type: slurm
    partition: gpu
    memory: 16G
    
  k8s:
    type: argo
    image: python:3.12-slim
executor: local
blocks:
  train:
    run: echo train
    executor: gpu
    resources: { cpus: 4 }
`;

function labelsAt(text: string, offset: number): string[] {
  return completeAt(text, offset, analyzeDocument(text))?.items.map((i) => i.label) ?? [];
}

test('the model keeps profiles, the default executor and per-block executor and resources', () => {
  const { pipeline, diagnostics } = validatePipeline(PIPELINE);
  assert.deepEqual(diagnostics, []);
  const gpu = pipeline.executors.get('gpu');
  assert.equal(gpu?.type, 'slurm');
  assert.equal(gpu.partition, 'gpu');
  assert.equal(gpu.memoryMb, 16 * 1024);
  assert.equal(pipeline.executor?.name, 'local');
  const train = pipeline.blockById.get('train');
  assert.equal(train?.executor?.name, 'gpu');
  assert.deepEqual({ cpus: train.resources?.cpus, memory: train.resources?.memoryMb, gpus: train.resources?.gpus }, { cpus: 4, memory: undefined, gpus: undefined });
});

test('completion in a profile offers only the keys of its type, minus those written', () => {
  const offset = PIPELINE.indexOf('    \n') + 4;
  const labels = labelsAt(PIPELINE, offset);
  assert.deepEqual(labels.sort(), ['cpus', 'extra', 'gres', 'time']);
});

test('completion of an executor value offers local and the profiles', () => {
  const text = PIPELINE.replace('executor: gpu', 'executor: ');
  const offset = text.indexOf('executor: \n') + 'executor: '.length;
  assert.deepEqual(labelsAt(text, offset), ['local', 'gpu', 'k8s']);
});

test('completion in resources offers cpus, memory and gpus', () => {
  const text = PIPELINE.replace('resources: { cpus: 4 }', 'resources:\n      ');
  const labels = labelsAt(text, text.length - 1);
  assert.deepEqual(labels, ['cpus', 'memory', 'gpus']);
});

test('hover on a profile key documents it; on an executor value it describes the profile', () => {
  const analysis = analyzeDocument(PIPELINE);
  const key = hoverAt(analysis, PIPELINE.indexOf('partition') + 2)?.contents ?? '';
  assert.match(key, /^\*\*partition\*\*\n\nThe SLURM partition/);
  const value = hoverAt(analysis, PIPELINE.indexOf('executor: gpu') + 'executor: g'.length)?.contents ?? '';
  assert.equal(value, '**Executor `gpu`** (slurm): partition `gpu`, memory 16G.');
  const local = hoverAt(analysis, PIPELINE.indexOf('executor: local') + 'executor: l'.length)?.contents ?? '';
  assert.match(local, /a process on this machine/);
});

test('memory amounts: units, binary suffixes, and a bare number refused with a hint', () => {
  assert.deepEqual(parseMemory('16G'), { mb: 16384 });
  assert.deepEqual(parseMemory('1.5Gi'), { mb: 1536 });
  assert.deepEqual(parseMemory('512MB'), { mb: 512 });
  assert.deepEqual(parseMemory('1T'), { mb: 1024 * 1024 });
  assert.deepEqual(parseMemory('2048K'), { mb: 2 });
  assert.match((parseMemory(16) as { error: string }).error, /Add a unit: '16M' or '16G'/);
  assert.ok('error' in parseMemory('0M'));
  assert.equal(formatMemory(16384, 'slurm'), '16G');
  assert.equal(formatMemory(1536, 'kubernetes'), '1536Mi');
  assert.equal(formatMemory(2048, 'docker'), '2g');
});
