import { validateCommand, type CliIo } from './validateCommand.ts';

export type { CliIo };
import manifest from '../../../package.json' with { type: 'json' };
import { UsageError } from './files.ts';
import * as l10n from '@vscode/l10n';
import { localeOf, useLocale } from './locale.ts';
import { logsCommand } from './logsCommand.ts';
import { runsCommand } from './runsCommand.ts';
import { runCommand } from './runCommand.ts';
import { scheduleCommand } from './scheduleCommand.ts';
import { serveCommand } from './serveCommand.ts';
import { showCommand } from './showCommand.ts';
import { statsCommand } from './statsCommand.ts';
import { exportCommand } from './exportCommand.ts';
import { cancelCommand } from './cancelCommand.ts';
import { retryCommand } from './retryCommand.ts';
import { compareCommand } from './compareCommand.ts';
import { exportOutputsCommand } from './exportOutputsCommand.ts';
import { approveCommand } from './approveCommand.ts';
import { pauseCommand } from './pauseCommand.ts';
import { rejectCommand } from './rejectCommand.ts';
import { resumeCommand } from './resumeCommand.ts';
import { attachCommand } from './attachCommand.ts';
import { lspCommand } from './lspCommand.ts';
import { completionCommand } from './completionCommand.ts';

/** The command list (its lines are the commands' syntax, not translated); header and footer through the catalogue. */
const COMMAND_LINES = `  validate <files or folders…> [--format text|json|github|gitlab|sarif]   check pipelines; exit 1 on errors
  run <file> [--var K=V]… [--dry-run] …              run a pipeline; see 'run --help'
  runs [--pipeline P] [--status S] [--limit N]        recorded runs, newest first (--json for JSON)
  runs --query Q [--sort F] [--offset N]             runs matching a query (docs: "Querying runs")
  stats [--query Q] [--by day|hour|pipeline]         success/failure rate, durations, runs per day
  export [--query Q] --format csv|json [--out F]     the matching runs as CSV or JSON
  cancel RUN…|--all-running [--pipeline P]           stop runs of any process (editor or CLI)
  retry RUN… [--wait]                                re-run the failed blocks of runs as new runs
  show RUN [--json]                                   a run's blocks, statuses, git and variables
  show RUN --timeline                                 a Gantt of the run, critical path marked
  compare RUN RUN [RUN…] [--json]                     2 to 5 runs side by side
  export-outputs BLOCK --format csv                   a block's outputs across runs, one row per run
  logs RUN [BLOCK] [--follow]                         a run's stored output (RUN: a number or latest)
  attach RUN                                          follow a run started elsewhere; Ctrl+C detaches
  schedule [folders…] [--store PATH] [--drain]        run the pipelines' triggers (foreground)
  schedule --list [folders…] [--at ISO] [--count N]   the upcoming trigger fires (--json for JSON)
  export FILE --to argo [--template] [--out F]        compile a pipeline to an Argo Workflow
  pause RUN [--now] / resume RUN                      pause or resume a run of any process
  approve RUN BLOCK / reject RUN BLOCK [--comment T]  decide a block's approval gate
  lsp --stdio                                         the language server, for other editors
  completion bash|zsh|fish                            a shell completion script`;

function helpText(): string {
  return `${l10n.t('pipeline-studio — validate and run *.pipeline.yaml files')}\n\n${l10n.t('Commands:')}\n${COMMAND_LINES}\n\n${l10n.t("Run 'pipeline-studio <command> --help' for a command's options.")}`;
}

type Command = (args: string[], io: CliIo) => number | Promise<number>;
const COMMANDS: Record<string, Command> = { validate: validateCommand, runs: runsCommand, show: showCommand, logs: logsCommand, run: runCommand, serve: serveCommand, schedule: scheduleCommand,
  stats: statsCommand, export: exportCommand, cancel: cancelCommand, retry: (args, io) => retryCommand(args, io),
  compare: compareCommand, 'export-outputs': exportOutputsCommand,
  pause: pauseCommand, resume: resumeCommand, approve: approveCommand, reject: rejectCommand,
  attach: attachCommand,
  lsp: lspCommand, completion: completionCommand,
};

/** The command names, for the shell completions. */
export function commandNames(): string[] {
  return Object.keys(COMMANDS).sort();
}

/** Runs the CLI and returns its exit code: 0 ok, 1 the work failed, 2 wrong usage. */
export async function main(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  useLocale(localeOf(env));
  const HELP = helpText();
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
    io.err(`${l10n.t("pipeline-studio: unknown command '{0}'.", name)}\n\n${HELP}`);
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
