import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttemptOptions, AttemptOutcome, Executor } from '../../core/src/runner/executor.ts';

const repo = join(import.meta.dirname, '..', '..');

/** Where the recipe sits: beside the repository in CI, two levels up from a git worktree here. */
function recipe(script: 'setup.sh' | 'stop.sh'): string {
  const candidates = [join(repo, '..', 'shared', 'slurm', script), join(repo, '..', '..', 'shared', 'slurm', script)];
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) throw new Error(`the SLURM recipe is missing: looked for ${candidates.join(' and ')}`);
  return found;
}

/**
 * Test processes using the cluster, one file per pid, and a marker saying a test started it: the
 * last test process out stops a cluster that a test started, and leaves alone one that was up
 * before (a developer's, or CI's own).
 */
const USERS = '/run/pipeline-slurm-test-users';
const STARTED_BY_TEST = '/run/pipeline-slurm-started-by-test';

function clusterUp(): boolean {
  try {
    return /^(idle|mixed|allocated)/m.test(execFileSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 }));
  } catch {
    return false;
  }
}

/**
 * Starts the one-node SLURM cluster with the shared recipe (`../shared/slurm/setup.sh`, idempotent)
 * unless it is up already. Throws, never skips: these tests must run against real slurmctld/slurmd.
 * Pair with releaseSlurmCluster in an `after` hook.
 */
export function ensureSlurmCluster(): void {
  const setup = recipe('setup.sh');
  if (process.getuid?.() !== 0) throw new Error(`${setup} needs root (apt-get and the daemons); run the SLURM tests as root`);
  mkdirSync(USERS, { recursive: true });
  writeFileSync(join(USERS, String(process.pid)), '');
  if (clusterUp()) return;
  execFileSync(setup, { stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 });
  writeFileSync(STARTED_BY_TEST, `${process.pid}\n`);
}

/** Stops the cluster when a test started it and no other live test process still uses it. */
export function releaseSlurmCluster(): void {
  rmSync(join(USERS, String(process.pid)), { force: true });
  const others = existsSync(USERS) ? readdirSync(USERS).filter((pid) => alive(Number(pid))) : [];
  if (others.length > 0 || !existsSync(STARTED_BY_TEST)) return;
  execFileSync(recipe('stop.sh'), { stdio: ['ignore', 'pipe', 'inherit'], timeout: 60_000 });
  rmSync(STARTED_BY_TEST, { force: true });
  const left = slurmDaemonsRunning();
  if (left.length > 0) throw new Error(`the SLURM daemons this test started are still running after stop.sh: ${left.join(', ')}`);
}

/** The SLURM daemons running now (by the recipe's pid files): what a test checks is gone. */
export function slurmDaemonsRunning(): string[] {
  return ['slurmctld', 'slurmd'].filter((name) => {
    try {
      return alive(Number(readFileSync(`/run/pipeline-${name}.pid`, 'utf8').trim()));
    } catch {
      return false;
    }
  });
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (stopped, not yet reaped) holds nothing and runs nothing.
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
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
