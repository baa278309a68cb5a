import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FINISHED_BLOCK_STATUSES, type RunStore } from '../store/types.ts';
import type { RunEvent } from '../runner/events.ts';
import { declaredFiles, type DeclaredCache, type FileStat, type StatCache } from './declaredFiles.ts';
import { DetailsStore, type KnownFile } from './detailsStore.ts';
import { FileHasher, type FileFacts } from './fileHasher.ts';
import { gitExtras } from './gitExtras.ts';
import { hostInfo } from './host.ts';
import { ResourceSampler, type ResourceFigures, type SamplerOptions } from './resourceSampler.ts';
import type { AttemptResources, GitExtras, NewArtifact } from './types.ts';

export interface RecorderOptions {
  store: RunStore;
  /** The pipeline file the run is started with. */
  file: string;
  /** Its text when the caller has it (an editor buffer); read from the file otherwise. */
  text?: string;
  /** Who runs it: `pipeline-studio` (CLI) or `pipeline-studio-extension`. */
  tool?: string;
  /** Record declared input/output files. Default true. */
  artifacts?: boolean;
  /** Sample attempts' process trees. Default true. */
  resources?: boolean;
  /** Files larger than this are recorded without a hash. Default 1 GiB. */
  hashLimitBytes?: number;
  /** Record git author/subject/remote. Default true. */
  git?: boolean;
  sampler?: SamplerOptions;
  /** Live figures of a running attempt, as they are sampled (the editor shows them). */
  onResources?: (block: string, figures: ResourceFigures) => void;
  /**
   * Called as each file sweep starts, with the blocks it took and whether it waited for more to
   * end (tests count sweeps, and end blocks while one is being written).
   */
  onSweep?: (sweep: { blocks: number; waited: boolean }) => void;
}

/** A block whose files a sweep records: one that ran (its declared files), or one cached (the files of the run it reuses). */
type EndedBlock =
  | { blockRunId: number; block: string; cwd: string; cache: DeclaredCache; cachedFrom?: undefined }
  | { blockRunId: number; block: string; cachedFrom: number };

/**
 * `PIPELINE_STUDIO_DETAILS=off` in the environment turns artifact and resource recording off (the
 * definition, git and host are still recorded): for measuring what recording costs (bench/details.ts).
 */
export const DETAILS_ENV = 'PIPELINE_STUDIO_DETAILS';

/** How long a sweep waits for more blocks to end before recording their files. */
const SWEEP_DELAY_MS = 200;

/**
 * How long ready times and attempts' resources wait to be written: one transaction per second at
 * most while blocks run (not one per block), so a killed CLI loses only the last second's.
 */
export const TIMINGS_FLUSH_MS = 1000;

interface CurrentAttempt {
  blockRunId: number;
  pid: number | undefined;
  cwd: string | undefined;
  cache: DeclaredCache | undefined;
}

/**
 * Records a run's details from its events: attach `observe` beside the run's `onEvent`. Nothing
 * here is on the scheduler's path: events are noted in memory, and hashing and writing happen in
 * one queue after the fact. A failure to record is kept in `error`, never thrown into the run.
 */
export class DetailsRecorder {
  readonly sampler: ResourceSampler | undefined;
  readonly hasher: FileHasher;
  error: string | undefined;
  private readonly options: RecorderOptions;
  private readonly endedAttempts: EndedBlock[] = [];
  private previous: Map<string, Map<string, KnownFile>> | undefined;
  private runStartedAt = Number.POSITIVE_INFINITY;
  private readonly previousByPath = new Map<string, KnownFile>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private wakeSweep: (() => void) | undefined;
  /** A sweep is queued and has not taken its blocks yet: blocks ending now join it. */
  private sweepPending = false;
  /** The run ended: sweeps still to come go at once. */
  private finishing = false;
  private readonly recent = new Map<string, KnownFile>();
  private readonly writers = new Map<string, number>();
  private readonly file: string;
  private readonly text: string | undefined;
  private readonly gitPromise: Promise<GitExtras | undefined> | undefined;
  private details: DetailsStore | undefined;
  private runId: number | undefined;
  private readonly current = new Map<string, CurrentAttempt>();
  private readonly ready: { block: string; at: number }[] = [];
  private readonly resources: AttemptResources[] = [];
  private queue: Promise<void> = Promise.resolve();
  private liveTimer: NodeJS.Timeout | undefined;
  private timingsTimer: NodeJS.Timeout | undefined;

