import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResponseError } from 'vscode-jsonrpc';
import { RunnerClient } from '../../core/src/runner/client.ts';
import type { RunRefusedData } from '../../core/src/runner/protocol.ts';
import { openStore } from '../../core/src/store/index.ts';
import { CLI, pipelineDir, tempDir, waitFor } from './support.ts';

// `pipeline-studio serve --stdio` as the extension uses it: a separate process speaking JSON-RPC.

function service(): RunnerClient {
  return new RunnerClient(process.execPath, [CLI, 'serve', '--stdio']);
}

test('serve --stdio runs a pipeline, streaming events and log chunks, and plans without running', async () => {
  const client = service();
  try {
    const { file } = pipelineDir('blocks:\n  a:\n    run: printf "one\\ntwo\\n"; echo "n=1" >> "$PIPELINE_OUTPUT"\n  b:\n    depends_on: a\n    run: echo "b got ${{ blocks.a.outputs.n }}"\n');
    const store = join(tempDir('ps-store-'), 'runs.sqlite');
    const kinds: string[] = [];
    let text = '';
    client.onRunEvent((e) => kinds.push(`${e.type}${e.type === 'block-status' ? `:${e.block}:${e.status}` : ''}`));
    client.onLogChunk((e) => (text += `${e.block}:${e.text}`));
    const plan = await client.plan({ file, store });
    assert.deepEqual(plan.blocks.map((b) => b.action), ['run', 'run']);
    const started = await client.startRun({ file, store, trigger: 'manual' });
    assert.equal(started.store, store);
    const finished = await client.waitForRun(started);
    assert.equal(finished.status, 'completed');
    assert.deepEqual(finished.blocks.map((b) => [b.block, b.status]), [['a', 'completed'], ['b', 'completed']]);
    assert.equal(text, 'a:one\ntwo\nb:b got 1\n');
    assert.equal(kinds[0], 'run-started');
    assert.ok(kinds.indexOf('block-status:a:completed') < kinds.indexOf('block-status:b:running'));
    const reader = openStore(store, { readonly: true });
    assert.equal(reader.getRun(started.runId)?.trigger, 'manual');
    reader.close();
  } finally {
    await client.close();
  }
});

test('serve --stdio: a refused run answers with the problems and diagnostics', async () => {
  const client = service();
  try {
    const { file } = pipelineDir('blocks:\n  a:\n    run: echo\n    depends_on: nope\n');
    await assert.rejects(client.startRun({ file, store: join(tempDir(), 'r.sqlite') }), (error: unknown) => {
      assert.ok(error instanceof ResponseError);
      const data = error.data as RunRefusedData;
      assert.equal(data.diagnostics[0]?.code, 'unknown-dependency');
      return true;
    });
  } finally {
    await client.close();
  }
});

test('serve --stdio: cancel a block, cancel a run, and a closed connection cancels what runs', async () => {
  const client = service();
  const { file } = pipelineDir('blocks:\n  a:\n    run: sleep 30\n  b:\n    run: sleep 30\n  c:\n    depends_on: a\n    run: echo no\n');
  const store = join(tempDir('ps-store-'), 'runs.sqlite');
  const attempts: string[] = [];
  const statuses: string[] = [];
  client.onRunEvent((e) => {
    if (e.type === 'block-attempt') attempts.push(`${e.runId}:${e.block}`);
    if (e.type === 'block-status') statuses.push(`${e.runId}:${e.block}:${e.status}`);
  });
  const first = await client.startRun({ file, store, graceMs: 300 });
  await waitFor(() => attempts.filter((a) => a.startsWith(`${first.runId}:`)).length === 2);
  assert.deepEqual(await client.cancelBlock(first, 'a'), { cancelled: true });
  await waitFor(() => statuses.includes(`${first.runId}:c:cancelled`), undefined, 'the dependent of the cancelled block');
  assert.ok(!statuses.includes(`${first.runId}:b:cancelled`), 'the other block still runs');
  assert.deepEqual(await client.cancelRun(first), { cancelled: true });
  const done = await client.waitForRun(first);
  assert.equal(done.status, 'cancelled');
  assert.deepEqual(done.blocks.map((b) => b.status), ['cancelled', 'cancelled', 'cancelled']);

  const second = await client.startRun({ file, store, graceMs: 300 });
  await waitFor(() => attempts.filter((a) => a.startsWith(`${second.runId}:`)).length === 2);
  await client.close();
  const reader = openStore(store, { readonly: true });
  assert.equal(reader.getRun(second.runId)?.status, 'cancelled', 'the service cancelled its run when its client went away');
  reader.close();
});

test('serve --stdio: after the store is deleted by hand, a new run goes to a new file while one still going finishes in the old', async () => {
  const client = service();
  try {
    const gate = join(tempDir('ps-gate-'), 'go');
    const { file } = pipelineDir(`blocks:\n  a:\n    run: while [ ! -e '${gate}' ]; do sleep 0.05; done\n`);
    const folder = tempDir('ps-store-');
    const store = join(folder, 'runs.sqlite');
    const waiting = await client.startRun({ file, store });
    await client.startRun({ file, store }).then((r) => client.cancelRun(r)); // a second record in the old file
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    writeFileSync(gate, '');
    const fresh = await client.startRun({ file, store });
    assert.equal(fresh.runId, 1, 'the new run was numbered in the deleted store');
    assert.equal((await client.waitForRun(fresh)).status, 'completed');
    assert.equal((await client.waitForRun(waiting)).status, 'completed', 'the run going on in the deleted store was lost');
    const reader = openStore(store, { readonly: true });
    assert.deepEqual(reader.listRuns({}).map((r) => r.id), [1]);
    reader.close();
  } finally {
    await client.close();
  }
});
