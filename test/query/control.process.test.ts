// cancel and retry act on runs other processes own: the store's runner service (as the editor uses
// it) and a `pipeline-studio run` in a terminal of its own. Real processes, a real store and socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SocketRunnerClient } from '../../core/src/runner/client.ts';
import { serviceSocketPath } from '../../core/src/runner/serviceSocket.ts';
import { openStore, type RunStore } from '../../core/src/store/index.ts';
import { CLI, tempDir } from '../runner/support.ts';

const SLOW = 'name: slow\nblocks:\n  wait:\n    run: sleep 60\n';
// Fails the first time (no marker yet), succeeds when retried.
const FLAKY = 'name: flaky\nblocks:\n  first:\n    run: echo ok\n  second:\n    run: test -f marker || { touch marker; exit 3; }\n    depends_on: [first]\n';

function cli(args: string[], cwd: string): { child: ChildProcess; done: Promise<{ code: number | null; out: string; err: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (t: string) => (out += t));
  child.stderr?.setEncoding('utf8').on('data', (t: string) => (err += t));
  return { child, done: new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err }))) };
}

async function until<T>(what: string, fn: () => T | undefined): Promise<T> {
  const end = Date.now() + 60_000;
  for (;;) {
    const value = fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('retry starts the store\'s runner service and waits; cancel stops a run of that service and one of another CLI process; --all-running by pipeline', async () => {
  const dir = tempDir('ps-control-');
  writeFileSync(join(dir, 'slow.pipeline.yaml'), SLOW);
  writeFileSync(join(dir, 'flaky.pipeline.yaml'), FLAKY);
  const storePath = join(dir, '.pipelines', 'runs.sqlite');
  let service: SocketRunnerClient | undefined;
  let store: RunStore | undefined;
  const servicePids: number[] = [];
  const runProcess = cli(['run', 'slow.pipeline.yaml'], dir);
  try {
    // A failed run, then its retry through a runner service the CLI starts (none listens yet).
    const failed = await cli(['run', 'flaky.pipeline.yaml'], dir).done;
    assert.equal(failed.code, 1, failed.err);
    store = openStore(storePath, { readonly: true });
    const flakyRun = await until('the flaky run', () => store?.listRuns({ text: 'pipeline:flaky' })[0]);
    assert.equal(flakyRun.status, 'failed');
    const retried = await cli(['retry', String(flakyRun.id), '--wait'], dir).done;
    assert.equal(retried.code, 0, retried.out + retried.err);
    assert.match(retried.out, new RegExp(`#${flakyRun.id}: retrying as run #(\\d+) in the runner service\\.\\n#\\d+ \\(retry of #${flakyRun.id}\\): completed\\.`));
    const retryRun = await until('the retry run', () => store?.listRuns({ text: 'trigger:retry' })[0]);
    assert.equal(retryRun.sourceRunId, flakyRun.id);
    servicePids.push(retryRun.ownerPid);
    assert.notEqual(retryRun.ownerPid, process.pid);
    assert.match((await cli(['retry', String(retryRun.id)], dir).done).out, /completed; nothing to retry/);

    // "The editor": a client of the store's service (the one retry started, or a new one if that one
    // has already gone idle) starts a slow run; a CLI `run` in its own process owns another.
    service = await editorService(storePath, dir);
    const fromEditor = await service.startRun({ file: join(dir, 'slow.pipeline.yaml'), store: storePath, trigger: 'manual' });
    servicePids.push(await until('the editor run to be recorded', () => store?.getRun(fromEditor.runId)?.ownerPid));
    const fromCli = await until('the CLI run to be running', () => store?.listRuns({ text: 'pipeline:slow trigger:cli status:running' })[0]);
    assert.ok(!servicePids.includes(fromCli.ownerPid), 'the CLI run is owned by its own process');
    await until('the editor run to be running', () => (store?.getRun(fromEditor.runId)?.status === 'running' ? true : undefined));

    const cancelled = await cli(['cancel', String(fromEditor.runId), String(fromCli.id), '999'], dir).done;
    const lines = cancelled.out.trim().split('\n');
    assert.ok(lines.includes(`#${fromEditor.runId}: asked the runner service to cancel it; recorded as cancelled.`), cancelled.out);
    assert.ok(lines.includes(`#${fromCli.id}: asked its owner (pid ${fromCli.ownerPid}) to cancel it; recorded as cancelled.`), cancelled.out);
    assert.ok(lines.includes(`#999: not in the store ${storePath}.`), cancelled.out);
    assert.equal(cancelled.code, 1, 'a run that is not there makes the exit status 1');
    assert.equal((await runProcess.done).code, 130, 'the CLI run ended as cancelled by a signal');
    assert.equal(store.getRun(fromEditor.runId)?.status, 'cancelled');
    assert.equal(store.getRun(fromCli.id)?.status, 'cancelled');
    assert.match((await cli(['cancel', String(fromCli.id)], dir).done).out, /already cancelled; nothing to cancel/);

    // --all-running --pipeline: only that pipeline's runs.
    const a = await service.startRun({ file: join(dir, 'slow.pipeline.yaml'), store: storePath, trigger: 'manual' });
    const b = await service.startRun({ file: join(dir, 'slow.pipeline.yaml'), store: storePath, trigger: 'manual' });
    const none = await cli(['cancel', '--all-running', '--pipeline', 'flaky'], dir).done;
    assert.match(none.out, /No runs are running for flaky/);
    const all = await cli(['cancel', '--all-running', '--pipeline', 'slow'], dir).done;
    assert.equal(all.code, 0, all.out + all.err);
    assert.equal(all.out.trim().split('\n').length, 2, all.out);
    for (const ref of [a, b]) assert.equal(store.getRun(ref.runId)?.status, 'cancelled');
  } finally {
    runProcess.child.kill('SIGKILL');
    await service?.close();
    store?.close();
    // The services exit by themselves once idle with no client; none may stay behind.
    for (const pid of new Set(servicePids)) {
      await until('the runner service to exit when idle', () => (alive(pid) ? undefined : true)).catch((error: unknown) => {
        if (alive(pid)) process.kill(pid, 'SIGKILL');
        throw error;
      });
    }
  }
});

/** Connects to the store's runner service, starting one (as the editor does) when none listens. */
async function editorService(storePath: string, cwd: string): Promise<SocketRunnerClient> {
  const socket = serviceSocketPath(storePath);
  const existing = await SocketRunnerClient.connect(socket).catch(() => undefined);
  if (existing !== undefined) return existing;
  const child = spawn(process.execPath, [CLI, 'serve', '--socket', socket, '--idle-ms', '1000'], { cwd, stdio: 'ignore', detached: true });
  child.unref();
  const end = Date.now() + 60_000;
  for (;;) {
    const client = await SocketRunnerClient.connect(socket).catch(() => undefined);
    if (client !== undefined) return client;
    if (Date.now() > end) throw new Error(`no runner service on ${socket}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
