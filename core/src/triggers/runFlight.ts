import type { RunStatus } from '../store/types.ts';
import type { TriggerEntry } from './pipelineState.ts';
import type { Alert, LaunchedRun, SchedulerClock } from './schedulerTypes.ts';
import { triggerLabel } from './triggerListing.ts';

/** What a run in flight needs of its scheduler. */
export interface FlightHooks {
  clock: SchedulerClock;
  log(line: string): void;
  alert(alert: Alert): void;
  /** Records a final status the flight decided (a timeout's `failed`). */
  finishRun(runId: number, status: RunStatus, error: string): void;
}

/**
 * A triggered run in flight and its trigger's promises about it: the SLA, the timeout (warn, or
 * stop it), the long-running alert, and at its end the final status and the alerts it calls for.
 */
export class RunFlight {
  readonly run: LaunchedRun;
  readonly entry: TriggerEntry;
  /** Set when the scheduler stopped the run at its trigger's `timeout`. */
  timedOut = false;
  private readonly hooks: FlightHooks;
  private readonly startedAt: number;
  private readonly timers: unknown[] = [];
  private slaAlerted = false;

  constructor(run: LaunchedRun, entry: TriggerEntry, hooks: FlightHooks) {
    this.run = run;
    this.entry = entry;
    this.hooks = hooks;
    this.startedAt = hooks.clock.now();
  }

  /** Arms the SLA and timeout of the trigger, and the long-running alert after `longAfterMs` (undefined: none). */
  watch(longAfterMs: number | undefined): void {
    const { clock } = this.hooks;
    const { trigger, pipeline, file } = this.entry;
    const runId = this.run.runId;
    if (trigger.slaMs !== undefined) {
      const sla = trigger.slaMs;
      this.timers.push(clock.setTimer(() => this.slaMissed(`still running after its SLA of ${formatMs(sla)}`), sla));
    }
    if (trigger.timeoutMs !== undefined) {
      const timeout = trigger.timeoutMs;
      this.timers.push(clock.setTimer(() => this.reachedTimeout(timeout), timeout));
    }
    if (longAfterMs !== undefined) {
      this.timers.push(clock.setTimer(() => this.hooks.alert({
        kind: 'long', file, trigger: trigger.name, runId,
        message: `Run #${runId} of ${pipeline.name} (${triggerLabel(trigger)}) is long-running: ${formatMs(longAfterMs)} so far, 3× its usual duration.`,
      }), longAfterMs));
    }
  }

  /**
   * The run ended as `reported` at `now`: stops the timers and gives its final status (a run stopped
   * at its timeout with `on_timeout: failed` is recorded failed), after alerting a missed SLA or a failure.
   */
  end(reported: RunStatus, now: number): RunStatus {
    const { trigger, pipeline, file } = this.entry;
    const runId = this.run.runId;
    for (const timer of this.timers) this.hooks.clock.clearTimer(timer);
    let status = reported;
    if (this.timedOut && trigger.onTimeout === 'failed' && (status === 'cancelled' || status === 'failed')) {
      status = 'failed';
      this.hooks.finishRun(runId, 'failed', `timed out after ${formatMs(trigger.timeoutMs ?? 0)} (trigger ${trigger.name}, on_timeout: failed)`);
    }
    this.hooks.log(`run #${runId} of ${pipeline.name} (${triggerLabel(trigger)}) ended: ${status}`);
    if (trigger.slaMs !== undefined && now - this.startedAt > trigger.slaMs) this.slaMissed(`it ended after ${formatMs(now - this.startedAt)}`);
    if (status === 'failed') this.hooks.alert({ kind: 'failed', file, trigger: trigger.name, runId, message: `Run #${runId} of ${pipeline.name} (${triggerLabel(trigger)}) failed.` });
    return status;
  }

  /** Once per run: the SLA timer and a late end both report it. */
  private slaMissed(why: string): void {
    if (this.slaAlerted) return;
    this.slaAlerted = true;
    const { trigger, pipeline, file } = this.entry;
    this.hooks.alert({ kind: 'sla', file, trigger: trigger.name, runId: this.run.runId, message: `Run #${this.run.runId} of ${pipeline.name} (${triggerLabel(trigger)}) missed its SLA: ${why}.` });
  }

  private reachedTimeout(timeout: number): void {
    const { trigger, pipeline, file } = this.entry;
    const message = `Run #${this.run.runId} of ${pipeline.name} (${triggerLabel(trigger)}) reached its timeout of ${formatMs(timeout)}`;
    if (trigger.onTimeout === 'warn') {
      this.hooks.alert({ kind: 'timeout', file, trigger: trigger.name, runId: this.run.runId, message: `${message}; it goes on (on_timeout: warn).` });
      return;
    }
    this.timedOut = true;
    this.hooks.log(`${message}; stopping it as ${trigger.onTimeout}.`);
    this.run.cancel();
  }
}

/** A duration as the trigger's author would write it: `2h`, `90m`, `30s`, `1500ms`. */
export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
