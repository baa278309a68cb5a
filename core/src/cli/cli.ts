import { validateCommand, type CliIo } from './validateCommand.ts';

export type { CliIo };
import manifest from '../../../package.json' with { type: 'json' };
import { UsageError } from './files.ts';

const HELP = `pipeline-studio — validate and run *.pipeline.yaml files

Commands:
  validate <files or folders…> [--format text|json]   check pipelines; exit 1 on errors

Run 'pipeline-studio <command> --help' for a command's options.`;

type Command = (args: string[], io: CliIo) => number | Promise<number>;
const COMMANDS: Record<string, Command> = { validate: validateCommand };

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
