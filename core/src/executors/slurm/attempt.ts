import { copyFileSync, readFileSync, rmSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import type { ExecutorProfile } from '../../model/executors.ts';
import { finishedAttempt, type AttemptHandle, type AttemptOptions, type AttemptOutcome, type StopReason } from '../../runner/executor.ts';
import type { SlurmCommands } from './commands.ts';
import { writeJobFiles, type JobFiles } from './jobFiles.ts';
import type { SlurmQueue } from './queue.ts';
import { outcomeOf, phaseOf, queuedReason, type FinalState } from './states.ts';
import { FileTail } from './tail.ts';

export interface SlurmAttemptContext {
  commands: SlurmCommands;
  /** The run's queue: one squeue per poll for all of its jobs. */
  queue: SlurmQueue;
  profile: ExecutorProfile | undefined;
  /** Where the job's files go; must be visible to the compute nodes. */
  jobDir: string;
  /** `--job-name`, also how a reconcile finds the job. */
  jobName: string;
  /**
   * The fallback read of the output files and the `ended` marker, for when the job folder's change
   * events do not arrive (a network filesystem written by another machine). Default 1 s; with no
   * watch at all (fs.watch refused), 250 ms.
   */
  tailEveryMs?: number;
}

/** What a job's record file holds, so that a later process can reconcile or re-attach. */
export interface JobRecord {
  jobId: string;
  jobName: string;
  tag: string;
  block: string | undefined;
  attempt: number | undefined;
  runId: number | undefined;
  /** The engine's `$PIPELINE_OUTPUT`, where the job's outputs are copied at the end. */
  engineOutput: string | undefined;
  submittedAt: string;
}

/** The sbatch arguments for one attempt: argv entries, never a shell string. */
export function sbatchArgs(options: AttemptOptions, files: JobFiles, ctx: Pick<SlurmAttemptContext, 'profile' | 'jobName'>): string[] {
  const profile = ctx.profile;
  const resources = options.resources ?? {};
  const args = [
    `--job-name=${ctx.jobName}`, `--output=${files.stdout}`, `--error=${files.stderr}`, `--chdir=${options.cwd}`,
    // sbatch itself runs with a nearly empty environment (commands.ts): what reaches the job is the
    // env file, i.e. what the engine resolved, and SLURM's own variables.
    '--export=ALL', '--kill-on-invalid-dep=yes',
  ];
  const partition = resources.extra?.['partition'] ?? profile?.partition;
  if (partition !== undefined) args.push(`--partition=${partition}`);
  const limitMs = profile?.timeMs ?? (options.timeoutMs === undefined ? undefined : options.timeoutMs + options.graceMs + 60_000);
  if (limitMs !== undefined) args.push(`--time=${slurmTime(limitMs)}`);
  const cpus = resources.cpus ?? profile?.cpus;
  if (cpus !== undefined) args.push(`--cpus-per-task=${cpus}`);
  const memoryMb = resources.memoryMb ?? profile?.memoryMb;
  if (memoryMb !== undefined) args.push(`--mem=${memoryMb}M`);
  const gres = resources.gpus !== undefined && resources.gpus > 0 ? `gpu:${resources.gpus}` : profile?.gres;
  if (gres !== undefined) args.push(`--gres=${gres}`);
  args.push(...(profile?.extra ?? []), files.jobScript);
  return args;
}

/** `D-HH:MM:SS`, rounded up to whole seconds (at least one minute, SLURM's granularity). */
export function slurmTime(ms: number): string {
  const total = Math.max(60, Math.ceil(ms / 1000));
  const d = Math.floor(total / 86_400);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d}-${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/**
 * One attempt as one SLURM batch job. Follows the executor interface (runner/executor.ts): queued
 * with SLURM's reason while PENDING, started when RUNNING is first seen (or when it ended between
 * two polls), output streamed by following the job's files, outcome from `scontrol show job`.
 */
export function startSlurmAttempt(options: AttemptOptions, ctx: SlurmAttemptContext): AttemptHandle {
  try {
    if (!statSync(options.cwd).isDirectory()) throw new Error('not a directory');
  } catch {
    options.onStarted(undefined);
    return finishedAttempt({ ok: false, exitCode: undefined, signal: undefined, reason: `working directory ${options.cwd} does not exist`, pid: undefined });
  }
  let files: JobFiles;
  try {
    files = writeJobFiles(ctx.jobDir, options.shell, options.script, options.env, options.graceMs);
  } catch (error) {
    options.onStarted(undefined);
    return finishedAttempt({ ok: false, exitCode: undefined, signal: undefined, reason: `could not write the job files in ${ctx.jobDir}: ${message(error)}`, pid: undefined });
  }
  return followJob(options, ctx, files, ctx.commands.sbatch(sbatchArgs(options, files, ctx)));
}

/** Follows a job (being submitted, or already submitted by a process that died) to its end. */
export function followJob(options: AttemptOptions, ctx: SlurmAttemptContext, files: JobFiles, jobIdPromise: Promise<string>, writeRecord = true): AttemptHandle {
  const out = new FileTail(files.stdout);
  const err = new FileTail(files.stderr);
  let jobId: string | undefined;
  let stoppedBy: StopReason | undefined;
  let started = false;
  let tailTimer: NodeJS.Timeout | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let settled = false;
  let unwatch: (() => void) | undefined;
  let finish: ((outcome: AttemptOutcome) => void) | undefined;
  const start = (): void => {
    if (started) return;
    started = true;
    options.onStarted(undefined);
  };
  const drain = (final: boolean): void => {
    const o = final ? out.finish() : out.read();
    const e = final ? err.finish() : err.read();
    // Output means the job runs, whether or not a poll has seen it RUNNING yet.
    if (o !== '' || e !== '') start();
    if (o !== '') options.onOutput('stdout', o);
    if (e !== '') options.onOutput('stderr', e);
  };
  let watcher: FSWatcher | undefined;
  let tailSoon: NodeJS.Immediate | undefined;
  const tail = (): void => {
    if (settled) return;
    if (tailTimer !== undefined) clearTimeout(tailTimer);
    tailTimer = undefined;
    drain(false);
    if (jobId !== undefined) {
      const marker = readMarker(files.endedFile);
      // The script ended with every process of the block gone. A plain exit (0 to 128, never
      // signalled) is the attempt's outcome, whatever SLURM's bookkeeping (COMPLETING, the epilog)
      // still takes: no squeue/scontrol round trip. A signalled end (TIMEOUT, CANCELLED, OUT_OF_MEMORY)
      // waits for SLURM's word, which says why.
      const early = stoppedBy === undefined ? plainExit(marker) : undefined;
      if (early !== undefined) {
        unwatch?.();
        finish?.(early);
        return;
      }
      if (marker !== '') ctx.queue.ending(jobId);
    }
    tailTimer = setTimeout(tail, ctx.tailEveryMs ?? (watcher === undefined ? 250 : 1000));
  };
  /** A change in the job folder (output written, the marker created): read it now, once per turn. */
  const onChange = (): void => {
    if (tailSoon !== undefined || settled || jobId === undefined) return;
    tailSoon = setImmediate(() => {
      tailSoon = undefined;
      tail();
    });
  };
  const cancelJob = (): void => {
    if (jobId === undefined || settled) return;
    const id = jobId;
    ctx.commands.scancel(id).catch(() => undefined);
    ctx.queue.soon();
    killTimer = setTimeout(() => void ctx.commands.scancel(id, 'KILL').catch(() => undefined), options.graceMs);
  };

  const done = new Promise<AttemptOutcome>((resolve) => {
    finish = (outcome: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      if (tailTimer !== undefined) clearTimeout(tailTimer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      if (tailSoon !== undefined) clearImmediate(tailSoon);
      watcher?.close();
      start();
      drain(true);
      const engineOutput = options.env['PIPELINE_OUTPUT'];
      try {
        if (engineOutput !== undefined) copyFileSync(files.outputFile, engineOutput);
      } catch {
        // The job never wrote one (it did not start); the engine's file stays as it was.
      }
      // The env file may hold secrets; nothing needs it once the job has ended.
      rmSync(files.envFile, { force: true });
      resolve(outcome);
    };
    jobIdPromise.then((id) => {
      jobId = id;
      options.onJob?.(id);
      const record: JobRecord = {
        jobId: id, jobName: ctx.jobName, tag: options.tag, block: options.block, attempt: options.attempt, runId: options.runId,
        engineOutput: options.env['PIPELINE_OUTPUT'], submittedAt: new Date().toISOString(),
      };
      if (writeRecord) writeFileSync(files.recordFile, `${JSON.stringify(record)}\n`);
      unwatch = ctx.queue.watch(id, {
        onState: (entry) => {
          const phase = phaseOf(entry.state);
          if (phase === 'queued' && !started) options.onQueued?.(queuedReason(entry.reason));
          if (phase === 'running' && !started) start();
        },
        onFinished: (final: FinalState) => finish?.(outcomeOf(final, stoppedBy)),
      });
      // Followed from the submission, not from the first RUNNING poll: the job folder is watched, so
      // the job's output and its `ended` marker are seen as they are written, however the poll
      // interval has grown; the tail interval is the fallback when no change event comes.
      try {
        watcher = watch(files.dir, { persistent: false }, onChange);
        watcher.on('error', () => {
          watcher?.close();
          watcher = undefined;
        });
      } catch {
        watcher = undefined;
      }
      tail();
      if (stoppedBy !== undefined) cancelJob();
    }, (error: unknown) => {
      finish?.({ ok: false, exitCode: undefined, signal: undefined, reason: stoppedBy ?? message(error), pid: undefined });
    });
  });
  return {
    done,
    stop(why: StopReason): void {
      if (stoppedBy !== undefined || settled) return;
      stoppedBy = why;
      cancelJob();
    },
  };
}

/**
 * The outcome a marker decides alone: `STATUS 0` with STATUS at most 128 (the script exited by
 * itself; above 128 a signal killed the block, which SLURM explains). Undefined otherwise.
 */
export function plainExit(marker: string): AttemptOutcome | undefined {
  const match = /^(\d{1,3}) 0$/.exec(marker);
  if (match === null) return undefined;
  const code = Number(match[1]);
  if (code > 128) return undefined;
  if (code === 0) return { ok: true, exitCode: 0, signal: undefined, reason: undefined, pid: undefined };
  return { ok: false, exitCode: code, signal: undefined, reason: code === 127 ? 'exit code 127: command not found' : `exit code ${code}`, pid: undefined };
}

function readMarker(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
