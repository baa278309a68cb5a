import { test } from 'node:test';
import assert from 'node:assert/strict';
import { longRunningThreshold, median } from '../../core/src/triggers/longRunning.ts';
import { Scheduler, triggerKey } from '../../core/src/triggers/scheduler.ts';
import { pipeline, setup, T0 } from './schedulerSupport.ts';
import { TriggerStore } from '../../core/src/store/triggerStore.ts';

// What the editor asks of the scheduler: its list (Upcoming, code lenses), Disable/Enable, Run Now,
// the long-running alert; and timers recomputed when the clock is set back. Virtual time throughout.

const A = '/virtual/a.pipeline.yaml';
const TICK = 'triggers:\n  tick:\n    every: 10s\n    variables: { n: 7 }\n  nightly:\n    cron: "0 3 * * *"\n    timezone: UTC\n  on-data:\n    files: ["data/*.csv"]\nvariables:\n  n: 1\nblocks:\n  a:\n    run: echo a\n';

test('list: every trigger with its next fire from now, which moves on as ticks fire; event triggers say what they wait for', async () => {
  const s = setup();
  s.scheduler.start([pipeline(A, TICK)]);
  const at = (name: string) => s.scheduler.list().find((t) => t.trigger === name);
  assert.equal(at('tick')?.next, T0 + 10_000);
  assert.equal(at('nightly')?.next, Date.UTC(2026, 4, 2, 3, 0, 0));
  assert.equal(at('on-data')?.next, undefined);
  assert.equal(at('on-data')?.waitsFor, 'data/*.csv');
  assert.equal(TICK.slice(at('tick')?.offset, (at('tick')?.offset ?? 0) + 4), 'tick');
  await s.clock.advance(15_000);
  assert.equal(at('tick')?.next, T0 + 20_000);
  await s.scheduler.stop();
});

test('disable: a disabled trigger is listed as such and does not fire; enabled again, it fires from the next tick', async () => {
  const s = setup();
  s.scheduler.start([pipeline(A, TICK)]);
  await s.clock.advance(15_000);
  s.scheduler.setTriggerDisabled(A, 'tick', true);
  assert.equal(s.scheduler.list().find((t) => t.trigger === 'tick')?.disabled, true);
  assert.deepEqual([...s.triggers.disabledKeys()], [triggerKey(A, 'tick')]);
  await s.clock.advance(30_000);
  s.scheduler.setTriggerDisabled(A, 'tick', false);
  assert.equal(s.scheduler.list().find((t) => t.trigger === 'tick')?.disabled, false);
  await s.clock.advance(10_000);
  assert.deepEqual(s.runs.summary(), ['+10s #1 schedule:tick', '+50s #2 schedule:tick']);
  await s.scheduler.stop();
});

test('disable from another window: kept in the store, the scheduler that fires honours it at its next heartbeat, and so does a scheduler started later', async () => {
  const s = setup();
  // Another window's scheduler (or the headless one) on the same store: it does not hold the lease.
  const other = new Scheduler({ triggers: s.triggers, holder: 'other-window', launch: s.runs.launch, clock: s.clock, leaseHeartbeatMs: 1000 });
  s.scheduler.start([pipeline(A, TICK)]);
  other.start([pipeline(A, TICK)]);
  assert.equal(other.isLeader, false);
  await s.clock.advance(10_000);
  other.setTriggerDisabled(A, 'tick', true);
  assert.equal(other.list().find((t) => t.trigger === 'tick')?.disabled, true);
  // Within one heartbeat (1 s) the leader reads the store's set: the tick at +20s does not fire.
  await s.clock.advance(30_000);
  assert.equal(s.scheduler.list().find((t) => t.trigger === 'tick')?.disabled, true);
  const late = new Scheduler({ triggers: s.triggers, holder: 'late', launch: s.runs.launch, clock: s.clock, leaseHeartbeatMs: 1000 });
  late.start([pipeline(A, TICK)]);
  assert.equal(late.list().find((t) => t.trigger === 'tick')?.disabled, true);
  assert.deepEqual(s.runs.summary(), ['+10s #1 schedule:tick']);
  await late.stop();
  await other.stop();
  await s.scheduler.stop();
});

test('alerts are claimed once per run and kind, whichever window or connection asks first', () => {
  const s = setup();
  const second = TriggerStore.openPath(s.path);
  try {
    assert.equal(s.triggers.claimAlert(7, 'failed', 'window-1'), true);
    assert.equal(second.triggers.claimAlert(7, 'failed', 'window-2'), false);
    assert.equal(second.triggers.claimAlert(7, 'long', 'window-2'), true);
    assert.equal(s.triggers.claimAlert(7, 'long', 'window-1'), false);
  } finally {
    second.triggers.close();
    second.store.close();
  }
});

