import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunnerClient } from '../../core/src/runner/client.ts';
import { openStore } from '../../core/src/store/index.ts';
import { CLI, tempDir } from '../runner/support.ts';

// "Run Pipeline on…" with an argo profile, as the editor asks it: the runner service's startRun with
// `executorOverride`, against a stand-in `kubectl` on PATH replaying captured Argo JSON (no cluster
// runs here). The same path as `run --executor k8s` (argoRun.test.ts), reported as run events.

const PIPELINE = readFileSync(join(import.meta.dirname, 'argo-golden', 'condition.pipeline.yaml'), 'utf8').replace('image: alpine:3.20 }', 'image: alpine:3.20, namespace: pipelines }');

function setup(scenario: 'follow' | 'cancel'): { file: string; store: string; bin: string; client: RunnerClient } {
  const dir = tempDir('ps-argo-service-');
  const bin = tempDir('kubectl-stand-in-');
  const shim = join(bin, 'kubectl');
  writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${join(import.meta.dirname, 'fixtures', 'kubectl-stub.mjs')}' "$@"\n`);
  chmodSync(shim, 0o755);
  const file = join(dir, 'p.pipeline.yaml');
  writeFileSync(file, PIPELINE);
  const env = { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, STUB_DIR: bin, STUB_SCENARIO: scenario };
  return { file, store: join(dir, '.pipelines', 'runs.sqlite'), bin, client: new RunnerClient(process.execPath, [CLI, 'serve', '--stdio'], { env }) };
}

const calls = (bin: string): string[][] => (existsSync(join(bin, 'calls.jsonl')) ? readFileSync(join(bin, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]) : []);

test('stand-in kubectl: Run Pipeline on… an argo profile through the service creates the workflow, reports block statuses and logs as run events, records the run', async () => {
  const { file, store, bin, client } = setup('follow');
  try {
    const kinds: string[] = [];
    let text = '';
    client.onRunEvent((e) => kinds.push(`${e.type}${e.type === 'block-status' ? `:${e.block}:${e.status}` : ''}`));
    client.onLogChunk((e) => (text += `${e.block}:${e.text}`));
    const started = await client.startRun({ file, store, trigger: 'manual', executorOverride: 'k8s', variables: { env: 'prod' } });
    const finished = await client.waitForRun(started);
    assert.equal(finished.status, 'completed', JSON.stringify(finished));
    assert.equal(kinds[0], 'run-started');
    assert.ok(kinds.includes('block-status:publish:completed'), kinds.join(' '));
    assert.ok(kinds.includes('block-status:rollback:skipped'), 'a block the workflow never reached is reported, not left running');
    assert.match(text, /publish:publishing model 0\.93\n/);
    assert.deepEqual(finished.blocks.map((b) => [b.block, b.status, b.attempts]), [['build', 'completed', 1], ['publish', 'completed', 2], ['announce', 'condition_failed', 1], ['rollback', 'skipped', 1]]);
    assert.deepEqual(calls(bin)[0], ['create', '-n', 'pipelines', '-f', '-', '-o', 'json']);
    const submitted = JSON.parse(readFileSync(join(bin, 'submitted.json'), 'utf8')) as { spec: { arguments: { parameters: { name: string; value: string }[] } } };
    assert.equal(submitted.spec.arguments.parameters.find((p) => p.name === 'env')?.value, 'prod');
    const reader = openStore(store, { readonly: true });
    try {
      assert.equal(reader.getRun(started.runId)?.trigger, 'manual');
      const publish = reader.blockRuns(started.runId).find((b) => b.block === 'publish' && b.attempt === 2);
      assert.deepEqual([publish?.executor, publish?.executorType], ['k8s', 'argo']);
    } finally {
      reader.close();
    }
  } finally {
    await client.close();
  }
});

test('stand-in kubectl: Run Block on… an argo profile is refused with the way out (Argo runs the whole pipeline), nothing is created', async () => {
  const { file, store, bin, client } = setup('follow');
  try {
    await assert.rejects(client.startRun({ file, store, trigger: 'manual', executorOverride: 'k8s', selection: { mode: 'only', blocks: ['build'] } }), /Argo runs the whole pipeline as one Workflow/);
    assert.deepEqual(calls(bin), []);
  } finally {
    await client.close();
  }
});

test('stand-in kubectl: stopping an Argo run started from the editor terminates the workflow (shutdown: Terminate) and records it cancelled', async () => {
  const { file, store, bin, client } = setup('cancel');
  try {
    const started = await client.startRun({ file, store, trigger: 'manual', executorOverride: 'k8s' });
    const end = Date.now() + 60_000;
    while (!calls(bin).some((c) => c.includes('--watch'))) {
      if (Date.now() > end) throw new Error('the workflow was never watched');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(await client.cancelRun(started), { cancelled: true });
    const finished = await client.waitForRun(started);
    assert.equal(finished.status, 'cancelled');
    assert.match(readFileSync(join(bin, 'patched'), 'utf8'), /"shutdown":"Terminate"/);
    assert.ok(finished.blocks.some((b) => b.status === 'cancelled'));
  } finally {
    await client.close();
  }
});
