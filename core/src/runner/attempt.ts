import { statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { finishedAttempt, type AttemptHandle, type AttemptOptions, type AttemptOutcome } from './executor.ts';
import { defaultLauncher, type Launcher } from './launcher.ts';
import { groupAlive, signalGroup, sweepTagged } from './processGroup.ts';
import { directCommand, shellCommand } from './shells.ts';

export type { AttemptHandle, AttemptOptions, AttemptOutcome } from './executor.ts';

/** The local executor's attempt: a real child process through the block's shell, in its own process group. */
export function startAttempt(options: AttemptOptions, launch: Launcher = defaultLauncher()): AttemptHandle {
  const cwdProblem = checkCwd(options.cwd);
  if (cwdProblem !== undefined) {
    options.onStarted(undefined);
    return finishedAttempt({ ok: false, exitCode: undefined, signal: undefined, reason: cwdProblem, pid: undefined });
  }

  const direct = directCommand(options.shell, options.script, options.env);
  const command = direct ?? shellCommand(options.shell, options.script, options.env.PATH);
  // The shell would have set PWD to the folder it starts in; a program started directly gets it here.
  const folder = direct === undefined ? undefined : resolvePath(options.cwd);
  const env = folder !== undefined && options.env.PWD !== folder ? { ...options.env, PWD: folder } : options.env;
  let pid: number | undefined;
  let stoppedBy: 'cancelled' | 'timeout' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let stderrTail = '';
  let startReported = false;
  const reportStart = (): void => {
    if (startReported) return;
    startReported = true;
    options.onStarted(pid);
  };

  /** Signals the group now; before the process exists, once it does. */
  const signalNow = (): void => {
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    sweepTagged(options.tag, 'SIGTERM');
    killTimer = setTimeout(() => {
      if (pid !== undefined) signalGroup(pid, 'SIGKILL');
      sweepTagged(options.tag, 'SIGKILL');
    }, options.graceMs);
  };
  // The engine enforces options.timeoutMs (see executor.ts), so that a frozen attempt does not time out.
  let frozen = false;
  const suspend = (): boolean => {
    if (pid === undefined || frozen || stoppedBy !== undefined || process.platform === 'win32') return false;
    frozen = signalGroup(pid, 'SIGSTOP');
    return frozen;
  };
  const resume = (): boolean => {
    if (pid === undefined || !frozen) return false;
    frozen = false;
    return signalGroup(pid, 'SIGCONT');
  };

  const stop = (why: 'cancelled' | 'timeout'): void => {
    if (stoppedBy !== undefined) return;
    stoppedBy = why;
    signalNow();
    // A frozen group holds the SIGTERM until it runs again.
    if (frozen) resume();
  };
  const done = new Promise<AttemptOutcome>((resolve) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let failure: NodeJS.ErrnoException | undefined;
    let settled = false;
    let leftoversGone = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      if (pid !== undefined && exit !== undefined) reapLeftovers(pid);
      if (exit === undefined && killTimer !== undefined) clearTimeout(killTimer);
      reportStart();
      resolve(outcome(command.file, exit, failure, stoppedBy, stderrTail, pid));
    };
    /** Kills what the shell left in its group; the escalation timer (if stopping) finishes the job. */
    const reapLeftovers = (leader: number): void => {
      // The launcher looked as the output closed (a failed kill(2) costs an exception here, per block).
      if (leftoversGone || !groupAlive(leader)) {
        if (killTimer !== undefined) clearTimeout(killTimer);
        return;
      }
      // A grandchild that outlives the shell would outlive the block: terminate it now.
      signalGroup(leader, 'SIGTERM');
      if (killTimer === undefined) {
        const timer = setTimeout(() => signalGroup(leader, 'SIGKILL'), options.graceMs);
        timer.unref();
      }
    };
    launch(command, options.cwd, env, {
      onSpawn: (spawnedPid) => {
        pid = spawnedPid;
        reportStart();
        if (stoppedBy !== undefined) signalNow();
      },
      onOutput: (stream, text) => {
        if (stream === 'stderr') stderrTail = (stderrTail + text).slice(-2048);
        options.onOutput(stream, text);
      },
      onError: (error) => {
        // Started, then lost from sight (the launcher died): it must not run on unwatched. Once it
        // has exited, its exit decides, whatever output was still on the way.
        if (pid !== undefined && exit === undefined) signalGroup(pid, 'SIGKILL');
        if (exit === undefined) failure = error;
        settle();
      },
      onExit: (code, signal) => {
        exit = { code, signal };
      },
      onClose: (groupEmpty) => {
        if (exit === undefined) return;
        leftoversGone = groupEmpty === true;
        settle();
      },
    });
  });
  return { done, stop, suspend, resume };
}

function outcome(
  file: string,
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined,
  failure: NodeJS.ErrnoException | undefined,
  stoppedBy: 'cancelled' | 'timeout' | undefined,
  stderrTail: string,
  pid: number | undefined,
): AttemptOutcome {
  const exitCode = exit?.code ?? undefined;
  const signal = exit?.signal ?? undefined;
  if (exit === undefined) {
    const code = failure?.code;
    const reason = pid !== undefined ? `internal error: ${message(failure)}` : code === 'ENOENT' ? `shell '${file}' not found on PATH` : `could not start ${file}: ${message(failure)}`;
    return { ok: false, exitCode: undefined, signal: undefined, reason, pid };
  }
  if (stoppedBy !== undefined) return { ok: false, exitCode, signal, reason: stoppedBy, pid };
  if (exitCode === 0) return { ok: true, exitCode, signal, reason: undefined, pid };
  if (signal !== undefined) return { ok: false, exitCode, signal, reason: `killed by ${signal}`, pid };
  if (exitCode === 127) return { ok: false, exitCode, signal, reason: commandNotFound(stderrTail), pid };
  if (exitCode === 126) return { ok: false, exitCode, signal, reason: 'exit code 126: a command could not be executed (permission denied or not a program)', pid };
  return { ok: false, exitCode, signal, reason: `exit code ${exitCode}`, pid };
}

/** bash: `line 1: foo: command not found`; dash: `1: foo: not found`; zsh: `command not found: foo`. */
function commandNotFound(stderr: string): string {
  const m = /: ([^:\n]+): (?:command )?not found\s*$/m.exec(stderr) ?? /command not found: (\S+)\s*$/m.exec(stderr);
  return m?.[1] !== undefined ? `command not found: ${m[1].trim()}` : 'exit code 127: command not found';
}

/** Node reports a missing cwd as `spawn bash ENOENT`, which reads as a missing shell. */
function checkCwd(cwd: string): string | undefined {
  try {
    if (!statSync(cwd).isDirectory()) return `working directory ${cwd} is not a directory`;
    return undefined;
  } catch {
    return `working directory ${cwd} does not exist`;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
