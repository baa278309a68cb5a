import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SocketRunnerClient } from '../../core/src/runner/client.ts';
import type { RunEvent } from '../../core/src/runner/events.ts';
import { RunReplay } from '../../core/src/runner/runReplay.ts';
import { ensurePrivateFolder, serviceSocketPath } from '../../core/src/runner/serviceSocket.ts';
import { openStore } from '../../core/src/store/index.ts';
import { CLI, alive, pipelineDir, sleep, tempDir, waitFor } from './support.ts';

// `pipeline-studio serve --socket`, as the editor uses it so that runs survive a window reload:
// real service and client processes, a client SIGKILLed mid-run, a new client reattaching.

const IDLE_MS = 300;

interface Service {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startService(socket: string, idleMs = IDLE_MS): Service {
  const child = spawn(process.execPath, [CLI, 'serve', '--socket', socket, '--idle-ms', String(idleMs)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (t: string) => (err += t));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

async function connect(socket: string, service: Service): Promise<SocketRunnerClient> {
  const end = Date.now() + 60_000;
  for (;;) {
    try {
      return await SocketRunnerClient.connect(socket);
    } catch (error) {
      if (Date.now() > end || service.child.exitCode !== null) throw new Error(`no service on ${socket}: ${String(error)}\n${service.stderr()}`);
      await sleep(25);
    }
  }
}

/** A client in a process of its own: starts the runs, prints their refs once each has printed, then waits to be killed. */
function clientProcess(socket: string, starts: object[]): ChildProcess {
  const script = `
    import { SocketRunnerClient } from ${JSON.stringify(join(import.meta.dirname, '../../core/src/runner/client.ts'))};
    const client = await SocketRunnerClient.connect(${JSON.stringify(socket)});
    const printed = new Set();
    const refs = [];
    client.onLogChunk((e) => { printed.add(e.runId); if (refs.length === ${starts.length} && refs.every((r) => printed.has(r.runId))) console.log(JSON.stringify(refs)); });
    for (const params of ${JSON.stringify(starts)}) refs.push(await client.startRun(params));
  `;
  return spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (t: string) => {
      out += t;
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`the client exited (${String(code)}) before its runs printed`)));
  });
}

function outputOf(events: RunEvent[], runId: number): string {
  return events.map((e) => (e.type === 'log-chunk' && e.runId === runId ? e.text : '')).join('');
}

test('serve --socket: runs go on when their client is SIGKILLed; a new client lists them, replays and follows their output, cancels one; then the service exits by itself', async () => {
  const dir = tempDir('ps-sock-');
  const socket = join(dir, 's.sock');
  const release = join(dir, 'release');
  const { file } = pipelineDir(
    `name: ticking\nblocks:\n  tick:\n    run: |\n      i=0\n      while [ ! -f ${JSON.stringify(release)} ]; do i=$((i+1)); echo "tick $i"; sleep 0.05; done\n      echo released\n  after:\n    depends_on: tick\n    run: echo after\n`,
  );
  const endless = pipelineDir('name: endless\nblocks:\n  wait:\n    run: |\n      echo waiting\n      sleep 60\n').file;
  const store = join(dir, 'runs.sqlite');
  const service = startService(socket);
  let client: SocketRunnerClient | undefined;
  try {
    // Connected until the client process has started its runs, so the idle service waits for it.
    const bystander = await connect(socket, service);
    const first = clientProcess(socket, [{ file, store, trigger: 'manual' }, { file: endless, store, trigger: 'manual' }]);
    const [ticking, waiting] = JSON.parse(await firstLine(first)) as { runId: number; store: string }[];
    assert.ok(ticking !== undefined && waiting !== undefined);
    await bystander.close();
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    // Longer than the idle time: with runs in flight and no client, the service stays.
    await sleep(3 * IDLE_MS);
    assert.equal(service.child.exitCode, null, `the service exited with runs in flight:\n${service.stderr()}`);

    client = await connect(socket, service);
    const listed = await client.listRuns();
    assert.deepEqual(listed.map((r) => [r.runId, r.pipelineName, r.store]), [[ticking.runId, 'ticking', store], [waiting.runId, 'endless', store]]);

    const live: RunEvent[] = [];
    client.onLogChunk((e) => live.push(e));
    client.onRunEvent((e) => live.push(e));
    const replay = await client.attachRun(ticking);
    assert.ok(replay !== null);
    assert.equal(replay.events[0]?.type, 'run-started');
    assert.equal(replay.skippedChars, 0);
    assert.ok(replay.events.some((e) => e.type === 'block-status' && e.block === 'tick' && e.status === 'running'));
    const replayed = outputOf(replay.events, ticking.runId);
    assert.match(replayed, /^tick 1\n/);
    const lastReplayed = Number(/tick (\d+)\n$/.exec(replayed)?.[1]);
    // Live output goes on from where the replay stopped: no tick missing, none twice.
    await waitFor(() => outputOf(live, ticking.runId).includes(`tick ${lastReplayed + 3}\n`), undefined, 'live ticks after the replay');
    const all = replayed + outputOf(live, ticking.runId);
    const ticks = all.split('\n').filter((l) => l.startsWith('tick ')).map((l) => Number(l.slice(5)));
    assert.deepEqual(ticks, ticks.map((_, i) => i + 1));

    const waitingReplay = await client.attachRun(waiting);
    assert.equal(outputOf(waitingReplay?.events ?? [], waiting.runId), 'waiting\n');
    assert.deepEqual(await client.cancelRun(waiting), { cancelled: true });
    assert.equal((await client.waitForRun(waiting)).status, 'cancelled');

    writeFileSync(release, '');
    const finished = await client.waitForRun(ticking);
    assert.equal(finished.status, 'completed');
    assert.deepEqual(finished.blocks.map((b) => [b.block, b.status]), [['tick', 'completed'], ['after', 'completed']]);
    assert.deepEqual(await client.attachRun(ticking), null);
    assert.deepEqual(await client.listRuns(), []);
    const reader = openStore(store, { readonly: true });
    assert.equal(reader.getRun(ticking.runId)?.status, 'completed');
    assert.equal(reader.getRun(waiting.runId)?.status, 'cancelled');
    reader.close();

    // No run and, once this client leaves, no client: the service goes, and takes its socket file.
    assert.equal(service.child.exitCode, null);
    await client.close();
    client = undefined;
    assert.equal(await service.exited, 0);
    assert.equal(existsSync(socket), false);
  } finally {
    await client?.close();
    service.child.kill('SIGKILL');
  }
});

