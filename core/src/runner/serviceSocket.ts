import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { SocketMessageReader, SocketMessageWriter } from 'vscode-jsonrpc/node';
import { PROTOCOL_VERSION } from './protocol.ts';
import { inodeOf, RunnerService } from './service.ts';

/**
 * How long a service with no run in flight and no client waits before it exits: long enough for
 * a window that reloads to find it again, short enough that a closed editor leaves nothing behind.
 */
export const DEFAULT_IDLE_MS = 5000;
/** sun_path holds 104 bytes on macOS, 108 on Linux, terminator included. */
const MAX_SOCKET_PATH = 100;

/**
 * Where the runner service of a store listens: a Unix socket in a private folder of this user
 * (`$XDG_RUNTIME_DIR` or the temp folder, `pipeline-studio-<uid>/`, mode 0700), or a named pipe on
 * Windows. Named by a hash of the store's path and the protocol version, so every window of one
 * store finds the same service and never one that speaks another protocol.
 */
export function serviceSocketPath(storePath: string): string {
  const key = createHash('sha256').update(`${PROTOCOL_VERSION}\0${resolve(storePath)}`).digest('hex').slice(0, 20);
  if (process.platform === 'win32') {
    const user = createHash('sha256').update(userInfo().username).digest('hex').slice(0, 8);
    return `\\\\.\\pipe\\pipeline-studio-${user}-${key}`;
  }
  const folder = `pipeline-studio-${process.getuid?.() ?? 0}`;
  const runtime = process.env.XDG_RUNTIME_DIR;
  for (const base of [runtime !== undefined && isAbsolute(runtime) && existsSync(runtime) ? runtime : undefined, tmpdir(), '/tmp']) {
    if (base === undefined) continue;
    const path = join(base, folder, `${key}.sock`);
    if (Buffer.byteLength(path) <= MAX_SOCKET_PATH) return path;
  }
  return join('/tmp', folder, `${key}.sock`);
}

/**
 * Where a service started by the editor writes its stderr: beside its socket (in the temp folder
 * for a Windows pipe). Removed when the service ends normally; kept after a crash, to be read.
 */
export function serviceLogPath(socket: string): string {
  return process.platform === 'win32' ? join(tmpdir(), `${basename(socket)}.log`) : `${socket}.log`;
}

/**
 * Creates the socket's folder for this user only, or checks that the existing one is a real folder
 * of this user and makes it private: another user must neither connect to the service (it runs
 * commands) nor put a socket of theirs where the editor looks.
 */
export function ensurePrivateFolder(folder: string): void {
  if (process.platform === 'win32') return;
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stat = lstatSync(folder);
  if (!stat.isDirectory()) throw new Error(`${folder} is not a folder; the runner service cannot listen there.`);
  if (process.getuid !== undefined && stat.uid !== process.getuid()) throw new Error(`${folder} belongs to another user; the runner service will not listen there.`);
  if ((stat.mode & 0o077) !== 0) chmodSync(folder, 0o700);
}

export interface SocketService {
  readonly service: RunnerService;
  /** Settles when the service has stopped: idle for `idleMs`, or stop() called. */
  readonly done: Promise<void>;
  /** Stops listening, cancels the runs in flight (recorded `cancelled`) and closes the stores. */
  stop(): Promise<void>;
}

/**
 * Listens on the socket; undefined when another service already listens there (two windows
 * started one at the same time: theirs serves both). A socket file left by a killed service is
 * replaced. The service stops by itself once it has had no run and no client for `idleMs`.
 */
export async function listenOnSocket(path: string, options: { idleMs?: number } = {}): Promise<SocketService | undefined> {
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  ensurePrivateFolder(dirname(path));
  const service = new RunnerService();
  const server = createServer((socket: Socket) => {
    socket.on('error', () => undefined);
    void service.serve(new SocketMessageReader(socket), new SocketMessageWriter(socket), { cancelRunsOnClose: false });
  });
  if (!(await listen(server, path))) {
    if (await answers(path)) return undefined;
    // Nobody answers: a service that was killed left its socket file.
    if (process.platform !== 'win32') unlinkSync(path);
    if (!(await listen(server, path))) return undefined;
  }
  if (process.platform !== 'win32') chmodSync(path, 0o600);
  const inode = process.platform === 'win32' ? undefined : statSync(path).ino;

  let stopping: Promise<void> | undefined;
  let resolveDone = (): void => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearTimeout(idle);
      await new Promise<void>((r) => server.close(() => r()));
      // Only our own socket file: a service started since may have taken the name.
      if (inode !== undefined && inodeOf(path) === inode) unlinkSync(path);
      await service.close();
      rmSync(serviceLogPath(path), { force: true });
      resolveDone();
    })();
    return stopping;
  };
  let idle: NodeJS.Timeout | undefined;
  const watchIdle = (): void => {
    clearTimeout(idle);
    idle = undefined;
    if (service.runCount > 0 || service.clientCount > 0 || stopping !== undefined) return;
    idle = setTimeout(() => {
      if (service.runCount === 0 && service.clientCount === 0) void stop();
    }, idleMs);
  };
  service.onChange(watchIdle);
  watchIdle();
  return { service, done, stop };
}

function listen(server: Server, path: string): Promise<boolean> {
  return new Promise((resolveListen, reject) => {
    const failed = (error: NodeJS.ErrnoException): void => {
      server.off('listening', listening);
      if (error.code === 'EADDRINUSE') resolveListen(false);
      else reject(error);
    };
    const listening = (): void => {
      server.off('error', failed);
      resolveListen(true);
    };
    server.once('error', failed);
    server.once('listening', listening);
    // The socket file must be private from the moment it exists: a chmod after listen() would leave a
    // moment in which it accepts connections with the default mode. Node binds a path synchronously
    // inside listen(), so the narrowed umask covers exactly that bind and nothing the service spawns.
    const umask = process.platform === 'win32' ? undefined : process.umask(0o177);
    try {
      server.listen(path);
    } finally {
      if (umask !== undefined) process.umask(umask);
    }
  });
}

/** Whether a service answers on the socket (connects); false for a socket file nobody listens on. */
export function answers(path: string): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.destroy();
      resolveAnswer(true);
    });
    socket.once('error', () => resolveAnswer(false));
  });
}