  constructor(options: RecorderOptions) {
    const off = process.env[DETAILS_ENV] === 'off';
    this.options = off ? { ...options, artifacts: false, resources: false } : options;
    this.file = resolve(options.file);
    this.text = options.text ?? readText(this.file);
    this.sampler = this.options.resources === false ? undefined : new ResourceSampler(options.sampler);
    this.hasher = new FileHasher((path, stat) => this.knownFile(path, stat), options.hashLimitBytes);
    this.gitPromise = options.git === false ? undefined : gitExtras(dirname(this.file));
  }

  /** The listener to call with every event of the run (beside the caller's own). */
  readonly observe = (event: RunEvent): void => {
    try {
      this.event(event);
    } catch (error) {
      this.fail(error);
    }
  };

  /** Resolves once everything noted so far is written (call before closing the store). */
  async settled(): Promise<void> {
    await this.queue;
  }

  private event(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        // The wall clock, not the event's (a test's clock may be fake): file times are wall-clock times.
        this.started(event.runId, Date.now());
        return;
      case 'block-attempt':
        this.current.set(event.block, { blockRunId: event.blockRunId, pid: event.pid, cwd: event.cwd, cache: event.cache });
        if (event.pid !== undefined && event.blockRunId > 0) this.sampler?.watch(event.blockRunId, event.pid);
        return;
      case 'block-status': {
        if (event.status === 'queued') {
          this.ready.push({ block: event.block, at: event.time });
          this.scheduleTimings();
        }
        if (event.status === 'cached' && event.cachedFrom !== undefined && event.blockRunId !== undefined) this.cached(event.block, event.blockRunId, event.cachedFrom);
        const retrying = event.status === 'running' && event.reason !== undefined;
        if (event.attempt > 0 && (retrying || FINISHED_BLOCK_STATUSES.includes(event.status))) this.attemptEnded(event.block, event.status === 'completed');
        return;
      }
      case 'run-finished':
        this.finished();
        return;
      case 'log-chunk':
        return;
    }
  }

  /**
   * The last record of a file, for skipping its hash. A file modified since this run started has
   * no record from before it (a record is made after the modification it saw), so only this run's
   * own records are asked: most outputs cost no store lookup.
   */
  private knownFile(path: string, stat: FileStat): KnownFile | undefined {
    const mine = this.recent.get(path);
    if (mine !== undefined || stat.mtimeMs >= this.runStartedAt) return mine;
    return this.previousByPath.get(path) ?? this.details?.knownFile(path);
  }

  private started(runId: number, time: number): void {
    this.runId = runId;
    this.runStartedAt = time;
    this.details = DetailsStore.open(this.options.store);
    const details = this.details;
    details.syncLikeRunStore();
    if (this.text !== undefined) details.saveDefinition(runId, this.text, createHash('sha256').update(this.text).digest('hex'));
    details.saveHost(runId, hostInfo(this.options.tool));
    const git = this.gitPromise;
    if (git !== undefined) this.enqueue(async () => {
      const extras = await git;
      if (extras !== undefined) details.saveGit(runId, extras);
    });
    if (this.options.onResources !== undefined && this.sampler !== undefined) {
      this.liveTimer = setInterval(() => this.reportLive(), 1000);
      this.liveTimer.unref();
    }
  }

  private attemptEnded(block: string, completed: boolean): void {
    const attempt = this.current.get(block);
    const runId = this.runId;
    if (attempt === undefined || runId === undefined) return;
    this.current.delete(block);
    const sampled = this.sampler?.finish(attempt.blockRunId);
    const figures = sampled !== undefined && sampled.samples > 0 ? sampled : undefined;
    if (this.sampler !== undefined) {
      this.resources.push({
        blockRunId: attempt.blockRunId, runId, pid: attempt.pid, method: this.sampler.measured ? 'proc' : 'none',
        cpuUserMs: figures?.cpuUserMs, cpuSystemMs: figures?.cpuSystemMs, peakRssBytes: figures?.peakRssBytes,
        readBytes: figures?.readBytes, writeBytes: figures?.writeBytes, samples: figures?.samples ?? 0,
      });
      this.scheduleTimings();
    }
    if (completed && this.options.artifacts !== false && attempt.cwd !== undefined && attempt.cache !== undefined) {
      this.endedAttempts.push({ blockRunId: attempt.blockRunId, block, cwd: attempt.cwd, cache: attempt.cache });
      this.scheduleSweep(runId);
    }
  }

  /** A block skipped for a valid cache: its files are the ones the reused run recorded, so they are recorded again for this run. */
  private cached(block: string, blockRunId: number, cachedFrom: number): void {
    const runId = this.runId;
    if (runId === undefined || this.options.artifacts === false) return;
    this.endedAttempts.push({ blockRunId, block, cachedFrom });
    this.scheduleSweep(runId);
  }

  /**
   * Records the files of the blocks that ended since the last sweep, together: one stat per file
   * for the whole sweep, the previous run's records loaded once per run, and one transaction.
   * Yields to the event loop between blocks, so a finished child is never kept waiting long.
   */
  private async sweepArtifacts(runId: number, waited: boolean): Promise<void> {
    const details = this.details;
    const ended = this.endedAttempts.splice(0);
    this.options.onSweep?.({ blocks: ended.length, waited });
    if (details === undefined || ended.length === 0) return;
    if (this.previous === undefined) {
      this.previous = details.previousRunFiles(this.file, runId);
      for (const files of this.previous.values()) for (const [path, known] of files) if (known.sha256 !== undefined) this.previousByPath.set(path, known);
    }
    const stats: StatCache = new Map();
    const records: NewArtifact[] = [];
    for (const entry of ended) {
      if (entry.cachedFrom !== undefined) {
        records.push(...this.reusedFiles(runId, entry.blockRunId, entry.block, entry.cachedFrom, details));
        continue;
      }
      const { blockRunId, block: blockId, cwd, cache } = entry;
      for (const file of declaredFiles(cache, cwd, stats)) {
        const facts = await this.hasher.describe(file.path, file.stat ?? null);
        const before = this.previous.get(`${blockId}\0${file.direction}`);
        const known = before?.get(file.path);
        records.push({
          runId, blockRunId, pipelineFile: this.file, block: blockId, direction: file.direction, declared: file.declared, path: file.path,
          size: facts.size, mtimeMs: facts.mtimeMs, sha256: facts.sha256, hashNote: facts.hashNote,
          // No records of this block before: nothing to compare with. A file it did not have before is a change.
          changed: before === undefined ? undefined : known === undefined || comparisonKey(known) !== comparisonKey(facts),
          lineageBlockRunId: file.direction === 'input' ? (this.writers.get(file.path) ?? details.lastWriter(file.path)) : undefined,
        });
        // Later blocks of this run (and files named twice) are answered from memory.
        if (facts.sha256 !== undefined) this.recent.set(file.path, { size: facts.size, mtimeMs: facts.mtimeMs, sha256: facts.sha256 });
        if (file.direction === 'output') this.writers.set(file.path, blockRunId);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    details.saveArtifacts(records);
  }

  /**
   * A cached block's files, copied from the records of the block run it reuses (path, size, mtime,
   * hash) rather than hashed again: the cache hit has just compared the output files with that run's
   * (and the fingerprint its inputs), so they are those files, and copying reads none of them.
   * Each names the block run that really wrote them, also through a chain of cached runs. With no
   * records to copy (see reusableArtifacts), none are made: the files are not read to make them.
   */
  private reusedFiles(runId: number, blockRunId: number, block: string, cachedFrom: number, details: DetailsStore): NewArtifact[] {
    const records: NewArtifact[] = [];
    const reusable = details.reusableArtifacts(cachedFrom);
    for (const source of reusable?.records ?? []) {
      const before = this.previous?.get(`${block}\0${source.direction}`);
      const known = before?.get(source.path);
      const origin = source.reusedFromBlockRunId ?? reusable?.from ?? cachedFrom;
      records.push({
        runId, blockRunId, pipelineFile: this.file, block, direction: source.direction, declared: source.declared, path: source.path,
        size: source.size, mtimeMs: source.mtimeMs, sha256: source.sha256, hashNote: source.hashNote,
        changed: before === undefined ? undefined : known === undefined || comparisonKey(known) !== comparisonKey(source),
        lineageBlockRunId: source.direction === 'input' ? (this.writers.get(source.path) ?? details.lastWriter(source.path)) : undefined,
        reusedFromBlockRunId: origin,
      });
      if (source.sha256 !== undefined) this.recent.set(source.path, { size: source.size, mtimeMs: source.mtimeMs, sha256: source.sha256 });
      // Downstream blocks read these outputs as written by the run that wrote them, not by this cached one.
      if (source.direction === 'output') this.writers.set(source.path, origin);
    }
    return records;
  }

  /** Sweeps come at most every SWEEP_DELAY_MS while blocks end, so blocks ending together share one. */
  private scheduleSweep(runId: number): void {
    // Checked when queued, not when the timer starts: a sweep waits behind the one running, and
    // every block ending meanwhile used to queue one more, each waiting its own delay after the run.
    if (this.sweepPending) return;
    this.sweepPending = true;
    this.enqueue(async () => {
      const waited = !this.finishing;
      if (waited) await new Promise<void>((resolve) => {
        this.wakeSweep = resolve;
        this.sweepTimer = setTimeout(resolve, SWEEP_DELAY_MS);
      });
      this.sweepTimer = undefined;
      this.wakeSweep = undefined;
      this.sweepPending = false;
      await this.sweepArtifacts(runId, waited);
    });
  }

  /** Writes the ready times and resources noted so far within TIMINGS_FLUSH_MS, together. */
  private scheduleTimings(): void {
    if (this.timingsTimer !== undefined || this.runId === undefined) return;
    this.timingsTimer = setTimeout(() => {
      this.timingsTimer = undefined;
      this.enqueue(() => {
        this.writeTimings();
        return Promise.resolve();
      });
    }, TIMINGS_FLUSH_MS);
    this.timingsTimer.unref();
  }

  private writeTimings(): void {
    const runId = this.runId;
    if (runId === undefined || this.details === undefined) return;
    this.details.saveTimings(runId, this.ready.splice(0), this.resources.splice(0));
  }

  private finished(): void {
    if (this.liveTimer !== undefined) clearInterval(this.liveTimer);
    if (this.timingsTimer !== undefined) clearTimeout(this.timingsTimer);
    this.timingsTimer = undefined;
    this.sampler?.stop();
    const runId = this.runId;
    const details = this.details;
    if (runId === undefined || details === undefined) return;
    // The last sweep need not wait for its timer.
    this.finishing = true;
    if (this.sweepTimer !== undefined) clearTimeout(this.sweepTimer);
    this.wakeSweep?.();
    this.enqueue(() => {
      this.writeTimings();
      return Promise.resolve();
    });
    // The store's connection goes with the last write.
    this.queue = this.queue.finally(() => details.close());
  }

  private reportLive(): void {
    const sampler = this.sampler;
    if (sampler === undefined) return;
    for (const [block, attempt] of this.current) {
      const figures = sampler.current(attempt.blockRunId);
      if (figures !== undefined) this.options.onResources?.(block, figures);
    }
  }

  private enqueue(job: () => Promise<void>): void {
    this.queue = this.queue.then(job).catch((error: unknown) => this.fail(error));
  }

  private fail(error: unknown): void {
    this.error ??= `run details: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** What decides "changed": the hash, or for a file recorded without one (over the limit, missing), its size and mtime. */
function comparisonKey(file: KnownFile | FileFacts): string {
  return file.sha256 ?? `size:${String(file.size)}:${String(file.mtimeMs)}`;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
