import { validateCommand, type CliIo } from './validateCommand.ts';

export type { CliIo };
import manifest from '../../../package.json' with { type: 'json' };
import { UsageError } from './files.ts';
import { logsCommand } from './logsCommand.ts';
import { runsCommand } from './runsCommand.ts';
import { runCommand } from './runCommand.ts';
import { scheduleCommand } from './scheduleCommand.ts';
import { serveCommand } from './serveCommand.ts';
import { showCommand } from './showCommand.ts';
import { approveCommand } from './approveCommand.ts';
import { pauseCommand } from './pauseCommand.ts';
import { rejectCommand } from './rejectCommand.ts';
import { resumeCommand } from './resumeCommand.ts';

const HELP = `pipeline-studio — validate and run *.pipeline.yaml files

Commands:
  validate <files or folders…> [--format text|json]   check pipelines; exit 1 on errors
  run <file> [--var K=V]… [--dry-run] …              run a pipeline; see 'run --help'
  runs [--pipeline P] [--status S] [--limit N]        recorded runs, newest first (--json for JSON)
  show RUN [--json]                                   a run's blocks, statuses, git and variables
  logs RUN [BLOCK] [--follow]                         a run's stored output (RUN: a number or latest)
  schedule [folders…] [--store PATH] [--drain]        run the pipelines' triggers (foreground)
  schedule --list [folders…] [--at ISO] [--count N]   the upcoming trigger fires (--json for JSON)
  pause RUN [--now] / resume RUN                      pause or resume a run of any process
  approve RUN BLOCK / reject RUN BLOCK [--comment T]  decide a block's approval gate

Run 'pipeline-studio <command> --help' for a command's options.`;

type Command = (args: string[], io: CliIo) => number | Promise<number>;
const COMMANDS: Record<string, Command> = { validate: validateCommand, runs: runsCommand, show: showCommand, logs: logsCommand, run: runCommand, serve: serveCommand, schedule: scheduleCommand,
  pause: pauseCommand, resume: resumeCommand, approve: approveCommand, reject: rejectCommand };

/** Runs the CLI and returns its exit code: 0 ok, 1 the work failed, 2 wrong usage. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.out(manifest.version);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`pipeline-studio: unknown command '${name}'.\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`pipeline-studio ${name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
