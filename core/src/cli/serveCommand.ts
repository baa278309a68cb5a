import { serveRunner } from '../runner/service.ts';
import { DEFAULT_IDLE_MS, listenOnSocket } from '../runner/serviceSocket.ts';
import { UsageError } from './files.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio serve --stdio
       pipeline-studio serve --socket PATH [--idle-ms N]
The runner as a JSON-RPC service (see core/src/runner/protocol.ts). Over stdio it serves one client
and cancels its runs when that client goes. Over a Unix socket or Windows named pipe it serves any
number of clients, keeps runs going when their client goes, and exits once it has had no run and no
client for N ms (default ${DEFAULT_IDLE_MS}).`;

/**
 * `serve`: the engine as its own lean process, so that a large client (the extension host) never
 * forks to start a block. Returns when the stdio client closes the connection, or when the socket
 * service has become idle.
 */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  // stdout carries the protocol over stdio; anything printed there by mistake would corrupt it.
  console.log = console.error;
  console.info = console.error;
  if (args.length === 1 && args[0] === '--stdio') {
    await serveRunner(process.stdin, process.stdout);
    return 0;
  }
  const socket = option(args, '--socket');
  const idle = option(args, '--idle-ms');
  const known = args.every((arg, i) => ['--socket', '--idle-ms'].includes(arg) || ['--socket', '--idle-ms'].includes(args[i - 1] ?? ''));
  if (socket === undefined || !known) throw new UsageError(`pass --stdio, or --socket PATH.\n${USAGE}`);
  const idleMs = idle === undefined ? undefined : Number(idle);
  if (idleMs !== undefined && !(Number.isInteger(idleMs) && idleMs >= 0)) throw new UsageError(`--idle-ms takes a whole number of milliseconds, not '${idle}'.`);
  const served = await listenOnSocket(socket, { idleMs });
  if (served === undefined) {
    io.err(`pipeline-studio serve: a runner service already listens on ${socket}.`);
    return 0;
  }
  io.err(`pipeline-studio serve: listening on ${socket} (pid ${process.pid})`);
  // Stopped on purpose: runs in flight are cancelled and recorded so. A hangup is not a reason to
  // stop runs: the service is meant to outlive the window (or terminal) that started it.
  const stop = (): void => void served.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.on('SIGHUP', () => undefined);
  await served.done;
  io.err('pipeline-studio serve: idle, exiting');
  return 0;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
