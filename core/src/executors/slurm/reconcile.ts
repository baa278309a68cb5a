import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttemptHandle, AttemptOptions, AttemptOutcome } from '../../runner/executor.ts';
import type { SlurmCommands } from './commands.ts';
import { followJob, type JobRecord, type SlurmAttemptContext } from './attempt.ts';
import { jobFilesIn } from './jobFiles.ts';
import { outcomeOf, parseScontrol, parseSqueue, phaseOf } from './states.ts';

export interface ReconciledJob {
  record: JobRecord;
  dir: string;
  /** queued/running: the job is still in SLURM and can be followed again (attach); finished: it ended while nobody watched. */
  phase: 'queued' | 'running' | 'finished';
  /** For finished jobs. */
  outcome: AttemptOutcome | undefined;
}

/**
 * After a CLI or service was killed mid-run: every job recorded under `<folder>/.pipelines/slurm`
 * (filtered by `keep`, e.g. one run's tags), with where it stands — one `squeue` call for all, and
 * `scontrol show job` for the ones that ended. Nothing is submitted: a job found here is followed
 * again (attachSlurmJob), never run twice.
 */
export async function reconcileSlurmJobs(folder: string, commands: SlurmCommands, keep: (record: JobRecord) => boolean = () => true): Promise<ReconciledJob[]> {
  const root = join(folder, '.pipelines', 'slurm');
  let dirs: string[];
  try {
    dirs = readdirSync(root);
  } catch {
    return [];
  }
  const jobs: { record: JobRecord; dir: string }[] = [];
  for (const name of dirs) {
    try {
      const record = JSON.parse(readFileSync(join(root, name, 'job.json'), 'utf8')) as JobRecord;
      if (keep(record)) jobs.push({ record, dir: join(root, name) });
    } catch {
      // No record: sbatch never answered, so there is no job to follow.
    }
  }
  if (jobs.length === 0) return [];
  const queue = parseSqueue(await commands.squeue(jobs.map((j) => j.record.jobId)));
  const out: ReconciledJob[] = [];
  for (const job of jobs) {
    const entry = queue.get(job.record.jobId);
    const phase = entry === undefined ? 'finished' : phaseOf(entry.state);
    if (phase !== 'finished') {
      out.push({ ...job, phase, outcome: undefined });
      continue;
    }
    const text = await commands.scontrolShowJob(job.record.jobId);
    const final = text === undefined ? undefined : parseScontrol(text);
    const outcome = final === undefined
      ? { ok: false, exitCode: undefined, signal: undefined, reason: 'interrupted: the job ended while no one followed it and SLURM no longer knows how', pid: undefined }
      : outcomeOf(final, undefined);
    out.push({ ...job, phase: 'finished', outcome });
  }
  return out;
}

/** Follows a reconciled job that is still queued or running, as if this process had submitted it. */
export function attachSlurmJob(job: ReconciledJob, options: AttemptOptions, ctx: Omit<SlurmAttemptContext, 'jobDir' | 'jobName'>): AttemptHandle {
  return followJob(options, { ...ctx, jobDir: job.dir, jobName: job.record.jobName }, jobFilesIn(job.dir), Promise.resolve(job.record.jobId), false);
}
