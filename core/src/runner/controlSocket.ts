import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createMessageConnection, SocketMessageReader, SocketMessageWriter } from 'vscode-jsonrpc/node';
import { isOwnerGone } from '../store/ownerLiveness.ts';
import { runFolderStem } from '../store/runFolders.ts';
import type { RunRecord } from '../store/types.ts';
import { applyControl, type ControlAction, type ControlAnswer } from './control.ts';
import type { RunHandle } from './engine.ts';
import { ControlRunRequest } from './protocol.ts';
import { answers, ensurePrivateFolder, serviceSocketPath } from './serviceSocket.ts';

/** How long a control request may take to be answered before the owner is reported unresponsive. */
const ANSWER_MS = 10_000;

/**
 * Where a CLI run listens for control requests: `control.sock` in the run's temporary folder
 * (private, named after the store, the run and the owner's pid, which the run's record holds), so
 * that `pipeline-studio pause 12` in another terminal finds it, and whoever cleans up after a dead
 * owner (its launch helpers, the store marking the run interrupted) removes the socket with the
 * folder. Where that path is too long for a socket, a name in the runner services' private folder.
 */
export function controlSocketPaths(storePath: string, runId: number, ownerPid: number): string[] {
  const stem = `${runFolderStem(storePath, runId, ownerPid)}-`;
  let inFolders: string[] = [];
  try {
    inFolders = readdirSync(tmpdir()).filter((name) => name.startsWith(stem)).map((name) => join(tmpdir(), name, CONTROL_SOCKET));
  } catch {
    // No temporary folder to read: only the fallback.
  }
  return [...inFolders, fallbackPath(storePath, runId, ownerPid)];
}

const CONTROL_SOCKET = 'control.sock';
/** sun_path holds 104 bytes on macOS, 108 on Linux, terminator included. */
const MAX_SOCKET_PATH = 100;

function fallbackPath(storePath: string, runId: number, ownerPid: number): string {
  const service = serviceSocketPath(storePath);
  if (process.platform === 'win32') return `${service}-run-${runId}-${ownerPid}`;
  const key = createHash('sha256').update(`${resolve(storePath)}\0${runId}\0${ownerPid}`).digest('hex').slice(0, 16);
  return join(dirname(service), `run-${key}.sock`);
}

export interface ControlListener {
  close(): Promise<void>;
}

/** Answers control requests for the runs `find` knows, on this process's control socket of the store. */
export async function listenForControl(storePath: string, handle: RunHandle): Promise<ControlListener> {
  const inFolder = join(handle.folder, CONTROL_SOCKET);
  const path = process.platform !== 'win32' && Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH ? inFolder : fallbackPath(storePath, handle.runId, process.pid);
  if (path !== inFolder) ensurePrivateFolder(dirname(path));
  const find = (runId: number): RunHandle | undefined => (runId === handle.runId ? handle : undefined);
  const server = createServer((socket: Socket) => {
    socket.on('error', () => undefined);
    const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
    connection.onRequest(ControlRunRequest, ({ runId, store: _store, ...request }) => {
      const handle = find(runId);
      return handle === undefined ? { ok: false, message: `Run #${runId} is not running in process ${process.pid}.` } : applyControl(handle, request);
    });
    connection.onClose(() => connection.dispose());
    connection.listen();
  });
  // A socket left by a killed process with the same pid (reused) is ours to replace.
  if (process.platform !== 'win32') unlinkQuietly(path);
  await listen(server, path);
  if (process.platform !== 'win32') chmodSync(path, 0o600);
  return {
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      if (process.platform !== 'win32') unlinkQuietly(path);
    }),
  };
}

/**
 * Sends a control request to the process that owns the run: its own control socket (a CLI run),
 * else the store's runner service (an editor run). A run whose owner is gone, or lives on another
 * host, gets an answer that says so.
 */
export async function sendControl(storePath: string, run: RunRecord, request: ControlAction): Promise<ControlAnswer> {
  if (run.ownerHost !== hostname()) return { ok: false, message: `Run #${run.id} is owned by a process on ${run.ownerHost}; control it from there.` };
  if (isOwnerGone(run)) {
    removeDeadOwnersSocket(storePath, run.id, run.ownerPid);
    return { ok: false, message: `Run #${run.id}'s owner (pid ${run.ownerPid}) is gone: the run cannot be ${request.action === 'resume' ? 'resumed' : 'controlled'}; it will be recorded as interrupted.` };
  }
  for (const path of [...controlSocketPaths(storePath, run.id, run.ownerPid), serviceSocketPath(storePath)]) {
    if (!(await answers(path))) continue;
    const answer = await askOwner(path, { runId: run.id, store: resolve(storePath), ...request });
    // An owner of an older version answers an action it does not know with nothing.
    if (typeof answer !== 'object' || answer === null) return { ok: false, message: `Run #${run.id}'s owner (pid ${run.ownerPid}) does not know '${request.action}' (an older version).` };
    if (answer.ok || !/is not running in/.test(answer.message)) return answer;
  }
  return { ok: false, message: `Run #${run.id}'s owner (pid ${run.ownerPid}) does not listen for control requests (an older version, or it is just ending).` };
}

async function askOwner(path: string, params: { runId: number; store: string } & ControlAction): Promise<ControlAnswer> {
  const socket = createConnection(path);
  const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
  socket.on('error', () => undefined);
  connection.listen();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      connection.sendRequest(ControlRunRequest, params),
      new Promise<ControlAnswer>((r) => {
        timer = setTimeout(() => r({ ok: false, message: `The owner of run #${params.runId} did not answer within ${ANSWER_MS / 1000} s.` }), ANSWER_MS);
      }),
    ]);
  } catch (error) {
    return { ok: false, message: `The owner of run #${params.runId} could not be asked: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    clearTimeout(timer);
    connection.dispose();
    socket.destroy();
  }
}

/** A CLI run killed without warning may leave a fallback control socket; whoever finds its owner gone removes it. */
export function removeDeadOwnersSocket(storePath: string, runId: number, ownerPid: number): void {
  if (process.platform !== 'win32' && ownerPid !== process.pid) unlinkQuietly(fallbackPath(storePath, runId, ownerPid));
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    // Private from the moment it exists (see serviceSocket.ts's listen).
    const umask = process.platform === 'win32' ? undefined : process.umask(0o177);
    try {
      server.listen(path, () => {
        server.off('error', reject);
        resolveListen();
      });
    } finally {
      if (umask !== undefined) process.umask(umask);
    }
  });
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Not there: nothing to replace.
  }
}
