import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { RunEvent } from '../../../core/src/runner/events.ts';
import { openStore } from '../../../core/src/store/index.ts';
import { ServiceProcess } from '../../../client/src/run/serviceProcess.ts';
import { alive, CLI, pipelineDir, sleep, tempDir, waitFor } from '../../runner/support.ts';

// A window reload kills the extension host without warning. The run it started goes on in the
// runner service, which was started detached from it; the next extension host (the reloaded
// window) finds the service on its socket, follows the run and can cancel it. Then, with no run
// and no client, the service leaves.

test('when the extension host is killed its run goes on; the next one reattaches, replays its output, cancels it, and the service then exits', async (t) => {
  const { file } = pipelineDir("blocks:\n  a:\n    run: echo one; sleep 60\n  b:\n    run: trap '' TERM; echo two; sleep 60 & wait; sleep 60\n");
  const dir = tempDir('ps-sock-');
  const store = join(dir, 'runs.sqlite');
  const socket = join(dir, 's.sock');
  const parent = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'serviceParent.ts'), CLI, file, store, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Should the test fail before it kills the parent, the parent would keep this file's process (and
  // the whole suite) waiting forever.
  t.after(() => void parent.kill('SIGKILL'));
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: parent.stdout }).on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  const printed = (): string => lines.map((l) => (typeof l.output === 'string' ? l.output : '')).join('');
  await waitFor(() => lines.some((l) => 'runId' in l) && lines.filter((l) => 'block' in l).length === 2 && /one/.test(printed()) && /two/.test(printed()), undefined, 'the run to start');
  const started = lines.find((l) => 'runId' in l) as { runId: number; store: string };
  const blockPids = lines.filter((l) => 'block' in l).map((l) => l.pid as number);
  const reader = openStore(store, { readonly: true });
  const servicePid = reader.getRun(started.runId)?.ownerPid ?? 0;
  assert.ok(servicePid > 0 && servicePid !== parent.pid);

  parent.kill('SIGKILL');
  await new Promise((r) => parent.once('exit', r));
  // Longer than the service's idle time (300 ms): it stays while its run is in flight.
  await sleep(1000);
  assert.ok(alive(servicePid), 'the service outlives the extension host that started it');
  assert.deepEqual(blockPids.filter((pid) => !alive(pid)), [], 'the blocks go on');
  assert.equal(reader.getRun(started.runId)?.status, 'running');

  const events: RunEvent[] = [];
  const next = new ServiceProcess({ cliPath: CLI, socketFor: () => socket, idleMs: 300, onRunEvent: (e) => events.push(e), onLogChunk: (e) => events.push(e) });
  try {
    const live = await next.liveRuns(store);
    assert.deepEqual(live.map((r) => [r.runId, r.store, r.pipelineName]), [[started.runId, store, 'p']]);
    const replay = await next.attachRun(started);
    const replayed = (replay?.events ?? []).map((e) => (e.type === 'log-chunk' ? e.text : '')).join('');
    assert.deepEqual(replayed.split('\n').filter((l) => l !== '').sort(), ['one', 'two']);
    assert.deepEqual(await next.cancelRun(started), { cancelled: true });
    await waitFor(() => events.some((e) => e.type === 'run-finished'), undefined, 'the run to finish');
    const finished = events.find((e) => e.type === 'run-finished');
    assert.equal(finished?.type === 'run-finished' ? finished.status : undefined, 'cancelled');
    await waitFor(() => blockPids.every((pid) => !alive(pid)), undefined, 'the blocks to be gone');
    assert.equal(reader.getRun(started.runId)?.status, 'cancelled');
  } finally {
    await next.dispose();
    reader.close();
  }
  await waitFor(() => !alive(servicePid), undefined, 'the idle service to exit');
  assert.equal(existsSync(socket), false);
});

test('a window that finds no run to reattach to does not keep the service', async () => {
  const dir = tempDir('ps-sock-');
  const store = join(dir, 'runs.sqlite');
  const socketFor = (): string => join(dir, 's.sock');
  const { file } = pipelineDir('blocks:\n  a:\n    run: echo done\n');
  let finished = (): void => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const first = new ServiceProcess({ cliPath: CLI, socketFor, idleMs: 300, onRunEvent: (e) => e.type === 'run-finished' && finished(), onLogChunk: () => undefined });
  const asker = new ServiceProcess({ cliPath: CLI, socketFor, onRunEvent: () => undefined, onLogChunk: () => undefined });
  try {
    const { runId } = await first.startRun({ file, store });
    await done;
    const reader = openStore(store, { readonly: true });
    const servicePid = reader.getRun(runId)?.ownerPid ?? 0;
    reader.close();
    assert.deepEqual(await asker.liveRuns(store), []);
    await first.dispose();
    // Still holding its ServiceProcess, the asker has no connection left: the service goes.
    await waitFor(() => !alive(servicePid), undefined, 'the idle service to exit');
  } finally {
    await first.dispose();
    await asker.dispose();
  }
});

test('a window asking for runs to reattach to while its first run starts leaves that run alone', async () => {
  const dir = tempDir('ps-sock-');
  const store = join(dir, 'runs.sqlite');
  const { file } = pipelineDir('blocks:\n  a:\n    run: sleep 0.3; echo done\n');
  const events: RunEvent[] = [];
  const service = new ServiceProcess({ cliPath: CLI, socketFor: () => join(dir, 's.sock'), idleMs: 300, onRunEvent: (e) => events.push(e), onLogChunk: (e) => events.push(e) });
  try {
    // As at activation: the reattach's question goes first, the run starts before it is answered.
    const [live, started] = await Promise.all([service.liveRuns(store), service.startRun({ file, store })]);
    assert.deepEqual(live, []);
    await waitFor(() => events.some((e) => e.type === 'run-finished'), undefined, 'the run to finish');
    const finished = events.find((e) => e.type === 'run-finished');
    assert.equal(finished?.type === 'run-finished' ? `${finished.runId} ${finished.status}` : undefined, `${started.runId} completed`);
  } finally {
    await service.dispose();
  }
});
