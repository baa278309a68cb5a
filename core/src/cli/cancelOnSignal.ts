import type { CliIo } from './validateCommand.ts';

/**
 * While `done` is pending, Ctrl+C (SIGINT) and SIGTERM cancel the run: `cancel` is called on each
 * signal (it is idempotent), `message` printed on the first. The handlers are removed when `done`
 * settles, whichever way. `interrupted` says whether a signal came, for the exit code (130).
 * Shared by `run` and `run --executor` on Argo.
 */
export async function cancelOnSignal<T>(io: Pick<CliIo, 'err'>, message: string, cancel: () => void, done: Promise<T>): Promise<{ result: T; interrupted: boolean }> {
  let interrupted = false;
  const onSignal = (): void => {
    if (!interrupted) io.err(message);
    interrupted = true;
    cancel();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return { result: await done, interrupted };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
