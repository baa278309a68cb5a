import type { SlurmCommands } from './commands.ts';
import { parseScontrol, parseSqueue, phaseOf, type FinalState, type QueueEntry } from './states.ts';

/** Timers the poll loop asks for; injectable so tests check the intervals it chooses, not wall time. */
export interface PollTimer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realPollTimer: PollTimer = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface JobListener {
  /** Each state `squeue` shows that differs from the last one (state or reason). */
  onState(entry: QueueEntry): void;
  /** Once: the final state from `scontrol show job`. */
  onFinished(final: FinalState): void;
}

export interface PollSettings {
  /** The first interval after a submission or a change, doubling up to `baseMs`: short jobs end within seconds. Default 500 ms. */
  startMs: number;
  /** The steady interval. Default 2 s. */
  baseMs: number;
  /** The longest interval while nothing changes. Default 10 s. */
  maxMs: number;
  /** Quiet polls before the interval starts to grow (by half each poll). Default 3. */
  quietPolls: number;
  /** While a job's script has ended and SLURM has not said so yet (see `ending`). Default 200 ms. */
  endingMs: number;
}

export const DEFAULT_POLL: PollSettings = { startMs: 500, baseMs: 2000, maxMs: 10_000, quietPolls: 3, endingMs: 200 };

/**
 * Follows every job of one run with ONE `squeue` call per poll, whatever the number of jobs, and
 * one `scontrol show job` per job when it ends (for its exit code and signal). The interval is
 * adaptive: `startMs` after a new job or a change, doubling to `baseMs` (2 s), then growing by half
 * each poll after `quietPolls` more polls without change, up to `maxMs`. Polls never overlap.
 */
export class SlurmQueue {
  private readonly jobs = new Map<string, { listener: JobListener; last: string }>();
  /** Jobs whose script has ended (its marker file seen): polled at the start interval until SLURM says so too. */
  private readonly endingJobs = new Set<string>();
  private readonly commands: SlurmCommands;
  private readonly timer: PollTimer;
  private readonly settings: PollSettings;
  private handle: unknown;
  private polling = false;
  private closed = false;
  private interval: number;
  private quiet = 0;
  /** Polls made, for tests and the benchmark. */
  polls = 0;
  /** Errors of the last poll, kept so a broken cluster shows up somewhere. */
  lastError: string | undefined;

  constructor(commands: SlurmCommands, timer: PollTimer = realPollTimer, settings: Partial<PollSettings> = {}) {
    this.commands = commands;
    this.timer = timer;
    this.settings = { ...DEFAULT_POLL, ...settings };
    this.settings.startMs = Math.min(this.settings.startMs, this.settings.baseMs);
    this.interval = this.settings.startMs;
  }

  /** Follows a job; returns the function that stops following it. */
  watch(jobId: string, listener: JobListener): () => void {
    this.jobs.set(jobId, { listener, last: '' });
    this.soon();
    return () => {
      this.jobs.delete(jobId);
    };
  }

  /**
   * The job's script has ended (the follower saw its marker file): ask SLURM at the start interval,
   * not doubling, until the job is reported finished. Saves up to one whole interval per job.
   */
  ending(jobId: string): void {
    if (!this.jobs.has(jobId) || this.endingJobs.has(jobId)) return;
    this.endingJobs.add(jobId);
    this.soon();
    this.hurry();
  }

  private hurry(): void {
    if (this.polling || this.closed || this.handle === undefined) return;
    this.timer.clearTimeout(this.handle);
    this.interval = Math.min(this.settings.startMs, this.settings.endingMs);
    this.schedule();
  }

  /** Back to the start interval (a new job, a cancel): its change should be seen promptly. */
  soon(): void {
    this.interval = this.settings.startMs;
    this.quiet = 0;
    if (this.polling || this.closed) return;
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    this.schedule();
  }

  close(): void {
    this.closed = true;
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    this.handle = undefined;
  }

  /** The interval the next poll waits, for tests. */
  get nextIntervalMs(): number {
    return this.interval;
  }

  private schedule(): void {
    this.handle = undefined;
    if (this.closed || this.jobs.size === 0) return;
    this.handle = this.timer.setTimeout(() => {
      this.handle = undefined;
      void this.poll();
    }, this.interval);
  }

  private async poll(): Promise<void> {
    this.polling = true;
    let changed = false;
    try {
      const ids = [...this.jobs.keys()];
      this.polls++;
      const seen = parseSqueue(await this.commands.squeue(ids));
      this.lastError = undefined;
      const ended: string[] = [];
      for (const id of ids) {
        const job = this.jobs.get(id);
        const entry = seen.get(id);
        if (job === undefined) continue;
        if (entry !== undefined && entry.state === 'COMPLETED') {
          // COMPLETED means every process exited 0: nothing for scontrol to add, so no call.
          this.jobs.delete(id);
          changed = true;
          job.listener.onFinished({ state: 'COMPLETED', reason: 'None', exitCode: 0, signal: 0 });
          continue;
        }
        if (entry === undefined || phaseOf(entry.state) === 'finished') {
          ended.push(id);
          continue;
        }
        const key = `${entry.state}|${entry.reason}`;
        if (key === job.last) continue;
        job.last = key;
        changed = true;
        job.listener.onState(entry);
      }
      for (const id of ended) {
        changed = true;
        await this.finish(id);
      }
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
    } finally {
      this.polling = false;
    }
    for (const id of this.endingJobs) if (!this.jobs.has(id)) this.endingJobs.delete(id);
    if (this.endingJobs.size > 0) {
      this.interval = Math.min(this.settings.startMs, this.settings.endingMs);
      this.quiet = 0;
    } else if (changed) {
      this.interval = this.settings.startMs;
      this.quiet = 0;
    } else if (this.interval < this.settings.baseMs) {
      this.interval = Math.min(this.settings.baseMs, this.interval * 2);
    } else if (++this.quiet >= this.settings.quietPolls) {
      this.interval = Math.min(this.settings.maxMs, Math.round(this.interval * 1.5));
    }
    this.schedule();
  }

  private async finish(id: string): Promise<void> {
    const job = this.jobs.get(id);
    if (job === undefined) return;
    const text = await this.commands.scontrolShowJob(id);
    const final = text === undefined ? undefined : parseScontrol(text);
    // Still settling (COMPLETING shows in scontrol before squeue): look again next poll.
    if (final !== undefined && phaseOf(final.state) !== 'finished') return;
    this.jobs.delete(id);
    job.listener.onFinished(final ?? { state: 'UNKNOWN', reason: 'the SLURM controller no longer knows the job', exitCode: undefined, signal: undefined });
  }
}
