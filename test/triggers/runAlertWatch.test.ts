import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRecord, RunStatus } from '../../core/src/store/types.ts';
import { RunAlertWatch, type RunAlert } from '../../client/src/triggers/runAlertWatch.ts';
import { FakeClock } from './fakeClock.ts';

// The window's alerts on any run of a store, driven by the run-state model's changes: a triggered
// run that failed, and a run of any kind past 3× its pipeline's median duration. Virtual time.

const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);
const STORE = '/virtual/runs.sqlite';

function run(id: number, status: RunStatus, trigger: string, startedAt = T0, file = '/w/a.pipeline.yaml'): RunRecord {
  return {
    id, status, trigger: trigger as RunRecord['trigger'], pipelineName: 'a', pipelineFile: file, mode: 'all', selection: [], sourceRunId: undefined, variables: {}, git: undefined,
    createdAt: startedAt, startedAt, finishedAt: status === 'running' ? undefined : startedAt + 1000, error: status === 'failed' ? 'block b failed' : undefined, ownerPid: 1, ownerHost: 'h', heartbeatAt: startedAt,
  };
}

function setup(options: { durations?: number[]; long?: boolean } = {}) {
  const clock = new FakeClock(T0);
  let runs: RunRecord[] = [];
  const alerts: RunAlert[] = [];
  const watch = new RunAlertWatch({
    readRuns: () => runs,
    recentDurations: () => options.durations ?? [],
    longRunningAlert: () => options.long ?? true,
    onAlert: (a) => alerts.push(a),
    now: () => clock.now(),
    setTimer: (fn, ms) => clock.setTimer(fn, ms),
    clearTimer: (h) => clock.clearTimer(h),
  });
  return { clock, alerts, watch, set: (next: RunRecord[]) => (runs = next) };
}

test('failed: a triggered run that fails is alerted once; failures before the first reading and runs started by hand are not', () => {
  const s = setup();
  s.set([run(1, 'failed', 'schedule:nightly'), run(2, 'running', 'event:on-data'), run(3, 'running', 'manual'), run(4, 'running', 'cli')]);
  s.watch.changed(STORE);
  assert.equal(s.alerts.length, 0);
  s.set([run(1, 'failed', 'schedule:nightly'), run(2, 'failed', 'event:on-data'), run(3, 'failed', 'manual'), run(4, 'failed', 'cli'), run(5, 'failed', 'chained:after-extract')]);
  s.watch.changed(STORE);
  s.watch.changed(STORE);
  assert.deepEqual(s.alerts.map((a) => `${a.kind} #${a.runId} ${a.trigger}`), ['failed #2 event:on-data', 'failed #5 chained:after-extract']);
  assert.match(s.alerts[0]?.message ?? '', /Run #2 of a \(event:on-data\) failed: block b failed\./);
});

test('long-running: any run (manual, CLI or triggered) still going at 3× the median of the last completed runs is alerted once; one that ends first is not', async () => {
  const s = setup({ durations: [10_000, 12_000, 8_000, 500_000] });
  // Median 11 s: alert at 33 s.
  s.set([run(1, 'running', 'manual'), run(2, 'running', 'cli', T0 + 5000)]);
  s.watch.changed(STORE);
  await s.clock.advance(32_000);
  assert.equal(s.alerts.length, 0);
  s.set([run(1, 'running', 'manual'), run(2, 'completed', 'cli', T0 + 5000)]);
  s.watch.changed(STORE);
  await s.clock.advance(30_000);
  assert.deepEqual(s.alerts.map((a) => `${a.kind} #${a.runId} ${a.trigger}`), ['long #1 manual']);
  assert.match(s.alerts[0]?.message ?? '', /is long-running: 33s so far, 3× its usual duration \(11s\)/);
  s.watch.dispose();
});

test('long-running: off by the setting, or too few completed runs to judge, no alert', async () => {
  for (const options of [{ durations: [10_000, 10_000, 10_000], long: false }, { durations: [10_000, 10_000] }]) {
    const s = setup(options);
    s.set([run(1, 'running', 'manual')]);
    s.watch.changed(STORE);
    await s.clock.advance(3_600_000);
    assert.equal(s.alerts.length, 0, JSON.stringify(options));
  }
});
