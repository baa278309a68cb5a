import { PROC_AVAILABLE, readTree, type TreeReading } from './procTree.ts';

/** An attempt's figures so far: CPU is the highest total seen (it never goes back), memory the peak of the tree's RSS. */
export interface ResourceFigures {
  cpuUserMs: number;
  cpuSystemMs: number;
  peakRssBytes: number;
  readBytes: number;
  writeBytes: number;
  samples: number;
}

export interface SamplerOptions {
  /** The share of one core sampling may use; the interval grows to keep within it. Default 0.01. */
  budget?: number;
  /** Default 100 ms: the shortest interval, which bounds what a tree can use unseen before it ends. */
  minIntervalMs?: number;
  /** Default 2000 ms. */
  maxIntervalMs?: number;
  /** Reads one tree; tests and other platforms inject one. Default Linux /proc. */
  read?: (pid: number) => TreeReading | undefined;
}

interface Watched {
  pid: number;
  figures: ResourceFigures;
}

/**
 * Samples the process trees of running attempts, all in one timer. The interval adapts to the cost
 * of the last sweep (measured as this process's CPU time) so that sampling stays within its budget
 * of one core however many blocks run: ~100 ms for a few trees, longer for many.
 */
export class ResourceSampler {
  readonly measured: boolean;
  private readonly watched = new Map<number, Watched>();
  private readonly read: (pid: number) => TreeReading | undefined;
  private readonly budget: number;
  private readonly minIntervalMs: number;
  private readonly maxIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private dueAt = 0;
  private intervalMs: number;
  /** CPU time (ms) spent sampling, for the benchmark. */
  costMs = 0;
  sweeps = 0;

  constructor(options: SamplerOptions = {}) {
    this.read = options.read ?? readTree;
    this.measured = options.read !== undefined || PROC_AVAILABLE;
    this.budget = options.budget ?? 0.01;
    this.minIntervalMs = options.minIntervalMs ?? 100;
    this.maxIntervalMs = options.maxIntervalMs ?? 2000;
    this.intervalMs = this.minIntervalMs;
  }

  /** Starts sampling the tree of an attempt's process (its key: the block run id). */
  watch(key: number, pid: number): void {
    if (!this.measured) return;
    const watched: Watched = { pid, figures: { cpuUserMs: 0, cpuSystemMs: 0, peakRssBytes: 0, readBytes: 0, writeBytes: 0, samples: 0 } };
    // No reading now: the first sweep comes within minIntervalMs, and a block that ends before it
    // (most no-op blocks) costs nothing; its figures say 0 samples, i.e. not measured.
    this.watched.set(key, watched);
    // A sweep far off (the interval grew while costly trees ran) would miss a short new attempt:
    // its first reading comes within minIntervalMs whatever the interval.
    if (this.timer !== undefined && this.dueAt - Date.now() > this.minIntervalMs) this.stop();
    this.schedule(this.timer === undefined ? this.minIntervalMs : undefined);
  }

  current(key: number): ResourceFigures | undefined {
    return this.watched.get(key)?.figures;
  }

  /** Stops sampling it and returns its figures (undefined when it was never watched). */
  finish(key: number): ResourceFigures | undefined {
    const watched = this.watched.get(key);
    if (watched === undefined) return undefined;
    // No last look: the attempt's end arrives after its process exited and was reaped, so its tree
    // is gone (a look cost a /proc lookup per block for nothing; profiled in bench/details.ts).
    this.watched.delete(key);
    if (this.watched.size === 0) this.stop();
    return watched.figures;
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs = this.intervalMs): void {
    if (this.timer !== undefined || this.watched.size === 0) return;
    this.dueAt = Date.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sweep();
      this.schedule();
    }, delayMs);
    this.timer.unref();
  }

  private sweep(): void {
    // This thread's time only: the process's (GC, the store's writes) is not the sampler's cost.
    const usage = (previous?: NodeJS.CpuUsage): NodeJS.CpuUsage => (typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage(previous) : process.cpuUsage(previous));
    const before = usage();
    for (const watched of this.watched.values()) this.sample(watched);
    const used = usage(before);
    const ms = (used.user + used.system) / 1000;
    this.costMs += ms;
    this.sweeps++;
    this.intervalMs = Math.min(this.maxIntervalMs, Math.max(this.minIntervalMs, ms / this.budget));
  }

  private sample(watched: Watched): void {
    const reading = this.read(watched.pid);
    if (reading === undefined) return;
    const f = watched.figures;
    f.samples++;
    f.cpuUserMs = Math.max(f.cpuUserMs, reading.cpuUserMs);
    f.cpuSystemMs = Math.max(f.cpuSystemMs, reading.cpuSystemMs);
    f.peakRssBytes = Math.max(f.peakRssBytes, reading.rssBytes);
    f.readBytes = Math.max(f.readBytes, reading.readBytes);
    f.writeBytes = Math.max(f.writeBytes, reading.writeBytes);
  }
}
