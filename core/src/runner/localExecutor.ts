import { startAttempt } from './attempt.ts';
import type { Executor } from './executor.ts';
import { defaultLauncher, type Launcher } from './launcher.ts';

/**
 * The default executor: each attempt is a process group on this machine, started by the launch
 * helpers (launcher.ts), stopped with SIGTERM then SIGKILL, frozen with SIGSTOP/SIGCONT. Nothing to
 * prepare or dispose: the run's sweep (processGroup.ts) catches what escaped its group.
 */
export function localExecutor(launch?: Launcher): Executor {
  return {
    name: 'local',
    type: 'local',
    start: (options) => startAttempt(options, launch ?? defaultLauncher()),
  };
}

export const LOCAL_EXECUTOR: Executor = localExecutor();
