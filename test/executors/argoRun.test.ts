import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import { CLI, tempDir } from '../runner/support.ts';

// `run --executor k8s` with an argo profile, against a stand-in `kubectl` on PATH that replays
// Argo Workflow JSON (test/executors/fixtures/argo; no Kubernetes cluster runs here). What a real
// cluster adds is verified only on paper (docs/pipeline-format.md).

const PIPELINE = readFileSync(join(import.meta.dirname, 'argo-golden', 'condition.pipeline.yaml'), 'utf8').replace('image: alpine:3.20 }', 'image: alpine:3.20, namespace: pipelines }');

function setup(scenario: 'follow' | 'cancel'): { dir: string; bin: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir('ps-argo-run-');
  const bin = tempDir('kubectl-stand-in-');
  const shim = join(bin, 'kubectl');
  writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${join(import.meta.dirname, 'fixtures', 'kubectl-stub.mjs')}' "$@"\n`);
  chmodSync(shim, 0o755);
  writeFileSync(join(dir, 'p.pipeline.yaml'), PIPELINE);
  return { dir, bin, env: { ...process.env, NO_COLOR: '1', PATH: `${bin}:${process.env['PATH'] ?? ''}`, STUB_DIR: bin, STUB_SCENARIO: scenario } };
}

function cli(args: string[], where: { dir: string; env: NodeJS.ProcessEnv }) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: where.dir, env: where.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => void (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => void (out += d));
  return { child, out: () => out, exited: once(child, 'exit').then(([code]) => code as number | null) };
}

const calls = (bin: string): string[][] => readFileSync(join(bin, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);

test('stand-in kubectl: run --executor k8s creates the workflow, maps node phases to block runs in the store, fetches logs, prints a local-looking run', async () => {
  const where = setup('follow');
  const run = cli(['run', 'p.pipeline.yaml', '--executor', 'k8s', '--var', 'env=prod'], where);
  assert.equal(await run.exited, 0, run.out());
  const out = run.out();
  assert.match(out, /^Run #1 of conditions on Argo: workflow conditions-x7k2p$/m);
  assert.match(out, /^publish +\| publishing model 0\.93$/m);
  assert.match(out, /^announce +\| \S+ condition false/m);
  assert.match(out, /Run #1 completed\./);
  const submitted = JSON.parse(readFileSync(join(where.bin, 'submitted.json'), 'utf8')) as { spec: { arguments: { parameters: { name: string; value: string }[] } } };
  assert.deepEqual(submitted.spec.arguments.parameters.find((p) => p.name === 'env')?.value, 'prod', 'the run\'s variable went in as the workflow\'s argument');
  assert.deepEqual(calls(where.bin)[0], ['create', '-n', 'pipelines', '-f', '-', '-o', 'json']);
  const store = openStore(join(where.dir, '.pipelines', 'runs.sqlite'), { readonly: true });
  try {
    assert.equal(store.getRun(1)?.status, 'completed');
    const rows = store.blockRuns(1).map((b) => `${b.block}#${b.attempt} ${b.status}${b.reason === undefined ? '' : ` (${b.reason})`}`);
    assert.deepEqual(rows, [
      'build#1 completed', 'publish#1 failed (Error (exit code 1))', 'announce#1 condition_failed (when \'false\' evaluated false)', 'rollback#1 skipped (not run by the workflow)', 'publish#2 completed',
    ]);
    const publish = store.blockRuns(1).find((b) => b.block === 'publish' && b.attempt === 2);
    assert.deepEqual([publish?.executor, publish?.executorType], ['k8s', 'argo']);
    assert.match(publish?.executorJob ?? '', /^conditions-x7k2p-publish-\d+$/);
    assert.equal(store.readLogs(publish?.id ?? 0).map((c) => c.text).join(''), 'publishing model 0.93\ndone\n');
  } finally {
    store.close();
  }
});

test('stand-in kubectl: Ctrl+C terminates the workflow (shutdown: Terminate), the run is recorded cancelled, exit 130', async () => {
  const where = setup('cancel');
  const run = cli(['run', 'p.pipeline.yaml', '--executor', 'k8s'], where);
  const end = Date.now() + 60_000;
  while (!(existsSync(join(where.bin, 'calls.jsonl')) && calls(where.bin).some((c) => c.includes('--watch')) && run.out().includes('▶ started'))) {
    if (Date.now() > end) {
      run.child.kill('SIGKILL');
      throw new Error(`no watch: ${run.out()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  run.child.kill('SIGINT');
  assert.equal(await run.exited, 130, run.out());
  assert.equal(calls(where.bin).filter((c) => c[0] === 'patch').length, 1);
  assert.match(readFileSync(join(where.bin, 'patched'), 'utf8'), /"shutdown":"Terminate"/);
  const store = openStore(join(where.dir, '.pipelines', 'runs.sqlite'), { readonly: true });
  try {
    assert.equal(store.getRun(1)?.status, 'cancelled');
    assert.ok(store.blockRuns(1).some((b) => b.status === 'cancelled'));
  } finally {
    store.close();
  }
});

test('stand-in kubectl: run --executor k8s --only BLOCK is refused (Argo runs the whole pipeline as one Workflow); nothing is created', async () => {
  const where = setup('follow');
  const run = cli(['run', 'p.pipeline.yaml', '--executor', 'k8s', '--only', 'build'], where);
  assert.equal(await run.exited, 1, run.out());
  assert.match(run.out(), /Argo runs the whole pipeline as one Workflow/);
  assert.ok(!existsSync(join(where.bin, 'calls.jsonl')), 'kubectl was never called');
});
