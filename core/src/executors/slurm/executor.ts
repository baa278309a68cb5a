import { join } from 'node:path';
import type { ExecutorProfile } from '../../model/executors.ts';
import type { AttemptHandle, AttemptOptions, Executor, ExecutorRun } from '../../runner/executor.ts';
import { slurmCommands, type SlurmCommands } from './commands.ts';
import { startSlurmAttempt } from './attempt.ts';
import { SlurmQueue, realPollTimer, type PollSettings, type PollTimer } from './queue.ts';

export interface SlurmExecutorOptions {
  commands?: SlurmCommands;
  timer?: PollTimer;
  poll?: Partial<PollSettings>;
  tailEveryMs?: number;
}

/** Job files live under the pipeline's folder, which the compute nodes must share (documented). */
export function slurmJobDir(folder: string, tag: string): string {
  return join(folder, '.pipelines', 'slurm', tag.replace(/[^A-Za-z0-9._-]/g, '_'));
}

export function slurmJobName(options: Pick<AttemptOptions, 'block' | 'tag'>): string {
  return `ps-${options.block ?? 'block'}-${options.tag}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
}

/**
 * The SLURM executor for one `type: slurm` profile: each attempt is one `sbatch` job; each run has
 * one SlurmQueue, so a run's jobs are followed with one `squeue` call per poll.
 */
export function slurmExecutor(profile: ExecutorProfile | undefined, options: SlurmExecutorOptions = {}): Executor {
  const commands = options.commands ?? slurmCommands();
  const runs = new Map<number, { queue: SlurmQueue; folder: string }>();
  const runOf = (runId: number | undefined, fallbackFolder: string): { queue: SlurmQueue; folder: string } => {
    const key = runId ?? -1;
    let state = runs.get(key);
    if (state === undefined) {
      state = { queue: new SlurmQueue(commands, options.timer ?? realPollTimer, options.poll), folder: fallbackFolder };
      runs.set(key, state);
    }
    return state;
  };
  return {
    name: profile?.name ?? 'slurm',
    type: 'slurm',
    prepare(run: ExecutorRun): Promise<void> {
      runOf(run.runId, run.folder).folder = run.folder;
      return Promise.resolve();
    },
    start(attempt: AttemptOptions): AttemptHandle {
      const run = runOf(attempt.runId, attempt.cwd);
      return startSlurmAttempt(attempt, {
        commands, queue: run.queue, profile, jobDir: slurmJobDir(run.folder, attempt.tag), jobName: slurmJobName(attempt),
        ...(options.tailEveryMs === undefined ? {} : { tailEveryMs: options.tailEveryMs }),
      });
    },
    dispose(run: ExecutorRun): Promise<void> {
      runs.get(run.runId)?.queue.close();
      runs.delete(run.runId);
      return Promise.resolve();
    },
  };
}
