/**
 * The runner's time: timers and "now", injectable so that tests check the delays it asks for
 * (retry backoff, timeouts, how long a pause lasted) instead of measuring wall-clock gaps, which a
 * busy machine stretches.
 */
export interface Clock {
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
  now(): number;
}

/** Opaque: whatever the clock's setTimeout returned. */
export type ClockTimer = object;

export const realClock: Clock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
  now: () => Date.now(),
};

/**
 * A timeout that can be held: while paused its time does not run, and on resume it waits only for
 * what was left. Block and run timeouts use it, so that a paused run does not time out.
 */
export class PausableTimeout {
  private readonly clock: Clock;
  private readonly callback: () => void;
  private timer: ClockTimer | undefined;
  private remaining: number;
  private since = 0;
  private ended = false;

  constructor(clock: Clock, ms: number, callback: () => void) {
    this.clock = clock;
    this.callback = callback;
    this.remaining = ms;
    this.schedule();
  }

  pause(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.remaining = Math.max(0, this.remaining - (this.clock.now() - this.since));
  }

  resume(): void {
    if (this.timer === undefined && !this.ended) this.schedule();
  }

  cancel(): void {
    this.ended = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.since = this.clock.now();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.ended = true;
      this.callback();
    }, this.remaining);
  }
}
