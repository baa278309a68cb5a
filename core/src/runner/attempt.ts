import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { ShellName } from '../model/pipeline.ts';
import { groupAlive, signalGroup, sweepTagged } from './processGroup.ts';
import { shellCommand } from './shells.ts';

/** One try of one block: a real child process through the block's shell, in its own process group. */
export interface AttemptOptions {
  shell: ShellName;
  script: string;
  /** Absolute; checked before spawning. */
  cwd: string;
  /** The complete environment of the process. */
  env: Record<string, string>;
  /** Its PIPELINE_PROCESS_TAG value, so escaped processes can be swept. */
  tag: string;
  timeoutMs: number | undefined;
  /** Between SIGTERM and SIGKILL. */
  graceMs: number;
  onOutput: (stream: 'stdout' | 'stderr', text: string) => void;
}

export interface AttemptOutcome {
  /** True when the process exited with status 0 and was not stopped. */
  ok: boolean;
  exitCode: number | undefined;
  signal: string | undefined;
  /** Why it failed, for people: `timeout`, `cancelled`, `command not found: foo`, … */
  reason: string | undefined;
  pid: number | undefined;
}

export interface AttemptHandle {
  readonly pid: number | undefined;
  readonly done: Promise<AttemptOutcome>;
  /** SIGTERM to the group now, SIGKILL after the grace period; the outcome's reason is `why`. */
  stop(why: 'cancelled' | 'timeout'): void;
}

/** How long to wait for the pipes to close after the shell exits when a leftover process holds them. */
const DRAIN_MS = 200;

export function startAttempt(options: AttemptOptions): AttemptHandle {
  const cwdProblem = checkCwd(options.cwd);
  if (cwdProblem !== undefined) return finished({ ok: false, exitCode: undefined, signal: undefined, reason: cwdProblem, pid: undefined });

  const command = shellCommand(options.shell, options.script, options.env.PATH);
  let child: ChildProcess;
  try {
    child = spawn(command.file, command.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    return finished({ ok: false, exitCode: undefined, signal: undefined, reason: `could not start ${command.file}: ${message(error)}`, pid: undefined });
  }
  const pid = child.pid;
  let stoppedBy: 'cancelled' | 'timeout' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let stderrTail = '';

  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => options.onOutput('stdout', text));
  child.stderr?.on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-2048);
    options.onOutput('stderr', text);
  });

  const stop = (why: 'cancelled' | 'timeout'): void => {
    if (stoppedBy !== undefined || pid === undefined) return;
    stoppedBy = why;
    signalGroup(pid, 'SIGTERM');
    sweepTagged(options.tag, 'SIGTERM');
    killTimer = setTimeout(() => {
      signalGroup(pid, 'SIGKILL');
      sweepTagged(options.tag, 'SIGKILL');
    }, options.graceMs);
  };
  const timeoutTimer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);

  const done = new Promise<AttemptOutcome>((resolve) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let spawnError: NodeJS.ErrnoException | undefined;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      if (timeoutTimer !== undefined) clearTimeout(timeoutTimer);
      if (pid !== undefined && exit !== undefined) reapLeftovers(pid);
      resolve(outcome(command.file, exit, spawnError, stoppedBy, stderrTail, pid));
    };
    /** Kills what the shell left in its group; the escalation timer (if stopping) finishes the job. */
    const reapLeftovers = (leader: number): void => {
      if (!groupAlive(leader)) {
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
    child.once('error', (error) => {
      spawnError = error;
      if (pid === undefined) settle();
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      // The pipes close when every process holding them is gone; one that escaped the group may
      // hold them forever, so do not wait long for that.
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        settle();
      }, DRAIN_MS).unref();
    });
    child.once('close', () => {
      if (exit !== undefined) settle();
    });
  });
  return { pid, done, stop };
}

function outcome(
  file: string,
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined,
  spawnError: NodeJS.ErrnoException | undefined,
  stoppedBy: 'cancelled' | 'timeout' | undefined,
  stderrTail: string,
  pid: number | undefined,
): AttemptOutcome {
  const exitCode = exit?.code ?? undefined;
  const signal = exit?.signal ?? undefined;
  if (exit === undefined) {
    const code = spawnError?.code;
    const reason = code === 'ENOENT' ? `shell '${file}' not found on PATH` : `could not start ${file}: ${message(spawnError)}`;
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

function finished(result: AttemptOutcome): AttemptHandle {
  return { pid: undefined, done: Promise.resolve(result), stop: () => undefined };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
