import { controlCommand } from './controlRun.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio approve RUN BLOCK [--comment TEXT] [--store PATH]
  Approves a block waiting at its approval gate: it runs. Your user name, the time and the
  comment are recorded with the block.`;

export function approveCommand(args: string[], io: CliIo): Promise<number> {
  return controlCommand('approve', args, io, USAGE);
}
