/**
 * How many unexpected exits of the language server to answer with a restart: at most `restarts`
 * within `windowMs`. One more inside the window means the server cannot stay up (a crash at
 * start-up, a broken bundle), and restarting forever would only hide that.
 */
export class CrashBudget {
  private readonly restarts: number;
  private readonly windowMs: number;
  private crashes: number[] = [];

  constructor(restarts: number, windowMs: number) {
    this.restarts = restarts;
    this.windowMs = windowMs;
  }

  /** Records a crash at `now`; true when the server should be restarted once more. */
  allowRestart(now: number): boolean {
    this.crashes = [...this.crashes.filter((t) => now - t < this.windowMs), now];
    return this.crashes.length <= this.restarts;
  }

  /** A restart the user asked for starts a fresh budget. */
  reset(): void {
    this.crashes = [];
  }

  get recentCrashes(): number {
    return this.crashes.length;
  }
}