test('serve --socket: with no run it exits when idle, with or without a client ever; a second service on the same socket leaves; a dead one is replaced', async () => {
  const dir = tempDir('ps-sock-');
  const socket = join(dir, 's.sock');
  const lonely = startService(socket);
  assert.equal(await lonely.exited, 0);

  const killed = startService(socket, 60000);
  await connect(socket, killed).then((c) => c.close());
  killed.child.kill('SIGKILL');
  await killed.exited;
  assert.ok(existsSync(socket), 'a SIGKILLed service leaves its socket file');

  const service = startService(socket, 60000);
  try {
    const client = await connect(socket, service);
    assert.deepEqual(await client.listRuns(), []);
    const second = startService(socket);
    assert.equal(await second.exited, 0);
    assert.match(second.stderr(), /already listens/);
    // The first service still serves.
    assert.deepEqual(await client.listRuns(), []);
    await client.close();
  } finally {
    service.child.kill('SIGTERM');
    assert.equal(await service.exited, 0);
  }

  const quick = startService(socket, 100);
  const client = await connect(socket, quick);
  await sleep(500);
  assert.equal(quick.child.exitCode, null, 'the service left while a client was connected');
  await client.close();
  assert.equal(await quick.exited, 0);
  assert.ok(!alive(quick.child.pid ?? 0));
});

test('the socket of a store: one per store, short enough for sun_path, in a folder only its user can open', () => {
  const a = serviceSocketPath('/some/where/.pipelines/runs.sqlite');
  assert.equal(a, serviceSocketPath('/some/where/.pipelines/../.pipelines/runs.sqlite'));
  assert.notEqual(a, serviceSocketPath('/some/where/else/.pipelines/runs.sqlite'));
  assert.ok(Buffer.byteLength(a) <= 100, a);
  const folder = join(tempDir('ps-sock-'), 'private');
  mkdirSync(folder, { mode: 0o755 });
  ensurePrivateFolder(folder);
  assert.equal(statSync(folder).mode & 0o777, 0o700);
});

test('the socket file is private to its user', async () => {
  const socket = join(tempDir('ps-sock-'), 'sub', 's.sock');
  const service = startService(socket, 60000);
  try {
    await connect(socket, service).then((c) => c.close());
    assert.equal(statSync(socket).mode & 0o777, 0o600);
    assert.equal(statSync(join(socket, '..')).mode & 0o777, 0o700);
  } finally {
    service.child.kill('SIGTERM');
    await service.exited;
  }
});

test('a replay keeps every status event and the newest output, and says how much older output it left out', () => {
  const replay = new RunReplay(100);
  const chunk = (block: string, text: string): RunEvent => ({ type: 'log-chunk', runId: 1, block, attempt: 1, stream: 'stdout', text, time: 0 });
  replay.add({ type: 'run-started', runId: 1, pipelineName: 'p', pipelineFile: 'f', blocks: [{ id: 'a', status: 'initial' }], concurrency: 1, time: 0 });
  for (let i = 0; i < 30; i++) {
    replay.add(chunk(i % 2 === 0 ? 'a' : 'b', `line ${String(i).padStart(2, '0')}\n`));
    if (i % 10 === 0) replay.add({ type: 'block-status', runId: 1, block: 'a', status: 'running', attempt: 1, time: i });
  }
  const { events, skippedChars } = replay.snapshot();
  assert.equal(events[0]?.type, 'run-started');
  assert.equal(events.filter((e) => e.type === 'block-status').length, 3);
  const text = outputOf(events, 1);
  assert.ok(text.length <= 100 && text.endsWith('line 29\n'), text);
  assert.equal(skippedChars + text.length, 30 * 'line 00\n'.length);
});
