import { dirname, resolve } from 'node:path';
import type { TriggerDef } from '../model/triggers.ts';
import type { TriggerStore } from '../store/triggerStore.ts';
import type { RunStatus, RunTrigger } from '../store/types.ts';
import type { LoadedPipeline, ScheduledPipeline } from './loadPipelines.ts';
import { nextFireAfter } from './nextFire.ts';

export interface SchedulerClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const realClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface LaunchRequest {
  file: string;
  pipeline: ScheduledPipeline;
  trigger: TriggerDef;
  /** What the run records as its trigger: `schedule:nightly`, `event:on-data`, … */
  label: RunTrigger;
  variables: TriggerDef['variables'];
  fireId: number;
}

export interface LaunchedRun {
  runId: number;
  done: Promise<{ status: RunStatus; error?: string | undefined }>;
  cancel(): void;
}

export type Launcher = (request: LaunchRequest) => Promise<LaunchedRun>;

export interface Alert {
  /** `long`: the run has taken 3× the pipeline's median duration (see longRunning.ts). */
  kind: 'sla' | 'timeout' | 'failed' | 'long';
  file: string;
  trigger: string;
  runId: number;
  message: string;
}

/** The end of a triggered run, for `on_failure`, the log and the tests. */
export interface RunEnd {
  file: string;
  pipeline: ScheduledPipeline;
  trigger: TriggerDef;
  label: RunTrigger;
  runId: number;
  status: RunStatus;
  /** Set when the scheduler stopped the run at its trigger's `timeout`. */
  timedOut: boolean;
}

export interface SchedulerOptions {
  triggers: TriggerStore;
  /** This scheduler's name in the lease: unique per scheduler (pid, host and a random part). */
  holder: string;
  launch: Launcher;
  clock?: SchedulerClock;
  /** How often the lease is renewed or sought. Default 5000. */
  leaseHeartbeatMs?: number;
  /** A holder silent this long loses the lease (a dead process on this host loses it at once). Default 4 heartbeats. */
  leaseStaleMs?: number;
  /** The longest a timer sleeps before the next fire is recomputed, so that clock changes are noticed. Default 60000. */
  maxTimerMs?: number;
  log?: (line: string) => void;
  onAlert?: (alert: Alert) => void;
  /** A triggered run ended (after its status is final); `on_failure` hooks here. */
  onRunEnd?: (end: RunEnd) => void;
  /** Watches globs under a folder, calling back with the changed file's path; returns a stop function. */
  watch?: (folder: string, globs: string[], onFile: (path: string) => void) => () => void;
  /** Records a final status the scheduler decided (a timeout's `failed`). */
  finishRun?: (runId: number, status: RunStatus, error: string) => void;
  /**
   * After how long a run of this pipeline counts as long-running (an alert, once), or undefined for
   * no such alert: see longRunningThreshold. Asked as each triggered run starts.
   */
  longRunningAfterMs?: (file: string) => number | undefined;
  /** What list() shows may have changed: pipelines loaded, the lease won or lost, a run started or ended. */
  onChange?: () => void;
}

/** A trigger as the editor lists it ("Upcoming", code lenses, the status bar). */
export interface TriggerListing {
  file: string;
  pipeline: string;
  trigger: string;
  kind: NonNullable<TriggerDef['kind']>;
  /** The next clock fire (epoch ms); undefined for event and chained triggers, and a clock trigger that never fires again. */
  next: number | undefined;
  /** Turned off by the user (kept outside the file); it does not fire. */
  disabled: boolean;
  /** Offset of the trigger's name in the file. */
  offset: number;
  timezone: string | undefined;
  /** What an event or chained trigger waits for. */
  waitsFor: string | undefined;
}

/** The key of a trigger in a disabled set. */
export function triggerKey(file: string, trigger: string): string {
  return `${file}#${trigger}`;
}

interface TriggerEntry {
  file: string;
  pipeline: ScheduledPipeline;
  trigger: TriggerDef;
  state: PipelineState;
  timer: unknown;
  /** Ticks up to this one have been handled. */
  after: number;
  stopWatch: (() => void) | undefined;
  debounce: unknown;
  lastFile: string | undefined;
  /** After a run that could not start, an always-on trigger waits until then rather than retry at once. */
  refusedUntil: number;
}

interface InFlight {
  run: LaunchedRun;
  entry: TriggerEntry;
  timers: unknown[];
  timedOut: boolean;
  slaAlerted: boolean;
  startedAt: number;
}

