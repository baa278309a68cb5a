import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import { executorLabel, ranOffLocal } from '../../core/src/executors/label.ts';
import { CLI, tempDir } from '../runner/support.ts';

// `run --executor NAME` and what the store records about where each attempt ran. The container
// profile runs through a stand-in `docker` on PATH (no container engine can run on this machine),
// named as such; the local profile runs real processes.

const PIPELINE = `executors:
  box: { type: container, image: alpine:3.20 }
  here: { type: local }
blocks:
  a:
    run: echo "a ran"
  b:
    depends_on: [a]
    executor: local
    run: echo "b ran"
`;

function setup(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir('ps-run-on-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const shim = join(bin, 'docker');
  writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${join(import.meta.dirname, 'fixtures', 'docker-stub.mjs')}' "$@"\n`);
  chmodSync(shim, 0o755);
  writeFileSync(join(dir, 'p.pipeline.yaml'), PIPELINE);
  return { dir, env: { ...process.env, NO_COLOR: '1', PATH: `${bin}:${process.env['PATH'] ?? ''}`, STUB_DIR: bin } };
}

function cli(args: string[], where: { dir: string; env: NodeJS.ProcessEnv }): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: where.dir, env: where.env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('stand-in docker: run --executor box sends the blocks without their own executor to the container profile; the store and show say where each attempt ran', () => {
  const where = setup();
  const run = cli(['run', 'p.pipeline.yaml', '--executor', 'box'], where);
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /^a +\| a ran$/m);
  const store = openStore(join(where.dir, '.pipelines', 'runs.sqlite'), { readonly: true });
  try {
    const rows = store.blockRuns(1).map((b) => [b.block, b.executor, b.executorType, b.executorJob]);
    assert.deepEqual(rows, [['a', 'box', 'container', rows[0]?.[3]], ['b', 'local', 'local', undefined]]);
    assert.match(String(rows[0]?.[3]), /^ps-[0-9a-f]+\.0\.1-a$/, 'the container is named after the run token, block index, attempt and block');
  } finally {
    store.close();
  }
  const show = cli(['show', '1'], where);
  assert.equal(show.code, 0, show.out);
  assert.match(show.out, /^ {2}block +status +attempts +duration +exit +executor +reason$/m);
  assert.match(show.out, /^ {2}a +completed +1 .* box \(container ps-[0-9a-f.]+-a\)/m);
  assert.match(show.out, /^ {2}b +completed +1 .* local\s*$/m);
});

test('run --executor with a local profile records the profile; without --executor a local run shows no executor column', () => {
  const where = setup();
  assert.equal(cli(['run', 'p.pipeline.yaml', '--executor', 'here'], where).code, 0);
  assert.equal(cli(['run', 'p.pipeline.yaml', '--no-cache'], where).code, 0);
  const store = openStore(join(where.dir, '.pipelines', 'runs.sqlite'), { readonly: true });
  try {
    assert.deepEqual(store.blockRuns(1).map((b) => executorLabel(b)), ['here (local)', 'local']);
    assert.deepEqual(store.blockRuns(2).map((b) => executorLabel(b)), ['local', 'local']);
    assert.equal(ranOffLocal(store.blockRuns(2)), false);
  } finally {
    store.close();
  }
  assert.doesNotMatch(cli(['show', '2'], where).out, /executor/);
});

test('run --executor NAME that the pipeline does not have is refused before anything runs, naming the profiles it has', () => {
  const where = setup();
  const run = cli(['run', 'p.pipeline.yaml', '--executor', 'gpu'], where);
  assert.equal(run.code, 1);
  assert.match(run.out, /unknown executor 'gpu': this pipeline has 'local', 'box', 'here'/);
  assert.doesNotMatch(run.out, /a ran/);
});

test('executorLabel: profile, type and job, and nothing when nothing was recorded', () => {
  assert.equal(executorLabel({ executor: 'gpu', executorType: 'slurm', executorJob: '42' }), 'gpu (slurm, job 42)');
  assert.equal(executorLabel({ executor: 'local', executorType: 'local' }), 'local');
  assert.equal(executorLabel({}), undefined);
});

test('stand-in podman: --container-engine and PIPELINE_STUDIO_CONTAINER_ENGINE say what a profile\'s engine: auto means', () => {
  const where = setup();
  const bin = String(where.env['STUB_DIR']);
  const podman = join(bin, 'podman');
  writeFileSync(podman, `#!/bin/sh\necho "podman $1" >> '${join(bin, 'engines')}'\nexec '${process.execPath}' '${join(import.meta.dirname, 'fixtures', 'docker-stub.mjs')}' "$@"\n`);
  chmodSync(podman, 0o755);
  const flag = cli(['run', 'p.pipeline.yaml', '--executor', 'box', '--container-engine', 'podman'], where);
  assert.equal(flag.code, 0, flag.out);
  const runs = (): number => readFileSync(join(bin, 'engines'), 'utf8').split('\n').filter((l) => l === 'podman run').length;
  assert.equal(runs(), 1, 'the block ran through podman although docker is on PATH');
  const byEnv = cli(['run', 'p.pipeline.yaml', '--executor', 'box', '--no-cache'], { dir: where.dir, env: { ...where.env, PIPELINE_STUDIO_CONTAINER_ENGINE: 'podman' } });
  assert.equal(byEnv.code, 0, byEnv.out);
  assert.equal(runs(), 2);
  const bad = cli(['run', 'p.pipeline.yaml', '--container-engine', 'lxc'], where);
  assert.equal(bad.code, 2);
  assert.match(bad.out, /--container-engine is one of auto, docker, podman, not 'lxc'/);
});

test('the Runs tree tooltip says where an attempt ran; nothing when it was not recorded', async () => {
  const { blockRunTooltip } = await import('../../client/src/history/format.ts');
  const row = {
    id: 1, runId: 1, block: 'train', status: 'completed' as const, attempt: 1, exitCode: 0, signal: undefined, reason: undefined, startedAt: 0, finishedAt: 1000,
    outputs: {}, fingerprint: undefined, outputHashes: undefined, logDroppedBytes: 0,
  };
  assert.match(blockRunTooltip({ ...row, executor: 'gpu', executorType: 'slurm', executorJob: '42' }, 2000), /^- Ran on gpu \\\(slurm, job 42\\\)$/m);
  assert.doesNotMatch(blockRunTooltip(row, 2000), /Ran on/);
});
