import { isFinalStatus } from '../../../core/src/model/status.ts';
import type { RunRecord } from '../../../core/src/store/types.ts';
import { longRunningThreshold } from '../../../core/src/triggers/longRunning.ts';

/** An alert about any run of a store (manual, CLI, editor or triggered): it failed, or it is long-running. */
export interface RunAlert {
  kind: 'failed' | 'long';
  store: string;
  runId: number;
  file: string;
  pipeline: string;
  /** The run's trigger (`manual`, `schedule:nightly`, …). */
  trigger: string;
  message: string;
}

export interface RunAlertWatchOptions {
  /** The store's runs worth watching: those in flight and the latest ones (undefined: the store cannot be read now). */
  readRuns(store: string): readonly RunRecord[] | undefined;
  /** Durations (ms) of a pipeline's latest completed runs, newest first (TriggerStore.recentDurations). */
  recentDurations(store: string, pipelineFile: string): readonly number[];
  /** Whether long-running alerts are wanted now (`pipelineStudio.triggers.longRunningAlert`). */
  longRunningAlert(): boolean;
  onAlert(alert: RunAlert): void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface Known {
  status: RunRecord['status'];
  longTimer: unknown;
}

/** `schedule:nightly`, `event:on-data`, `chained:…`, `always:…`: started by a trigger. */
export function isTriggered(trigger: string): boolean {
  return /^(schedule|event|chained|always)(:|$)/.test(trigger);
}

/**
 * Alerts on the runs of the stores the window follows, whoever started them: a triggered run that
 * failed (in this window's service, another window's or a headless scheduler), and any run still going past 3× its pipeline's usual duration (see longRunningThreshold). Driven by the
 * window's run-state model: `changed(store)` on each of its changes, never its own polling of the store.
 * A store's first reading is the baseline: runs that had already failed are not news.
 */
export class RunAlertWatch {
  private readonly options: RunAlertWatchOptions;
  private readonly stores = new Map<string, Map<number, Known>>();
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(options: RunAlertWatchOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
  }

  /** The store changed (the run-state model said so): compare its runs with what was known. */
  changed(store: string): void {
    const runs = this.options.readRuns(store);
    if (runs === undefined) return;
    const baseline = !this.stores.has(store);
    const known = this.stores.get(store) ?? new Map<number, Known>();
    this.stores.set(store, known);
    for (const run of runs) {
      const before = known.get(run.id);
      const final = isFinalStatus(run.status);
      if (before === undefined) {
        const entry: Known = { status: run.status, longTimer: final ? undefined : this.armLong(store, run) };
        known.set(run.id, entry);
        // A run that started and failed between two changes is news, unless this is the first reading.
        if (!baseline && run.status === 'failed') this.failed(store, run);
        continue;
      }
      if (before.status === run.status) continue;
      before.status = run.status;
      if (!final) continue;
      if (before.longTimer !== undefined) this.clearTimer(before.longTimer);
      before.longTimer = undefined;
      if (run.status === 'failed') this.failed(store, run);
    }
    // Forget finished runs that dropped out of the reading: what is known stays as small as what is read.
    const read = new Set(runs.map((r) => r.id));
    for (const [id, entry] of known) if (!read.has(id) && isFinalStatus(entry.status)) known.delete(id);
  }

  /** The window stopped following the store. */
  forget(store: string): void {
    for (const entry of this.stores.get(store)?.values() ?? []) if (entry.longTimer !== undefined) this.clearTimer(entry.longTimer);
    this.stores.delete(store);
  }

  dispose(): void {
    for (const store of [...this.stores.keys()]) this.forget(store);
  }

  private armLong(store: string, run: RunRecord): unknown {
    if (!this.options.longRunningAlert()) return undefined;
    let threshold: number | undefined;
    try {
      threshold = longRunningThreshold(this.options.recentDurations(store, run.pipelineFile));
    } catch {
      return undefined;
    }
    if (threshold === undefined) return undefined;
    const started = run.startedAt ?? run.createdAt;
    const limit = threshold;
    return this.setTimer(() => {
      const entry = this.stores.get(store)?.get(run.id);
      if (entry === undefined || isFinalStatus(entry.status)) return;
      entry.longTimer = undefined;
      this.options.onAlert({
        kind: 'long', store, runId: run.id, file: run.pipelineFile, pipeline: run.pipelineName, trigger: run.trigger,
        message: `Run #${run.id} of ${run.pipelineName} (${run.trigger}) is long-running: ${formatMinutes(this.now() - started)} so far, 3× its usual duration (${formatMinutes(limit / 3)}).`,
      });
    }, Math.max(0, started + limit - this.now()));
  }

  private failed(store: string, run: RunRecord): void {
    // A run someone started by hand reports its failure to them (the editor's run, the CLI's exit code);
    // a triggered one, started by no one watching, is alerted.
    if (!isTriggered(run.trigger)) return;
    this.options.onAlert({
      kind: 'failed', store, runId: run.id, file: run.pipelineFile, pipeline: run.pipelineName, trigger: run.trigger,
      message: `Run #${run.id} of ${run.pipelineName} (${run.trigger}) failed${run.error === undefined ? '' : `: ${run.error}`}.`,
    });
  }
}

function formatMinutes(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))}s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)}m`;
  return `${Math.floor(ms / 3_600_000)}h ${String(Math.round((ms % 3_600_000) / 60_000)).padStart(2, '0')}m`;
}
