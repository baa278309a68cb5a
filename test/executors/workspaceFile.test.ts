import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validatePipeline } from '../../core/src/index.ts';
import { validateExecutorsFile } from '../../core/src/parse/workspaceExecutors.ts';
import { LineIndex } from '../../core/src/text/lineIndex.ts';
import { CLI, tempDir } from '../runner/support.ts';

// .pipelines/executors.yaml: a workspace's own profiles, merged with the pipeline's (the workspace wins).

const WORKSPACE = `executors:
  gpu:
    type: slurm
    partition: a100
    extra: ["--account=me"]
  box: { type: container, image: alpine:3.20 }
`;

function where(text: string, offset: number): string {
  const at = new LineIndex(text).positionAt(offset);
  return `${at.line + 1}:${at.character + 1}`;
}

function workspace(executorsYaml: string, pipeline: string): { dir: string; file: string } {
  const dir = tempDir('ps-ws-exec-');
  mkdirSync(join(dir, '.pipelines'));
  writeFileSync(join(dir, '.pipelines', 'executors.yaml'), executorsYaml);
  mkdirSync(join(dir, 'sub'));
  const file = join(dir, 'sub', 'p.pipeline.yaml');
  writeFileSync(file, pipeline);
  return { dir, file };
}

test('the executors file is checked like a pipeline\'s executors: unknown keys per type, memory, type, top-level keys, each at its position', () => {
  const text = `executors:
  gpu:
    type: slurm
    memry: 4G
  big: { type: slurm, memory: 16 }
  odd: { type: lambda }
executor: gpu
`;
  const { profiles, diagnostics } = validateExecutorsFile(text);
  assert.deepEqual(diagnostics.map((d) => `${where(text, d.span.start)} ${d.code}`), [
    '4:5 unknown-key', '5:31 invalid-memory', '6:16 invalid-value', '7:1 unknown-key',
  ]);
  assert.match(diagnostics[0]?.message ?? '', /Did you mean 'memory'\?/);
  assert.deepEqual([...profiles.keys()], ['gpu', 'big'], 'a profile with a bad value keeps its valid keys; an unknown type is left out');
  assert.deepEqual(validateExecutorsFile('').diagnostics, []);
  assert.equal(validateExecutorsFile('- a\n').diagnostics[0]?.code, 'invalid-type');
});

test('a pipeline below the workspace may name its profiles; the workspace file wins over the pipeline\'s profile of the same name', () => {
  const pipeline = `executors:
  gpu: { type: slurm, partition: gpu }
executor: box
blocks:
  train:
    executor: gpu
    run: echo train
`;
  const { file } = workspace(WORKSPACE, pipeline);
  const result = validatePipeline(pipeline, { fileName: file });
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), []);
  const gpu = result.pipeline.executors.get('gpu');
  assert.equal(gpu?.partition, 'a100');
  assert.deepEqual(gpu?.extra, ['--account=me']);
  assert.match(gpu?.source ?? '', /\.pipelines\/executors\.yaml$/);
  assert.equal(result.pipeline.executors.get('box')?.type, 'container');
  const alone = validatePipeline(pipeline, { fileName: file, workspaceExecutors: false });
  assert.deepEqual(alone.diagnostics.map((d) => d.code), ['unknown-executor'], 'without the workspace file box is unknown');
});

test('a workspace file with errors gives no profiles: a pipeline naming one gets unknown-executor saying the file has errors, and does not run locally instead', () => {
  const pipeline = 'executor: gpu\nblocks:\n  a:\n    run: echo a\n';
  const { dir, file } = workspace('executors:\n  gpu: { type: slurm, memory: lots }\n', pipeline);
  const result = validatePipeline(pipeline, { fileName: file });
  const unknown = result.diagnostics.find((d) => d.code === 'unknown-executor');
  assert.match(unknown?.message ?? '', /executors\.yaml has errors, so none of its profiles are used/);
  const run = spawnSync(process.execPath, [CLI, 'run', 'sub/p.pipeline.yaml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(run.status, 1);
  assert.doesNotMatch(run.stdout, /^a +\| a$/m);
});

test('validate .pipelines/executors.yaml prints its problems as file:line:column', () => {
  const { dir } = workspace('executors:\n  gpu:\n    type: slurm\n    partitoin: a\n', 'blocks: {}\n');
  const r = spawnSync(process.execPath, [CLI, 'validate', '.pipelines/executors.yaml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^\.pipelines\/executors\.yaml:4:5: error unknown-key: Unknown key 'partitoin' in executor 'gpu' \(type slurm\)\. Did you mean 'partition'\?$/m);
});
