import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunRecord, RunStore } from '../store/types.ts';
import { parseOutputs } from '../runner/outputs.ts';
import { LogSanitizer } from '../runner/sanitize.ts';
import type { AttemptOutcome } from '../runner/executor.ts';
import { slurmCommands, type SlurmCommands } from './slurm/commands.ts';
import { jobFilesIn } from './slurm/jobFiles.ts';
import { SlurmQueue } from './slurm/queue.ts';
import { attachSlurmJob, reconcileSlurmJobs } from './slurm/reconcile.ts';

export interface ReattachOptions {
  commands?: SlurmCommands;
  /** Each job's output as it arrives, for the terminal. */
  onOutput?: (block: string, stream: 'stdout' | 'stderr', text: string) => void;
  /** A job's block changed status (running again, finished). */
  onStatus?: (block: string, status: string, reason: string | undefined) => void;
}

export interface ReattachResult {
  /** Jobs that were still queued or running and were followed to their end. */
  followed: number;
  /** Jobs that had ended while nobody followed them: their outcome recorded now. */
  settled: number;
}

/**
 * The SLURM jobs of a run whose process died (the store marked it `interrupted`): each job it
 * submitted (its job.json under `<pipeline folder>/.pipelines/slurm`) is found with one squeue call;
 * a job still in SLURM is followed to its end, its output stored in the block run's log as a live
 * run's is; a job that ended meanwhile gets its outcome recorded. Nothing is submitted again. The
 * run stays `interrupted` (the blocks after those jobs never started): `run --retry` goes on from it.
 */
export async function reattachSlurmJobs(store: RunStore, run: RunRecord, options: ReattachOptions = {}): Promise<ReattachResult> {
  const commands = options.commands ?? slurmCommands();
  const submittedFrom = run.createdAt - 1000;
  const jobs = await reconcileSlurmJobs(dirname(run.pipelineFile), commands, (rec) => rec.runId === run.id && Date.parse(rec.submittedAt) >= submittedFrom);
  const rows = store.blockRuns(run.id);
  const rowOf = (block: string | undefined, attempt: number | undefined) => rows.find((r) => r.block === block && r.attempt === (attempt ?? 1));
  const result: ReattachResult = { followed: 0, settled: 0 };
  const queue = new SlurmQueue(commands, undefined, { baseMs: 500, maxMs: 2000 });
  const live: Promise<void>[] = [];
  try {
    for (const job of jobs) {
      const row = rowOf(job.record.block, job.record.attempt);
      // Only rows the store gave up on: a row that already has its outcome is left as it is.
      if (row === undefined || !(row.status === 'cancelled' && row.reason === 'interrupted')) continue;
      const block = row.block;
      const outputFile = jobFilesIn(job.dir).outputFile;
      const record = (outcome: AttemptOutcome): void => {
        const outputs = outcome.ok ? readOutputs(outputFile) : {};
        const status = outcome.ok ? 'completed' : 'failed';
        store.updateBlockRun(row.id, {
          status, reason: outcome.ok ? 'reattached: followed after its CLI was killed' : (outcome.reason ?? 'failed'), outputs, finishedAt: Date.now(),
          ...(outcome.exitCode === undefined ? {} : { exitCode: outcome.exitCode }),
        });
        options.onStatus?.(block, status, outcome.ok ? undefined : outcome.reason);
      };
      // What the dead process stored of the job's output files is not stored twice.
      const skip = { stdout: 0, stderr: 0 };
      for (const chunk of store.readLogs(row.id)) if (chunk.stream !== 'system') skip[chunk.stream] += chunk.text.length;
      const writer = store.openLog(row.id);
      const sanitizers = { stdout: new LogSanitizer(), stderr: new LogSanitizer() };
      const take = (stream: 'stdout' | 'stderr', text: string): string => {
        const dropped = Math.min(skip[stream], text.length);
        skip[stream] -= dropped;
        return text.slice(dropped);
      };
      if (job.phase === 'finished') {
        const files = jobFilesIn(job.dir);
        for (const stream of ['stdout', 'stderr'] as const) {
          const rest = take(stream, readText(files[stream]));
          if (rest === '') continue;
          writer.write(stream, sanitizers[stream].write(rest) + sanitizers[stream].end());
          options.onOutput?.(block, stream, rest);
        }
        writer.close();
        if (job.outcome !== undefined) record(job.outcome);
        result.settled++;
        continue;
      }
      result.followed++;
      store.updateBlockRun(row.id, { status: 'running', reason: 'reattached' });
      options.onStatus?.(block, 'running', `SLURM job ${job.record.jobId}, reattached`);
      const handle = attachSlurmJob(job, {
        shell: 'bash', script: '', cwd: dirname(run.pipelineFile), env: {}, tag: job.record.tag, timeoutMs: undefined, graceMs: 5000,
        onStarted: () => undefined,
        onOutput: (stream, text) => {
          const rest = take(stream, text);
          if (rest === '') return;
          writer.write(stream, sanitizers[stream].write(rest));
          options.onOutput?.(block, stream, rest);
        },
      }, { commands, queue, profile: undefined });
      live.push(handle.done.then((outcome) => {
        writer.write('stdout', sanitizers.stdout.end());
        writer.write('stderr', sanitizers.stderr.end());
        writer.close();
        record(outcome);
      }));
    }
    await Promise.all(live);
  } finally {
    queue.close();
  }
  return result;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function readOutputs(file: string): Record<string, string> {
  try {
    const parsed = parseOutputs(readFileSync(file, 'utf8'));
    return 'outputs' in parsed ? parsed.outputs : {};
  } catch {
    return {};
  }
}
