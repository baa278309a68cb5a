import { controlCommand } from './controlRun.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio resume RUN [--store PATH]
  Resumes a paused run: suspended blocks continue (SIGCONT) and new blocks start again.`;

export function resumeCommand(args: string[], io: CliIo): Promise<number> {
  return controlCommand('resume', args, io, USAGE);
}
