import { controlCommand } from './controlRun.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio reject RUN BLOCK [--comment TEXT] [--store PATH]
  Rejects a block waiting at its approval gate: it fails with reason 'rejected …' (who, when,
  the comment), and the usual failure rules apply to its dependents.`;

export function rejectCommand(args: string[], io: CliIo): Promise<number> {
  return controlCommand('reject', args, io, USAGE);
}
