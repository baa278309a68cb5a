import { serveRunner } from '../runner/service.ts';
import { UsageError } from './files.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = 'Usage: pipeline-studio serve --stdio   (the runner as a JSON-RPC service; see core/src/runner/protocol.ts)';

/**
 * `serve --stdio`: the engine as its own lean process, so that a large client (the extension host)
 * never forks to start a block. Returns when the client closes the connection.
 */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  if (args.length !== 1 || args[0] !== '--stdio') throw new UsageError(`serve speaks JSON-RPC over stdio only: pass --stdio.\n${USAGE}`);
  // stdout carries the protocol; anything printed there by mistake would corrupt it.
  console.log = console.error;
  console.info = console.error;
  await serveRunner(process.stdin, process.stdout);
  return 0;
}
