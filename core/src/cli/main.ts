import type { CliIo } from './cli.ts';

// The executable entry (bundled to dist/cli.cjs); the logic lives in cli.ts so tests can call it.

// `pipeline-studio logs 1 | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

// `schedule` runs for days: it loads its own code only, not every command (bench/triggers.ts).
const entry = process.argv[2] === 'schedule' ? import('./scheduleMain.ts') : import('./cli.ts');
entry.then(({ main }) => main(process.argv.slice(2), io)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pipeline-studio: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
