import type { TriggerStore } from '../store/triggerStore.ts';

/**
 * One scheduler's side of the store's lease: of all schedulers on one store only the holder fires.
 * Asking renews it (the heartbeat) or takes it from a dead or silent holder.
 */
export class SchedulerLease {
  /** Whether this scheduler holds the lease, as of the last answer it settled on. */
  held = false;
  private readonly triggers: TriggerStore;
  private readonly holder: string;
  private readonly staleMs: number;
  private readonly log: (line: string) => void;

  constructor(triggers: TriggerStore, holder: string, staleMs: number, log: (line: string) => void) {
    this.triggers = triggers;
    this.holder = holder;
    this.staleMs = staleMs;
    this.log = log;
  }

  /** Whether the store gives this scheduler the lease at `now`; `held` is left for the caller to settle. */
  ask(now: number): boolean {
    try {
      return this.triggers.tryAcquireLease(this.holder, now, this.staleMs);
    } catch (error) {
      // Busy store: keep the last answer; the claim of each fire checks the lease again anyway.
      this.log(`lease check failed: ${error instanceof Error ? error.message : String(error)}`);
      return this.held;
    }
  }

  /** Gives the lease up (when held), so another scheduler takes over at once rather than after it goes stale. */
  release(): void {
    if (this.held) {
      try {
        this.triggers.releaseLease(this.holder);
      } catch (error) {
        this.log(`could not release the lease: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.held = false;
  }
}
