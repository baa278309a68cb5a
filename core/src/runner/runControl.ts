import type { ClockTimer, Clock } from './clock.ts';
import type { ControlAnswer } from './control.ts';

/**
 * The run's own state, beside its blocks':
 *
 *   running ──pause──► paused ──resume──► running
 *      │                 │ (pause now: freeze attempts too; pause limit: stop)
 *      └──stop──► stopping ◄──stop──┘          any ──finish──► finished
 *
 * Paused: nothing new starts (running attempts go on, or are frozen with "pause now"), and the
 * run's and the frozen attempts' timeouts are held.
 */
export type RunPhase = 'running' | 'paused' | 'stopping' | 'finished';
export type RunControlEvent = 'pause' | 'resume' | 'stop' | 'finish';

export const RUN_TRANSITIONS: Readonly<Record<RunPhase, Readonly<Partial<Record<RunControlEvent, RunPhase>>>>> = {
  running: { pause: 'paused', stop: 'stopping', finish: 'finished' },
  paused: { pause: 'paused', resume: 'running', stop: 'stopping', finish: 'finished' },
  stopping: { finish: 'finished' },
  finished: {},
};

/** What RunControl drives in the run. */
export interface ControlledRun {
  stopAll(why: 'cancelled' | 'timeout'): void;
  freezeAttempts(): void;
  thawAttempts(): void;
  holdRunTimeout(held: boolean): void;
  pump(): void;
  readonly recorder: {
    readonly runId: number;
    safe<T>(fn: () => T): T | undefined;
    readonly store: { updateRun(id: number, update: { status: 'running' | 'paused' }): void };
    emit(event: { type: 'run-status'; runId: number; status: 'running' | 'paused'; reason?: string; time: number }): void;
  };
}


export class RunControl {
  private phase: RunPhase = 'running';
  private stopWhy: 'cancelled' | 'timeout' | undefined;
  private frozen = false;
  private limitTimer: ClockTimer | undefined;
  private readonly run: ControlledRun;
  private readonly clock: Clock;
  private readonly pauseLimitMs: number | undefined;

  constructor(run: ControlledRun, clock: Clock, pauseLimitMs: number | undefined) {
    this.run = run;
    this.clock = clock;
    this.pauseLimitMs = pauseLimitMs;
  }

  get paused(): boolean {
    return this.phase === 'paused';
  }

  get stopping(): 'cancelled' | 'timeout' | undefined {
    return this.stopWhy;
  }

  get state(): RunPhase {
    return this.phase;
  }

  pause(now: boolean): ControlAnswer {
    const runId = this.run.recorder.runId;
    if (!this.can('pause')) return { ok: false, message: `Run #${runId} is ${this.phase}: it cannot be paused.` };
    const already = this.phase === 'paused';
    if (already && (!now || this.frozen)) return { ok: true, message: `Run #${runId} is already paused.` };
    this.phase = 'paused';
    if (!already) {
      this.run.holdRunTimeout(true);
      this.record('paused', now ? 'paused now' : 'paused');
      if (this.pauseLimitMs !== undefined) {
        this.limitTimer = this.clock.setTimeout(() => {
          this.limitTimer = undefined;
          this.stop('cancelled');
        }, this.pauseLimitMs);
      }
    }
    if (now) {
      this.frozen = true;
      this.run.freezeAttempts();
    }
    return { ok: true, message: now ? `Run #${runId} is paused; its running blocks are suspended.` : `Run #${runId} is paused; running blocks finish, no new block starts.` };
  }

  resume(): ControlAnswer {
    const runId = this.run.recorder.runId;
    if (this.phase !== 'paused') return { ok: this.phase === 'running', message: `Run #${runId} is ${this.phase === 'running' ? 'not paused' : this.phase}.` };
    this.phase = 'running';
    this.clearLimit();
    if (this.frozen) this.run.thawAttempts();
    this.frozen = false;
    this.run.holdRunTimeout(false);
    this.record('running');
    this.run.pump();
    return { ok: true, message: `Run #${runId} resumed.` };
  }

  /** Cancel or run timeout: the first one wins; a paused run is let go first so that its attempts can end. */
  stop(why: 'cancelled' | 'timeout'): void {
    if (!this.can('stop')) return;
    if (this.frozen) this.run.thawAttempts();
    this.frozen = false;
    this.clearLimit();
    this.phase = 'stopping';
    this.stopWhy = why;
    this.run.stopAll(why);
  }

  /** True the first time only: the run records its end once. */
  finish(): boolean {
    if (!this.can('finish')) return false;
    this.phase = 'finished';
    this.clearLimit();
    return true;
  }

  private can(event: RunControlEvent): boolean {
    return RUN_TRANSITIONS[this.phase][event] !== undefined;
  }

  private clearLimit(): void {
    if (this.limitTimer !== undefined) this.clock.clearTimeout(this.limitTimer);
    this.limitTimer = undefined;
  }

  private record(status: 'running' | 'paused', reason?: string): void {
    const { recorder } = this.run;
    recorder.safe(() => recorder.store.updateRun(recorder.runId, { status }));
    recorder.emit({ type: 'run-status', runId: recorder.runId, status, ...(reason === undefined ? {} : { reason }), time: this.clock.now() });
  }
}