test('run now: a run with the trigger\'s variables and label, from a scheduler that does not hold the lease; an unknown trigger is refused', async () => {
  const s = setup();
  const follower = new Scheduler({ triggers: s.triggers, holder: 'follower', launch: s.runs.launch, clock: s.clock, leaseHeartbeatMs: 1000 });
  s.scheduler.start([pipeline(A, TICK)]);
  follower.start([pipeline(A, TICK)]);
  assert.equal(follower.isLeader, false);
  await s.clock.advance(1000);
  const runId = await follower.runNow(A, 'nightly');
  assert.equal(runId, 1);
  assert.deepEqual(s.runs.launches.map((l) => [l.label, l.variables]), [['schedule:nightly', {}]]);
  await assert.rejects(follower.runNow(A, 'nope'), /No trigger 'nope'/);
  // Not a fire: nothing claimed in the store.
  assert.deepEqual(s.triggers.fires(), []);
  await follower.stop();
  await s.scheduler.stop();
});

test('clock set back: timers are recomputed from the new time; ticks already fired do not fire again', async () => {
  const s = setup();
  s.scheduler.start([pipeline(A, 'triggers:\n  tick:\n    every: 10s\nblocks:\n  a:\n    run: echo a\n')]);
  await s.clock.advance(25_000);
  s.clock.setBack(60_000); // now T0 - 35 s; the armed timer (for +30 s) wakes 5 s from now, at -30 s
  await s.clock.advance(70_000);
  assert.deepEqual(s.runs.summary(), ['+10s #1 schedule:tick', '+20s #2 schedule:tick', '+-20s #3 schedule:tick', '+-10s #4 schedule:tick', '+0s #5 schedule:tick', '+30s #6 schedule:tick']);
  const ticks = s.triggers.fires().map((f) => (f.scheduledFor - T0) / 1000);
  assert.deepEqual(ticks, [10, 20, -20, -10, 0, 30]);
  await s.scheduler.stop();
});

test('long-running: 3× the median of the last 20 completed runs, read from the store; one alert, none for a run within it', async () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(longRunningThreshold([1000, 2000]), undefined, 'too few runs to judge');
  assert.equal(longRunningThreshold([...new Array<number>(20).fill(10_000), ...new Array<number>(30).fill(999_000)]), 30_000, 'only the last 20 count');
  const s = setup({ scheduler: { longRunningAfterMs: (file) => longRunningThreshold(s.triggers.recentDurations(file)) } });
  // History: completed runs of 4, 6, 5, 60 (a stuck one) and 5 s, one failed run of 500 s: the median is 5 s.
  for (const [ms, status] of [[4000, 'completed'], [6000, 'completed'], [5000, 'completed'], [60_000, 'completed'], [5000, 'completed'], [500_000, 'failed']] as const) {
    const id = s.store.createRun({ pipelineName: 'a', pipelineFile: A, trigger: 'manual', mode: 'all', selection: [], sourceRunId: undefined, variables: {}, git: undefined }).id;
    s.store.updateRun(id, { status: 'running', startedAt: T0 - 1_000_000 });
    s.store.updateRun(id, { status, finishedAt: T0 - 1_000_000 + ms });
  }
  assert.deepEqual(s.triggers.recentDurations(A), [5000, 60_000, 5000, 6000, 4000]);
  s.runs.plan.set(A, { durationMs: 40_000, status: 'completed' });
  s.scheduler.start([pipeline(A, 'triggers:\n  t:\n    every: 100s\nblocks:\n  a:\n    run: echo a\n')]);
  await s.clock.advance(100_000 + 14_999);
  assert.equal(s.alerts.length, 0);
  await s.clock.advance(1);
  assert.deepEqual(s.alerts.map((a) => `${a.kind} #${a.runId}: ${a.message}`), ['long #7: Run #7 of a (schedule:t) is long-running: 15s so far, 3× its usual duration.']);
  // The next run's threshold counts the 40 s run: median of 4, 6, 5, 60, 5, 40 is 5.5 s; this one lasts 10 s.
  s.runs.plan.set(A, { durationMs: 10_000, status: 'completed' });
  await s.clock.advance(100_000);
  assert.equal(s.alerts.length, 1);
  await s.scheduler.stop();
});