interface PipelineState {
  file: string;
  pipeline: ScheduledPipeline;
  inFlight: Set<InFlight>;
  queued: { entry: TriggerEntry; fireId: number } | undefined;
  lastEndedAt: number | undefined;
  /** Runs being started (fired, not yet running): they count as in flight. */
  starting: number;
}

const LABEL_PREFIX: Record<NonNullable<TriggerDef['kind']>, string> = { cron: 'schedule', every: 'schedule', at: 'schedule', files: 'event', after: 'chained', always: 'always' };
const CLOCK_KINDS = new Set(['cron', 'every', 'at', 'always']);
/** An always-on trigger whose run cannot start (a file error, a missing variable) tries again this much later. */
const REFUSED_RETRY_MS = 60_000;

export function triggerLabel(trigger: TriggerDef): RunTrigger {
  return `${LABEL_PREFIX[trigger.kind ?? 'cron'] as 'schedule'}:${trigger.name}`;
}

/**
 * Fires the triggers of a set of pipelines. Timers go to the next fire time (capped, so a changed
 * clock is noticed), never a polling loop. Of all schedulers on one store only the lease holder
 * fires, and each tick is claimed in the store before it fires, so a hand-over never fires twice.
 */
export class Scheduler {
  private readonly options: SchedulerOptions;
  private readonly clock: SchedulerClock;
  private readonly heartbeatMs: number;
  private readonly staleMs: number;
  private readonly maxTimerMs: number;
  private entries: TriggerEntry[] = [];
  private states = new Map<string, PipelineState>();
  private leaseTimer: unknown;
  private disabled: ReadonlySet<string> = new Set();
  private loaded: readonly LoadedPipeline[] = [];
  private leader = false;
  private stopped = false;
  private readonly allRuns = new Set<InFlight>();

