import assert from 'node:assert/strict';
import { join } from 'node:path';
import { validatePipeline } from '../../core/src/index.ts';
import { TriggerStore } from '../../core/src/store/triggerStore.ts';
import type { RunStatus, RunStore } from '../../core/src/store/types.ts';
import type { LoadedPipeline } from '../../core/src/triggers/loadPipelines.ts';
import { Scheduler, type Alert, type LaunchedRun, type LaunchRequest, type SchedulerOptions } from '../../core/src/triggers/scheduler.ts';
import { FakeClock } from './fakeClock.ts';
import { tempDir } from '../runner/support.ts';

// The scheduler against a real store file, with virtual time and a launcher whose runs last as
// long as each test says: every count is exact, since nothing depends on the machine's speed.

export const T0 = Date.UTC(2026, 4, 1, 12, 0, 0); // a multiple of every interval used here

export function pipeline(file: string, yaml: string): LoadedPipeline {
  const result = validatePipeline(yaml, { fileName: file });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  return { file, pipeline: result.pipeline, refused: undefined };
}

export interface Launch {
  at: number;
  runId: number;
  label: string;
  file: string;
  variables: Record<string, unknown>;
  end: (status: RunStatus) => void;
  cancelled: boolean;
}

export class FakeRuns {
  readonly launches: Launch[] = [];
  /** How long each run lasts (ms), and how it ends; per pipeline file. */
  readonly plan = new Map<string, { durationMs: number; status: RunStatus }>();
  /** How long starting a run takes (the engine plans, reads git, creates the row). */
  startDelayMs = 0;
  /** Refuse to start runs, as the engine does for a missing variable. */
  refuse = false;
  private readonly clock: FakeClock;
  private readonly store: RunStore;

  constructor(clock: FakeClock, store: RunStore) {
    this.clock = clock;
    this.store = store;
  }

  launch = async (request: LaunchRequest): Promise<LaunchedRun> => {
    if (this.startDelayMs > 0) await new Promise<void>((resolve) => this.clock.setTimer(resolve, this.startDelayMs));
    if (this.refuse) throw new Error("variable 'x' has no value");
    // A real run row (fires refer to it), with the trigger label the engine would record.
    const runId = this.store.createRun({
      pipelineName: request.pipeline.name, pipelineFile: request.file, trigger: request.label, mode: 'all', selection: [], sourceRunId: undefined, variables: request.variables, git: undefined,
    }).id;
    let end!: (status: RunStatus) => void;
    let ended = false;
    const done = new Promise<{ status: RunStatus }>((resolve) => {
      end = (status) => {
        if (ended) return;
        ended = true;
        this.store.updateRun(runId, { status });
        resolve({ status });
      };
    });
    const launch: Launch = { at: this.clock.now(), runId, label: request.label, file: request.file, variables: request.variables, end, cancelled: false };
    this.launches.push(launch);
    const plan = this.plan.get(request.file) ?? { durationMs: 1000, status: 'completed' as RunStatus };
    this.clock.setTimer(() => end(plan.status), plan.durationMs);
    return {
      runId, done, cancel: () => {
        launch.cancelled = true;
        end('cancelled');
      },
    };
  };

  summary(): string[] {
    return this.launches.map((l) => `+${(l.at - T0) / 1000}s #${l.runId} ${l.label}${l.cancelled ? ' (cancelled)' : ''}`);
  }
}

export function setup(options: { holder?: string; store?: string; scheduler?: Partial<SchedulerOptions> } = {}) {
  const path = options.store ?? join(tempDir('ps-sched-'), 'runs.sqlite');
  const { store, triggers } = TriggerStore.openPath(path);
  const clock = new FakeClock(T0);
  const runs = new FakeRuns(clock, store);
  const log: string[] = [];
  const alerts: Alert[] = [];
  const finished: string[] = [];
  const scheduler = new Scheduler({
    triggers, holder: options.holder ?? 'test', launch: runs.launch, clock, log: (l) => log.push(l), onAlert: (a) => alerts.push(a),
    finishRun: (id, status, error) => finished.push(`#${id} ${status}: ${error}`), leaseHeartbeatMs: 1000,
    ...options.scheduler,
  });
  return { path, store, triggers, clock, runs, log, alerts, finished, scheduler };
}

