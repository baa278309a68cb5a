import type { Clock, ClockTimer } from '../../core/src/runner/clock.ts';

/**
 * A clock that moves only when the test says so: timers fire in due order inside advance(). The
 * runner's timeouts, retry waits and approval deadlines are then checked as numbers, whatever
 * the machine's load.
 */
export class ManualClock implements Clock {
  private time = 1_000_000;
  private readonly timers = new Map<ClockTimer, { due: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const timer = {};
    this.timers.set(timer, { due: this.time + ms, callback });
    return timer;
  }

  clearTimeout(timer: ClockTimer): void {
    this.timers.delete(timer);
  }

  /** Delays still to run, from now, in due order. */
  pending(): number[] {
    return [...this.timers.values()].map((t) => t.due - this.time).sort((a, b) => a - b);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, t]) => t.due <= end).sort((a, b) => a[1].due - b[1].due)[0];
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].due);
      next[1].callback();
    }
    this.time = end;
  }
}