  constructor(options: SchedulerOptions) {
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.heartbeatMs = options.leaseHeartbeatMs ?? 5000;
    this.staleMs = options.leaseStaleMs ?? 4 * this.heartbeatMs;
    this.maxTimerMs = options.maxTimerMs ?? 60_000;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** Runs in flight that this scheduler started. */
  get running(): number {
    return this.allRuns.size;
  }

  start(pipelines: readonly LoadedPipeline[]): void {
    this.disabled = this.storedDisabled() ?? this.disabled;
    this.load(pipelines);
    this.renewLease();
  }

  /** The pipelines loaded last, with the files that keep no triggers (`refused`). */
  get pipelines(): readonly LoadedPipeline[] {
    return this.loaded;
  }

  /**
   * Turns a trigger off (or on again) in the store, for every scheduler and window on it (the others
   * see it at their next lease heartbeat), and here at once.
   */
  setTriggerDisabled(file: string, trigger: string, disabled: boolean): void {
    this.options.triggers.setDisabled(file, trigger, disabled, this.clock.now());
    this.setDisabled(this.storedDisabled() ?? this.disabled);
  }

  /** Triggers turned off (keys from triggerKey): they are listed, not fired. The store's set, read at each heartbeat. */
  private setDisabled(keys: ReadonlySet<string>): void {
    const same = keys.size === this.disabled.size && [...keys].every((k) => this.disabled.has(k));
    this.disabled = new Set(keys);
    if (!same) this.load(this.loaded);
  }

  /** Replaces the pipelines (files edited, added or removed); runs in flight go on. */
  load(pipelines: readonly LoadedPipeline[]): void {
    for (const entry of this.entries) this.disarm(entry);
    this.loaded = pipelines;
    const now = this.clock.now();
    const states = new Map<string, PipelineState>();
    this.entries = [];
    for (const loaded of pipelines) {
      if (loaded.refused !== undefined) {
        this.log(`not scheduled, it has errors: ${loaded.refused}`);
        continue;
      }
      const old = this.states.get(loaded.file);
      const state: PipelineState = old === undefined
        ? { file: loaded.file, pipeline: loaded.pipeline, inFlight: new Set(), queued: undefined, lastEndedAt: undefined, starting: 0 }
        : { ...old, pipeline: loaded.pipeline };
      states.set(loaded.file, state);
      for (const trigger of loaded.pipeline.triggers) {
        if (trigger.kind === undefined || this.disabled.has(triggerKey(loaded.file, trigger.name))) continue;
        this.entries.push({ file: loaded.file, pipeline: loaded.pipeline, trigger, state, timer: undefined, after: now, stopWatch: undefined, debounce: undefined, lastFile: undefined, refusedUntil: 0 });
      }
    }
    this.states = states;
    for (const entry of this.entries) this.arm(entry);
    this.log(`${this.entries.length} trigger(s) in ${states.size} pipeline(s)`);
    this.options.onChange?.();
  }

  /**
   * Stops firing and gives up the lease. Runs in flight are cancelled, or with `drain` allowed to
   * finish; resolves when they have ended (and are recorded).
   */
  async stop(options: { drain?: boolean } = {}): Promise<void> {
    this.stopped = true;
    for (const entry of this.entries) this.disarm(entry);
    if (this.leaseTimer !== undefined) this.clock.clearTimer(this.leaseTimer);
    const runs = [...this.allRuns];
    if (options.drain !== true) for (const r of runs) r.run.cancel();
    await Promise.allSettled(runs.map((r) => r.run.done));
    // Let the end handlers (status, on_failure, log) of those runs go first.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.leader) {
      try {
        this.options.triggers.releaseLease(this.options.holder);
      } catch (error) {
        this.log(`could not release the lease: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.leader = false;
  }

  /** Every trigger of the clean files, disabled ones included, with its next fire from now. */
  list(): TriggerListing[] {
    const now = this.clock.now();
    const out: TriggerListing[] = [];
    for (const loaded of this.loaded) {
      if (loaded.refused !== undefined) continue;
      const state = this.states.get(loaded.file);
      for (const trigger of loaded.pipeline.triggers) {
        const kind = trigger.kind;
        if (kind === undefined) continue;
        const entry = this.entries.find((e) => e.file === loaded.file && e.trigger.name === trigger.name);
        const from = Math.max(now, entry?.after ?? now);
        const next = CLOCK_KINDS.has(kind) ? nextFireAfter(trigger, kind === 'always' ? now - 1 : from, { running: state !== undefined && busy(state), lastEndedAt: state?.lastEndedAt }) : undefined;
        const waitsFor = kind === 'files' ? trigger.files.map((f) => f.value).join(', ') : kind === 'after' ? `${trigger.after?.value.trim() ?? ''} (${trigger.afterStatus})` : undefined;
        out.push({ file: loaded.file, pipeline: loaded.pipeline.name, trigger: trigger.name, kind, next, disabled: this.disabled.has(triggerKey(loaded.file, trigger.name)), offset: trigger.nameSpan.start, timezone: trigger.timezone, waitsFor });
      }
    }
    return out;
  }

  /**
   * Starts a run of a trigger now, whoever holds the lease (the user asked, in this window): with the
   * trigger's variables, label, SLA, timeout and alerts. Throws when the trigger is not loaded or the run is refused.
   */
  async runNow(file: string, triggerName: string): Promise<number> {
    const loaded = this.loaded.find((l) => l.file === file && l.refused === undefined);
    const trigger = loaded?.pipeline.triggers.find((t) => t.name === triggerName);
    if (loaded === undefined || trigger === undefined) throw new Error(`No trigger '${triggerName}' in ${file} (or the file has errors).`);
    let state = this.states.get(file);
    if (state === undefined) {
      state = { file, pipeline: loaded.pipeline, inFlight: new Set(), queued: undefined, lastEndedAt: undefined, starting: 0 };
      this.states.set(file, state);
    }
    const entry = this.entries.find((e) => e.file === file && e.trigger.name === triggerName)
      ?? { file, pipeline: loaded.pipeline, trigger, state, timer: undefined, after: this.clock.now(), stopWatch: undefined, debounce: undefined, lastFile: undefined, refusedUntil: 0 };
    const flight = await this.launch(entry, undefined, true);
    if (flight === undefined) throw new Error(`The run of ${loaded.pipeline.name} could not start.`);
    return flight.run.runId;
  }

  // ---- the lease

  private renewLease(): void {
    if (this.stopped) return;
    let leader = false;
    try {
      leader = this.options.triggers.tryAcquireLease(this.options.holder, this.clock.now(), this.staleMs);
    } catch (error) {
      // Busy store: keep the last answer; the claim of each fire checks the lease again anyway.
      leader = this.leader;
      this.log(`lease check failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Triggers turned off from another window or scheduler on this store: honoured within a heartbeat.
    const disabled = this.storedDisabled();
    if (disabled !== undefined) this.setDisabled(disabled);
    const was = this.leader;
    const became = leader && !was;
    if (leader !== this.leader) this.log(leader ? 'holds the lease: this scheduler fires' : 'lost the lease: another scheduler fires');
    this.leader = leader;
    if (became) this.onBecameLeader();
    if (leader !== was) this.options.onChange?.();
    this.leaseTimer = this.clock.setTimer(() => this.renewLease(), this.heartbeatMs);
  }

  /** The store's disabled triggers, or undefined when the store cannot say now (busy): keep the last set. */
  private storedDisabled(): Set<string> | undefined {
    try {
      return this.options.triggers.disabledKeys();
    } catch (error) {
      this.log(`could not read the disabled triggers: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private onBecameLeader(): void {
    const now = this.clock.now();
    for (const entry of this.entries) {
      if (entry.state.pipeline.catchUp === 'latest' && CLOCK_KINDS.has(entry.trigger.kind ?? '') && entry.trigger.kind !== 'always') {
        const last = this.options.triggers.lastScheduledFor(entry.file, entry.trigger.name);
        const missed = last === undefined ? undefined : latestTickUpTo(entry.trigger, last, now);
        if (missed !== undefined) {
          this.log(`catching up ${entry.trigger.name} of ${entry.pipeline.name}: missed ${new Date(missed).toISOString()}`);
          void this.fire(entry, missed);
        }
      }
      if (entry.trigger.kind === 'always') this.arm(entry);
    }
  }

  // ---- clock triggers

  private arm(entry: TriggerEntry): void {
    this.disarm(entry);
    if (this.stopped) return;
    // The clock was set back past the last tick handled: recompute from now (ticks already fired
    // are claimed in the store, so none fires twice; a timer computed before would wait too long).
    if (this.clock.now() < entry.after) entry.after = this.clock.now();
    const kind = entry.trigger.kind;
    if (kind === 'files') {
      this.watchFiles(entry);
      return;
    }
    if (kind === undefined || !CLOCK_KINDS.has(kind)) return;
    const now = this.clock.now();
    const state = { running: busy(entry.state), lastEndedAt: entry.state.lastEndedAt };
    let next = nextFireAfter(entry.trigger, Math.max(entry.after, kind === 'always' ? now - 1 : entry.after), state);
    if (next === undefined) return;
    // Always-on triggers of a follower wait for the lease rather than spin.
    if (kind === 'always' && !this.leader) next = Math.max(next, now + this.heartbeatMs);
    if (kind === 'always') next = Math.max(next, entry.refusedUntil);
    const at = next;
    entry.timer = this.clock.setTimer(() => this.wake(entry, at), Math.max(0, Math.min(at - now, this.maxTimerMs)));
  }

  private disarm(entry: TriggerEntry): void {
    if (entry.timer !== undefined) this.clock.clearTimer(entry.timer);
    if (entry.debounce !== undefined) this.clock.clearTimer(entry.debounce);
    entry.timer = undefined;
    entry.debounce = undefined;
    entry.stopWatch?.();
    entry.stopWatch = undefined;
  }

  private wake(entry: TriggerEntry, at: number): void {
    entry.timer = undefined;
    const now = this.clock.now();
    // Early (a capped sleep, or the clock was set back): recompute from now.
    if (now < at) {
      this.arm(entry);
      return;
    }
    // Late (sleep, resume, the clock set forward): one fire, for the latest tick passed, not one per tick.
    const tick = entry.trigger.kind === 'always' ? at : (latestTickUpTo(entry.trigger, at - 1, now) ?? at);
    entry.after = tick;
    if (this.leader) void this.fire(entry, tick);
    this.arm(entry);
    this.options.onChange?.();
  }

  // ---- event triggers

  private watchFiles(entry: TriggerEntry): void {
    const watch = this.options.watch;
    if (watch === undefined) return;
    entry.stopWatch = watch(dirname(entry.file), entry.trigger.files.map((f) => f.value), (path) => {
      entry.lastFile = path;
      if (entry.debounce !== undefined) this.clock.clearTimer(entry.debounce);
      entry.debounce = this.clock.setTimer(() => {
        entry.debounce = undefined;
        if (this.leader && !this.stopped) void this.fire(entry, this.clock.now(), { detail: entry.lastFile });
      }, entry.trigger.debounceMs);
    });
  }

  private onUpstreamEnd(file: string, runId: number, status: RunStatus): void {
    for (const entry of this.entries) {
      const after = entry.trigger.after;
      if (entry.trigger.kind !== 'after' || after === undefined) continue;
      if (resolveNextTo(entry.file, after.value) !== file) continue;
      const wanted = entry.trigger.afterStatus;
      if (wanted !== 'any' && status !== wanted) continue;
      // The upstream run is the tick: every scheduler names it alike, so it fires once.
      if (this.leader && !this.stopped) void this.fire(entry, runId, { upstreamRunId: runId, detail: `run #${runId} ${status}` });
    }
  }

  // ---- firing

  private async fire(entry: TriggerEntry, tick: number, extra: { detail?: string | undefined; upstreamRunId?: number } = {}): Promise<void> {
    const { trigger, state } = entry;
    let fireId: number | undefined;
    try {
      fireId = this.options.triggers.claimFire(this.options.holder, {
        pipelineFile: entry.file, trigger: trigger.name, kind: trigger.kind ?? 'cron', scheduledFor: tick, firedAt: this.clock.now(),
        ...(extra.detail === undefined ? {} : { detail: extra.detail }), ...(extra.upstreamRunId === undefined ? {} : { upstreamRunId: extra.upstreamRunId }),
      });
    } catch (error) {
      this.log(`could not record the fire of ${trigger.name} (${entry.pipeline.name}): ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (fireId === undefined) return;
    const label = triggerLabel(trigger);
    if (busy(state)) {
      const policy = state.pipeline.overlap;
      if (policy === 'skip') {
        this.outcome(fireId, 'skipped: a run of this pipeline is in flight (overlap: skip)');
        this.log(`${label} of ${entry.pipeline.name}: skipped, a run is in flight`);
        return;
      }
      if (policy === 'queue') {
        if (state.queued !== undefined) {
          this.outcome(fireId, 'skipped: a fire is already queued (overlap: queue)');
          return;
        }
        state.queued = { entry, fireId };
        this.outcome(fireId, 'queued');
        this.log(`${label} of ${entry.pipeline.name}: queued behind the run in flight`);
        return;
      }
      if (policy === 'cancel-previous') {
        for (const r of state.inFlight) {
          this.log(`${label} of ${entry.pipeline.name}: cancelling run #${r.run.runId} (overlap: cancel-previous)`);
          r.run.cancel();
        }
      }
    }
    await this.launch(entry, fireId);
  }

  /** Starts the run of a fire (`fireId`), or of a Run Now (undefined); the flight, or undefined when refused. */
  private async launch(entry: TriggerEntry, fireId: number | undefined, rethrow = false): Promise<InFlight | undefined> {
    const { trigger, state } = entry;
    const label = triggerLabel(trigger);
    let run: LaunchedRun;
    state.starting++;
    try {
      run = await this.options.launch({ file: entry.file, pipeline: entry.pipeline, trigger, label, variables: trigger.variables, fireId: fireId ?? 0 });
    } catch (error) {
      state.starting--;
      const why = error instanceof Error ? error.message : String(error);
      if (fireId !== undefined) this.outcome(fireId, `refused: ${why}`);
      this.log(`${label} of ${entry.pipeline.name}: the run could not start: ${why}`);
      if (rethrow) throw error;
      entry.refusedUntil = this.clock.now() + REFUSED_RETRY_MS;
      if (trigger.kind === 'always') this.arm(entry);
      return undefined;
    }
    state.starting--;
    if (fireId !== undefined) this.outcome(fireId, 'started', run.runId);
    this.log(`${label} ${fireId === undefined ? 'run now' : 'fired'}: run #${run.runId} of ${entry.pipeline.name}`);
    const flight: InFlight = { run, entry, timers: [], timedOut: false, slaAlerted: false, startedAt: this.clock.now() };
    state.inFlight.add(flight);
    this.allRuns.add(flight);
    if (trigger.slaMs !== undefined) {
      const sla = trigger.slaMs;
      flight.timers.push(this.clock.setTimer(() => this.slaMissed(flight, `still running after its SLA of ${formatMs(sla)}`), sla));
    }
    if (trigger.timeoutMs !== undefined) {
      const timeout = trigger.timeoutMs;
      flight.timers.push(this.clock.setTimer(() => this.timedOut(flight, timeout), timeout));
    }
    const long = this.longRunningAfter(entry.file);
    if (long !== undefined) {
      flight.timers.push(this.clock.setTimer(() => this.alert({
        kind: 'long', file: entry.file, trigger: trigger.name, runId: run.runId,
        message: `Run #${run.runId} of ${entry.pipeline.name} (${label}) is long-running: ${formatMs(long)} so far, 3× its usual duration.`,
      }), long));
    }
    if (trigger.kind === 'always' && fireId !== undefined) this.arm(entry);
    this.options.onChange?.();
    void run.done.then((result) => this.ended(flight, result.status), (error: unknown) => {
      this.log(`run #${run.runId}: ${error instanceof Error ? error.message : String(error)}`);
      this.ended(flight, 'failed');
    });
    return flight;
  }

  private longRunningAfter(file: string): number | undefined {
    try {
      return this.options.longRunningAfterMs?.(file);
    } catch (error) {
      this.log(`could not read the usual duration of ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private slaMissed(flight: InFlight, why: string): void {
    if (flight.slaAlerted) return;
    flight.slaAlerted = true;
    this.alert({ kind: 'sla', file: flight.entry.file, trigger: flight.entry.trigger.name, runId: flight.run.runId, message: `Run #${flight.run.runId} of ${flight.entry.pipeline.name} (${triggerLabel(flight.entry.trigger)}) missed its SLA: ${why}.` });
  }

  private timedOut(flight: InFlight, timeout: number): void {
    const { trigger, pipeline } = flight.entry;
    const message = `Run #${flight.run.runId} of ${pipeline.name} (${triggerLabel(trigger)}) reached its timeout of ${formatMs(timeout)}`;
    if (trigger.onTimeout === 'warn') {
      this.alert({ kind: 'timeout', file: flight.entry.file, trigger: trigger.name, runId: flight.run.runId, message: `${message}; it goes on (on_timeout: warn).` });
      return;
    }
    flight.timedOut = true;
    this.log(`${message}; stopping it as ${trigger.onTimeout}.`);
    flight.run.cancel();
  }

  private ended(flight: InFlight, reported: RunStatus): void {
    const { entry, run } = flight;
    const { state, trigger, pipeline } = entry;
    for (const timer of flight.timers) this.clock.clearTimer(timer);
    state.inFlight.delete(flight);
    this.allRuns.delete(flight);
    const now = this.clock.now();
    state.lastEndedAt = now;
    let status = reported;
    if (flight.timedOut && trigger.onTimeout === 'failed' && (status === 'cancelled' || status === 'failed')) {
      status = 'failed';
      this.options.finishRun?.(run.runId, 'failed', `timed out after ${formatMs(trigger.timeoutMs ?? 0)} (trigger ${trigger.name}, on_timeout: failed)`);
    }
    this.log(`run #${run.runId} of ${pipeline.name} (${triggerLabel(trigger)}) ended: ${status}`);
    if (trigger.slaMs !== undefined && now - flight.startedAt > trigger.slaMs) this.slaMissed(flight, `it ended after ${formatMs(now - flight.startedAt)}`);
    if (status === 'failed') this.alert({ kind: 'failed', file: entry.file, trigger: trigger.name, runId: run.runId, message: `Run #${run.runId} of ${pipeline.name} (${triggerLabel(trigger)}) failed.` });
    this.options.onRunEnd?.({ file: entry.file, pipeline, trigger, label: triggerLabel(trigger), runId: run.runId, status, timedOut: flight.timedOut });
    if (this.stopped) return;
    this.onUpstreamEnd(entry.file, run.runId, status);
    const queued = state.queued;
    if (queued !== undefined && !busy(state)) {
      state.queued = undefined;
      void this.launch(queued.entry, queued.fireId);
    }
    for (const other of this.entries) if (other.state === state && other.trigger.kind === 'always') this.arm(other);
    this.options.onChange?.();
  }

  /** Notes what became of a fire; a busy store must not lose the run itself. */
  private outcome(fireId: number, outcome: string, runId?: number): void {
    try {
      this.options.triggers.setFireOutcome(fireId, outcome, runId);
    } catch (error) {
      this.log(`could not record the outcome of fire ${fireId} (${outcome}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private alert(alert: Alert): void {
    this.log(`ALERT ${alert.message}`);
    try {
      this.options.triggers.appendOutcome(alert.runId, `alert:${alert.kind}`);
    } catch {
      // The alert is logged and handed on; its note in the store is a convenience.
    }
    this.options.onAlert?.(alert);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

function busy(state: PipelineState): boolean {
  return state.inFlight.size > 0 || state.starting > 0;
}

/** The latest tick of a clock trigger in (after, upto], or undefined. */
export function latestTickUpTo(trigger: TriggerDef, after: number, upto: number): number | undefined {
  let latest: number | undefined;
  let t = after;
  for (let i = 0; i < 100_000; i++) {
    const next = nextFireAfter(trigger, t);
    if (next === undefined || next > upto) return latest;
    latest = next;
    t = next;
  }
  return latest;
}

function resolveNextTo(file: string, relative: string): string {
  return resolve(dirname(file), relative.trim());
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
