import { UsageError } from './files.ts';
import { scheduleCommand } from './scheduleCommand.ts';
import type { CliIo } from './validateCommand.ts';

/**
 * `pipeline-studio schedule …` as main.ts starts it: like cli.ts's main for this one command, without
 * loading every other command (the headless scheduler is long-lived; its memory counts).
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    return await scheduleCommand(argv.slice(1), io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`pipeline-studio schedule: ${error.message}`);
    return 2;
  }
}
