import { controlCommand } from './controlRun.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio pause RUN [--now] [--store PATH]
  Starts no new block of the run; running blocks finish. With --now, running blocks are also
  suspended (SIGSTOP; not available on Windows) until 'resume'. Timeouts do not run while paused.
  Works on runs of any process on this machine (the editor's, another terminal's).`;

export function pauseCommand(args: string[], io: CliIo): Promise<number> {
  return controlCommand('pause', args, io, USAGE);
}
