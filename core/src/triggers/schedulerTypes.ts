import type { TriggerDef } from '../model/triggers.ts';
import type { TriggerStore } from '../store/triggerStore.ts';
import type { RunStatus, RunTrigger } from '../store/types.ts';
import type { ScheduledPipeline } from './loadPipelines.ts';

// What a Scheduler is given and hands back: its options, the clock, the launcher and what it reports.

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
