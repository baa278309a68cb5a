import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { SocketRunnerClient } from '../runner/client.ts';
import { sendControl } from '../runner/controlSocket.ts';
import { ensurePrivateFolder, serviceLogPath, serviceSocketPath } from '../runner/serviceSocket.ts';
import { isFinalStatus } from '../model/status.ts';
import { isOwnerGone, STALE_HEARTBEAT_MS } from '../store/ownerLiveness.ts';
import type { RunRecord, RunStore } from '../store/index.ts';

// How the CLI acts on runs that another process owns: the store's runner service (the editor's, or
// one a CLI started) over its socket, or the `pipeline-studio run` process that owns a CLI run.

const START_TIMEOUT_MS = 15_000;
/** Long enough for SIGTERM, the grace period (5 s by default) and SIGKILL of the run's blocks. */
export const SETTLE_TIMEOUT_MS = 20_000;

/** The store's runner service, when one listens on its socket. */
export async function existingService(storePath: string): Promise<SocketRunnerClient | undefined> {
  return SocketRunnerClient.connect(serviceSocketPath(storePath)).catch(() => undefined);
}

/**
 * The store's runner service, started detached (as the editor starts it) when none listens: runs
 * started through it go on after this CLI exits, and it exits by itself once idle.
 */
export async function startedService(storePath: string, cliPath: string): Promise<SocketRunnerClient> {
  const known = await existingService(storePath);
  if (known !== undefined) return known;
  const socket = serviceSocketPath(storePath);
  if (process.platform !== 'win32') ensurePrivateFolder(dirname(socket));
  const log = serviceLogPath(socket);
  const fd = openSync(log, 'a', 0o600);
  let exited: string | undefined;
  try {
    const child = spawn(process.execPath, [cliPath, 'serve', '--socket', socket], { detached: true, stdio: ['ignore', 'ignore', fd], windowsHide: true });
    child.on('error', (error) => (exited = error.message));
    child.on('exit', (code, signal) => (exited = `exited (${signal ?? `code ${String(code)}`})`));
    child.unref();
  } finally {
    closeSync(fd);
  }
  const end = Date.now() + START_TIMEOUT_MS;
  for (let wait = 10; ; wait = Math.min(200, wait * 2)) {
    const client = await existingService(storePath);
    if (client !== undefined) return client;
    // Code 0: another process's service took the socket first; the next connect finds it.
    if ((exited !== undefined && !exited.includes('code 0')) || Date.now() > end) {
      throw new Error(`the runner service ${exited ?? `did not listen on ${socket}`}: ${tail(log)}`);
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}

export type CancelOutcome = { ok: boolean; message: string };

/**
 * Cancels one run, whoever owns it: the runner service if it has the run in flight, else the owning
 * `pipeline-studio run` process (SIGTERM, which it answers by cancelling its run and recording it).
 * Waits until the store shows the run ended, and says what was done.
 */
export async function cancelRun(store: RunStore, run: RunRecord, service: SocketRunnerClient | undefined): Promise<CancelOutcome> {
  if (isFinalStatus(run.status)) return { ok: true, message: `#${run.id}: already ${run.status}; nothing to cancel.` };
  if (service !== undefined && (await service.cancelRun({ runId: run.id, store: store.path })).cancelled) {
    return settle(store, run.id, 'asked the runner service to cancel it');
  }
  if (isOwnerGone(run)) {
    store.markInterrupted();
    const now = store.getRun(run.id);
    return { ok: true, message: `#${run.id}: its owner (pid ${run.ownerPid} on ${run.ownerHost}) is gone; recorded as ${now?.status ?? 'interrupted'}.` };
  }
  if (run.ownerHost !== hostname()) return { ok: false, message: `#${run.id}: not cancelled; it runs on host ${run.ownerHost} (pid ${run.ownerPid}); cancel it there.` };
  // The owner's control channel cancels just this run: one run of a --for-each batch, or a
  // sub-pipeline's child run (whose owner also runs its parent), not everything the process runs.
  const asked = await sendControl(store.path, run, { action: 'cancel' });
  if (asked.ok) return settle(store, run.id, `asked its owner (pid ${run.ownerPid}) to cancel it`);
  if (/^(schedule|event|chained|always):/.test(run.trigger)) {
    return { ok: false, message: `#${run.id}: not cancelled; it belongs to the scheduler (pid ${run.ownerPid}), and signalling it would stop every run it has. Stop the scheduler, or wait.` };
  }
  // A fresh heartbeat and the pid's command line guard against signalling a process that reused the pid.
  if (Date.now() - run.heartbeatAt > STALE_HEARTBEAT_MS || !looksLikeRunCommand(run.ownerPid)) {
    return { ok: false, message: `#${run.id}: not cancelled; its owner (pid ${run.ownerPid}) is alive but is not a 'pipeline-studio run' this command can signal.` };
  }
  try {
    process.kill(run.ownerPid, 'SIGTERM');
  } catch (error) {
    return { ok: false, message: `#${run.id}: not cancelled; signalling its owner (pid ${run.ownerPid}) failed: ${(error as Error).message}` };
  }
  return settle(store, run.id, `sent SIGTERM to its owner, pipeline-studio run (pid ${run.ownerPid})`);
}

async function settle(store: RunStore, id: number, done: string): Promise<CancelOutcome> {
  const end = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const now = store.getRun(id);
    if (now === undefined) return { ok: true, message: `#${id}: ${done}; the run has since been deleted.` };
    if (isFinalStatus(now.status)) return { ok: now.status !== 'completed', message: `#${id}: ${done}; recorded as ${now.status}.` };
    if (Date.now() > end) return { ok: false, message: `#${id}: ${done}, but it is still ${now.status} after ${SETTLE_TIMEOUT_MS / 1000} s.` };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** On Linux, the owner's argv must hold `run`; elsewhere (no /proc) the fresh heartbeat has to do. */
function looksLikeRunCommand(pid: number): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return process.platform !== 'linux';
  }
  return cmdline.split('\0').includes('run');
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').slice(-5).join('\n');
  } catch {
    return '';
  }
}
