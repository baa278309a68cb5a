import type { SchedulerClock } from '../../core/src/triggers/scheduler.ts';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Virtual time: timers run in order as the test advances the clock, with promises settled in between. */
export class FakeClock implements SchedulerClock {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

  constructor(start: number) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + Math.max(0, ms), seq: id, fn });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves the clock by `ms`, running each timer due on the way at its own time. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const next = [...this.timers.values()].filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (next === undefined) break;
      this.timers.delete(next.seq);
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = end;
    await settle();
  }

  /**
   * Sets the wall clock back by `ms` as a user or NTP would: pending timers keep their remaining
   * delays (real timers run on a monotonic clock), so each wakes at an earlier wall time than it aimed for.
   */
  setBack(ms: number): void {
    this.time -= ms;
    for (const timer of this.timers.values()) timer.at -= ms;
  }

  /** Sets the wall clock (a jump), without running timers. */
  jump(ms: number): void {
    this.time += ms;
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}
