import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AttemptOptions, AttemptOutcome, Executor } from '../../core/src/runner/executor.ts';

const repo = join(import.meta.dirname, '..', '..');

/**
 * Starts the one-node SLURM cluster with the shared recipe (`../shared/slurm/setup.sh`, idempotent;
 * beside the repository in CI, two levels up from a git worktree here). Throws, never skips: these
 * tests must run against real slurmctld/slurmd.
 */
export function ensureSlurmCluster(): void {
  const candidates = [join(repo, '..', 'shared', 'slurm', 'setup.sh'), join(repo, '..', '..', 'shared', 'slurm', 'setup.sh')];
  const setup = candidates.find((c) => existsSync(c));
  if (setup === undefined) throw new Error(`the SLURM recipe is missing: looked for ${candidates.join(' and ')}`);
  if (process.getuid?.() !== 0) throw new Error(`${setup} needs root (apt-get and the daemons); run the SLURM tests as root`);
  execFileSync(setup, { stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 });
}

export interface Recorded {
  events: string[];
  stdout: string;
  stderr: string;
  outcome: AttemptOutcome;
}

export interface AttemptRun {
  done: Promise<Recorded>;
  stop: (why: 'cancelled' | 'timeout') => void;
  started: Promise<void>;
}

/** Starts an attempt and records what the executor reports, in order. */
export function runAttempt(executor: Executor, options: Omit<AttemptOptions, 'onOutput' | 'onStarted' | 'onQueued'>): AttemptRun {
  const events: string[] = [];
  let stdout = '';
  let stderr = '';
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const handle = executor.start({
    ...options,
    onOutput: (stream, text) => {
      if (stream === 'stdout') stdout += text;
      else stderr += text;
      if (!events.includes(`output ${stream}`)) events.push(`output ${stream}`);
    },
    onStarted: (pid) => {
      events.push(`started ${String(pid)}`);
      markStarted();
    },
    onQueued: (reason) => {
      if (events[events.length - 1] !== `queued ${reason}`) events.push(`queued ${reason}`);
    },
  });
  return { done: handle.done.then((outcome) => ({ events, stdout, stderr, outcome })), stop: (why) => handle.stop(why), started };
}
