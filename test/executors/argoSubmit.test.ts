import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validatePipeline } from '../../core/src/index.ts';
import { compileArgo, type Manifest } from '../../core/src/executors/argo/compile.ts';
import { JsonObjectStream } from '../../core/src/executors/argo/nodes.ts';
import { submitArgo } from '../../core/src/executors/argo/submit.ts';
import type { ArgoBlockState } from '../../core/src/executors/argo/nodes.ts';

// No Kubernetes cluster runs here: these tests put a stand-in `kubectl` on PATH that records its
// argv and replays Argo Workflow JSON (test/executors/fixtures/argo, shaped on what Argo's
// controller writes: DAG, Pod, Retry and Skipped nodes). What a real cluster would add (RBAC, pod
// scheduling, the controller's own validation) is verified only on paper; see the docs.

const PIPELINE = readFileSync(join(import.meta.dirname, 'argo-golden', 'condition.pipeline.yaml'), 'utf8').replace('image: alpine:3.20 }', 'image: alpine:3.20, namespace: pipelines }');

function standIn(scenario: 'follow' | 'cancel'): { dir: string; env: NodeJS.ProcessEnv; calls: () => string[][] } {
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-stand-in-'));
  const shim = join(dir, 'kubectl');
  writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${join(import.meta.dirname, 'fixtures', 'kubectl-stub.mjs')}' "$@"\n`);
  chmodSync(shim, 0o755);
  const env = { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}`, STUB_DIR: dir, STUB_SCENARIO: scenario };
  const calls = (): string[][] => readFileSync(join(dir, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
  return { dir, env, calls };
}

function manifestAndTasks(): { manifest: Manifest; blockOfTask: Map<string, string> } {
  const compiled = compileArgo(validatePipeline(PIPELINE).pipeline);
  assert.ok(compiled.manifest !== undefined);
  return { manifest: compiled.manifest, blockOfTask: new Map([['build', 'build'], ['publish', 'publish'], ['announce', 'announce'], ['rollback', 'rollback']]) };
}

test('stand-in kubectl: submit creates the compiled workflow from stdin, follow maps node phases to block statuses, logs come from the attempt pod', async () => {
  const stub = standIn('follow');
  try {
    const { manifest, blockOfTask } = manifestAndTasks();
    const seen: string[] = [];
    const run = await submitArgo({
      manifest, blockOfTask, env: stub.env,
      onBlock: (block: string, s: ArgoBlockState) => void seen.push(`${block} ${s.status}${s.reason === undefined ? '' : ` (${s.reason})`} #${s.attempt}`),
    });
    assert.equal(run.name, 'conditions-x7k2p');
    const end = await run.done;
    assert.deepEqual(end, { phase: 'Succeeded', message: undefined });
    assert.deepEqual(seen, [
      'build queued (Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.) #1',
      'build running #1',
      'build completed #1',
      'publish failed (Error (exit code 1)) #1',
      'publish running #2',
      'publish completed #2',
      'announce condition_failed (when \'false\' evaluated false) #1',
    ]);
    assert.deepEqual(JSON.parse(readFileSync(join(stub.dir, 'submitted.json'), 'utf8')), manifest, 'the manifest went in on stdin, whole');
    assert.equal(await run.logs('publish'), 'publishing model 0.93\ndone\n');
    const calls = stub.calls();
    assert.deepEqual(calls[0], ['create', '-n', 'pipelines', '-f', '-', '-o', 'json']);
    assert.deepEqual(calls[1], ['get', 'workflow', 'conditions-x7k2p', '-n', 'pipelines', '-o', 'json', '--watch']);
    assert.deepEqual(calls[2], ['logs', 'conditions-x7k2p-publish-3311978563', '-c', 'main', '-n', 'pipelines']);
  } finally {
    rmSync(stub.dir, { recursive: true, force: true });
  }
});

test('stand-in kubectl: cancel patches shutdown Terminate once, and the killed block is cancelled, not failed', async () => {
  const stub = standIn('cancel');
  try {
    const { manifest, blockOfTask } = manifestAndTasks();
    const seen: string[] = [];
    const run = await submitArgo({ manifest, blockOfTask, env: stub.env, onBlock: (block, s) => void seen.push(`${block} ${s.status}`) });
    while (!seen.includes('build running')) await new Promise((r) => setTimeout(r, 10));
    await Promise.all([run.cancel(), run.cancel()]);
    const end = await run.done;
    assert.deepEqual(end, { phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
    assert.deepEqual(seen, ['build running', 'build cancelled']);
    const patches = stub.calls().filter((c) => c[0] === 'patch');
    assert.deepEqual(patches, [['patch', 'workflow', 'conditions-x7k2p', '-n', 'pipelines', '--type', 'merge', '-p', '{"spec":{"shutdown":"Terminate"}}']]);
    assert.ok(existsSync(join(stub.dir, 'patched')));
  } finally {
    rmSync(stub.dir, { recursive: true, force: true });
  }
});

test('the watch stream splitter finds whole objects whatever the chunk boundaries, braces in strings included', () => {
  const objects = [{ a: '}{"', b: { c: [1, { d: '\\"}' }] } }, { e: 2 }];
  const text = objects.map((o) => JSON.stringify(o, null, 2)).join('\n');
  for (const size of [1, 3, 7, text.length]) {
    const stream = new JsonObjectStream();
    const got: unknown[] = [];
    for (let i = 0; i < text.length; i += size) got.push(...stream.push(text.slice(i, i + size)));
    assert.deepEqual(got, objects, `chunks of ${size}`);
  }
});
