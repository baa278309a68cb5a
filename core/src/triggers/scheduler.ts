import { dirname } from 'node:path';
import type { RunStatus } from '../store/types.ts';
import type { LoadedPipeline } from './loadPipelines.ts';
import { latestTickUpTo, nextFireAfter } from './nextFire.ts';
import { busy, newPipelineState, newTriggerEntry, type PipelineState, type TriggerEntry } from './pipelineState.ts';
import { RunFlight, type FlightHooks } from './runFlight.ts';
import { SchedulerLease } from './schedulerLease.ts';
import { realClock, type Alert, type LaunchedRun, type SchedulerClock, type SchedulerOptions } from './schedulerTypes.ts';
import { CLOCK_KINDS, listTriggers, triggerKey, triggerLabel, type TriggerListing } from './triggerListing.ts';
import { chainedBy } from './upstreamChain.ts';

// What other modules import from here, where it lives now: callers need not know the split.
export type { Alert, LaunchedRun, Launcher, LaunchRequest, RunEnd, SchedulerClock, SchedulerOptions } from './schedulerTypes.ts';
export { realClock } from './schedulerTypes.ts';
export { triggerKey, triggerLabel, type TriggerListing } from './triggerListing.ts';
export { latestTickUpTo } from './nextFire.ts';

/** An always-on trigger whose run cannot start (a file error, a missing variable) tries again this much later. */
const REFUSED_RETRY_MS = 60_000;

/**
 * Fires the triggers of a set of pipelines. Timers go to the next fire time (capped, so a changed
 * clock is noticed), never a polling loop. Of all schedulers on one store only the lease holder
 * fires, and each tick is claimed in the store before it fires, so a hand-over never fires twice.
 */
export class Scheduler {
  private readonly options: SchedulerOptions;
  private readonly clock: SchedulerClock;
  private readonly heartbeatMs: number;
  private readonly maxTimerMs: number;
  private entries: TriggerEntry[] = [];
  private states = new Map<string, PipelineState>();
  private leaseTimer: unknown;
  private disabled: ReadonlySet<string> = new Set();
  private loaded: readonly LoadedPipeline[] = [];
  private readonly lease: SchedulerLease;
  private stopped = false;
  private readonly allRuns = new Set<RunFlight>();
  private readonly flightHooks: FlightHooks;

  constructor(options: SchedulerOptions) {
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.heartbeatMs = options.leaseHeartbeatMs ?? 5000;
    this.lease = new SchedulerLease(options.triggers, options.holder, options.leaseStaleMs ?? 4 * this.heartbeatMs, (line) => this.log(line));
    this.maxTimerMs = options.maxTimerMs ?? 60_000;
    this.flightHooks = {
      clock: this.clock,
      log: (line) => this.log(line),
      alert: (alert) => this.alert(alert),
      finishRun: (runId, status, error) => this.options.finishRun?.(runId, status, error),
    };
  }

  get isLeader(): boolean {
    return this.lease.held;
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
      // The same object, not a copy: runs being started or in flight count down and end on the
      // state their entry holds, so a copy would keep a starting run's count forever (every later fire skipped).
      const state: PipelineState = old ?? newPipelineState(loaded.file, loaded.pipeline);
      state.pipeline = loaded.pipeline;
      states.set(loaded.file, state);
      for (const trigger of loaded.pipeline.triggers) {
        if (trigger.kind === undefined || this.disabled.has(triggerKey(loaded.file, trigger.name))) continue;
        this.entries.push(newTriggerEntry(state, loaded.pipeline, trigger, now));
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
    this.lease.release();
  }

  /** Every trigger of the clean files, disabled ones included, with its next fire from now. */
  list(): TriggerListing[] {
    return listTriggers({ loaded: this.loaded, states: this.states, entries: this.entries, disabled: this.disabled }, this.clock.now());
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
      state = newPipelineState(file, loaded.pipeline);
      this.states.set(file, state);
    }
    const entry = this.entries.find((e) => e.file === file && e.trigger.name === triggerName)
      ?? newTriggerEntry(state, loaded.pipeline, trigger, this.clock.now());
    const flight = await this.launch(entry, undefined, true);
    if (flight === undefined) throw new Error(`The run of ${loaded.pipeline.name} could not start.`);
    return flight.run.runId;
  }

  // ---- the lease

  private renewLease(): void {
    if (this.stopped) return;
    const leader = this.lease.ask(this.clock.now());
    // Triggers turned off from another window or scheduler on this store: honoured within a heartbeat.
    const disabled = this.storedDisabled();
    if (disabled !== undefined) this.setDisabled(disabled);
    // Settled only now: triggers re-armed above for the disabled set still saw the lease as it was.
    const was = this.lease.held;
    const became = leader && !was;
    if (leader !== was) this.log(leader ? 'holds the lease: this scheduler fires' : 'lost the lease: another scheduler fires');
    this.lease.held = leader;
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
    if (kind === 'always' && !this.lease.held) next = Math.max(next, now + this.heartbeatMs);
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
    if (this.lease.held) void this.fire(entry, tick);
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
        if (this.lease.held && !this.stopped) void this.fire(entry, this.clock.now(), { detail: entry.lastFile });
      }, entry.trigger.debounceMs);
    });
  }

  private onUpstreamEnd(file: string, runId: number, status: RunStatus): void {
    for (const entry of chainedBy(this.entries, file, status)) {
      // The upstream run is the tick: every scheduler names it alike, so it fires once.
      if (this.lease.held && !this.stopped) void this.fire(entry, runId, { upstreamRunId: runId, detail: `run #${runId} ${status}` });
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
  private async launch(entry: TriggerEntry, fireId: number | undefined, rethrow = false): Promise<RunFlight | undefined> {
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
    const flight = new RunFlight(run, entry, this.flightHooks);
    state.inFlight.add(flight);
    this.allRuns.add(flight);
    flight.watch(this.longRunningAfter(entry.file));
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

  private ended(flight: RunFlight, reported: RunStatus): void {
    const { entry, run } = flight;
    const { state, trigger, pipeline } = entry;
    state.inFlight.delete(flight);
    this.allRuns.delete(flight);
    const now = this.clock.now();
    state.lastEndedAt = now;
    const status = flight.end(reported, now);
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
