import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TriggerStore } from '../../core/src/store/triggerStore.ts';
import { Scheduler } from '../../core/src/triggers/scheduler.ts';
import { pipeline, setup, T0 } from './schedulerSupport.ts';

// The scheduler against a real store file, with virtual time and a launcher whose runs last as
// long as each test says (schedulerSupport.ts): every count below is exact.

const A = '/virtual/a.pipeline.yaml';
const B = '/virtual/b.pipeline.yaml';

test('an interval trigger fires on each tick; each run records its trigger and each fire its tick', async () => {
  const s = setup();
  s.scheduler.start([pipeline(A, 'variables:\n  n: 1\ntriggers:\n  tick:\n    every: 10s\n    variables: { n: 5 }\nblocks:\n  a:\n    run: echo a\n')]);
  await s.clock.advance(35_000);
  assert.deepEqual(s.runs.summary(), ['+10s #1 schedule:tick', '+20s #2 schedule:tick', '+30s #3 schedule:tick']);
  assert.deepEqual(s.runs.launches[0]?.variables, { n: 5 });
  assert.deepEqual(s.triggers.fires().map((f) => `${(f.scheduledFor - T0) / 1000} ${f.trigger} run ${f.runId} ${f.outcome}`), ['10 tick run 1 started', '20 tick run 2 started', '30 tick run 3 started']);
  await s.scheduler.stop();
});

for (const [overlap, expected, outcomes] of [
  ['skip', ['+10s #1 schedule:tick'], ['started', 'skipped: a run of this pipeline is in flight (overlap: skip)', 'skipped: a run of this pipeline is in flight (overlap: skip)']],
  ['queue', ['+10s #1 schedule:tick', '+35s #2 schedule:tick'], ['started', 'started', 'skipped: a fire is already queued (overlap: queue)']],
  ['allow', ['+10s #1 schedule:tick', '+20s #2 schedule:tick', '+30s #3 schedule:tick'], ['started', 'started', 'started']],
  ['cancel-previous', ['+10s #1 schedule:tick (cancelled)', '+20s #2 schedule:tick (cancelled)', '+30s #3 schedule:tick'], ['started', 'started', 'started']],
] as const) {
  test(`overlap: ${overlap}, with runs of 25 s fired every 10 s`, async () => {
    const s = setup();
    s.runs.plan.set(A, { durationMs: 25_000, status: 'completed' });
    s.scheduler.start([pipeline(A, `overlap: ${overlap}\ntriggers:\n  tick:\n    every: 10s\nblocks:\n  a:\n    run: echo a\n`)]);
    await s.clock.advance(35_000);
    assert.deepEqual(s.runs.summary(), expected);
    assert.deepEqual(s.triggers.fires().map((f) => f.outcome), outcomes);
    await s.scheduler.stop();
  });
}

test('always: a new run as soon as the previous one ended, min_gap later', async () => {
  const s = setup();
  s.runs.plan.set(A, { durationMs: 5000, status: 'completed' });
  s.scheduler.start([pipeline(A, 'triggers:\n  fresh:\n    always: true\n    min_gap: 2s\nblocks:\n  a:\n    run: echo a\n')]);
  await s.clock.advance(20_000);
  // The first fire comes as this scheduler takes the lease; then 5 s of run and 2 s of gap each.
  assert.deepEqual(s.runs.summary().map((l) => l.replace(/\.\d+s/, 's')), ['+0s #1 always:fresh', '+7s #2 always:fresh', '+14s #3 always:fresh']);
  await s.scheduler.stop();
});

test('always: a run that takes time to start is not fired again meanwhile; a refused run is retried a minute later', async () => {
  const s = setup();
  s.runs.startDelayMs = 500;
  s.runs.plan.set(A, { durationMs: 5000, status: 'completed' });
  s.scheduler.start([pipeline(A, 'triggers:\n  fresh:\n    always: true\nblocks:\n  a:\n    run: echo a\n')]);
  await s.clock.advance(12_000);
  assert.deepEqual(s.runs.summary().map((l) => l.replace(/\.\d+s/, 's')), ['+0s #1 always:fresh', '+6s #2 always:fresh', '+11s #3 always:fresh']);
  await s.scheduler.stop();
  const r = setup();
  r.runs.refuse = true;
  r.scheduler.start([pipeline(A, 'triggers:\n  fresh:\n    always: true\nblocks:\n  a:\n    run: echo a\n')]);
  await r.clock.advance(150_000);
  assert.deepEqual(r.triggers.fires().map((f) => `${Math.round((f.scheduledFor - T0) / 1000)} ${f.outcome}`), ["0 refused: variable 'x' has no value", "60 refused: variable 'x' has no value", "120 refused: variable 'x' has no value"]);
  await r.scheduler.stop();
});

test('after: a run of the upstream pipeline that ends as wanted fires the chained trigger, naming the upstream run', async () => {
  const s = setup();
  s.runs.plan.set(A, { durationMs: 1000, status: 'completed' });
  s.scheduler.start([
    pipeline(A, 'triggers:\n  tick:\n    every: 10s\nblocks:\n  a:\n    run: echo a\n'),
    pipeline(B, 'triggers:\n  after-a:\n    after: ./a.pipeline.yaml\n  after-a-failed:\n    after: a.pipeline.yaml\n    status: failed\nblocks:\n  b:\n    run: echo b\n'),
  ]);
  await s.clock.advance(15_000);
  assert.deepEqual(s.runs.summary(), ['+10s #1 schedule:tick', '+11s #2 chained:after-a']);
  const chained = s.triggers.fires().find((f) => f.trigger === 'after-a');
  assert.equal(chained?.upstreamRunId, 1);
  assert.equal(chained?.runId, 2);
  await s.scheduler.stop();
});

test('catch_up: latest runs the latest missed tick once when a scheduler starts; none forgets it', async () => {
  for (const catchUp of ['latest', 'none'] as const) {
    const s = setup();
    const yaml = `catch_up: ${catchUp}\ntriggers:\n  tick:\n    every: 10s\nblocks:\n  a:\n    run: echo a\n`;
    s.scheduler.start([pipeline(A, yaml)]);
    await s.clock.advance(11_000);
    await s.scheduler.stop();
    // Down for 44 s: the ticks at +20 … +50 are missed.
    const later = new Scheduler({ triggers: s.triggers, holder: 'second', launch: s.runs.launch, clock: s.clock, leaseHeartbeatMs: 1000 });
    s.clock.jump(44_000);
    later.start([pipeline(A, yaml)]);
    await s.clock.advance(5000);
    const expected = catchUp === 'latest' ? ['+10s #1 schedule:tick', '+55s #2 schedule:tick', '+60s #3 schedule:tick'] : ['+10s #1 schedule:tick', '+60s #2 schedule:tick'];
    assert.deepEqual(s.runs.summary(), expected, catchUp);
    if (catchUp === 'latest') assert.equal(s.triggers.fires()[1]?.scheduledFor, T0 + 50_000);
    await later.stop();
  }
});

test('three schedulers on one store: one fires each tick; when it dies, another takes over, and no tick fires twice', async () => {
  const first = setup({ holder: 'one' });
  const clock = first.clock;
  const others = ['two', 'three'].map((holder) => {
    const triggers = TriggerStore.open(first.store);
    return new Scheduler({ triggers, holder, launch: first.runs.launch, clock, leaseHeartbeatMs: 1000 });
  });
  const yaml = 'triggers:\n  tick:\n    every: 5s\nblocks:\n  a:\n    run: echo a\n';
  first.scheduler.start([pipeline(A, yaml)]);
  for (const s of others) s.start([pipeline(A, yaml)]);
  await clock.advance(21_000);
  assert.deepEqual(first.runs.summary(), ['+5s #1 schedule:tick', '+10s #2 schedule:tick', '+15s #3 schedule:tick', '+20s #4 schedule:tick']);
  assert.deepEqual([...new Set(first.triggers.fires().map((f) => f.holder))], ['one']);
  // 'one' dies without giving up the lease: its timers stop, its lease row stays.
  (first.scheduler as unknown as { stopped: boolean }).stopped = true;
  for (const entry of (first.scheduler as unknown as { entries: { timer: unknown }[] }).entries) clock.clearTimer(entry.timer);
  await clock.advance(20_000);
  const fires = first.triggers.fires();
  const ticks = fires.map((f) => f.scheduledFor);
  assert.equal(new Set(ticks).size, ticks.length, 'a tick fired twice');
  const successors = [...new Set(fires.slice(4).map((f) => f.holder))];
  assert.equal(successors.length, 1);
  assert.ok(successors[0] === 'two' || successors[0] === 'three');
  // The lease is stale after 4 heartbeats (4 s): ticks +25 (maybe) … +40 fire, each once.
  assert.ok(fires.length >= 7 && fires.length <= 8, `${fires.length} fires`);
  assert.equal(fires[fires.length - 1]?.scheduledFor, T0 + 40_000);
  for (const s of others) await s.stop();
});

test('timeout: failed and cancelled stop the run and record that status; warn alerts and lets it go on', async () => {
  for (const onTimeout of ['failed', 'cancelled', 'warn'] as const) {
    const s = setup();
    s.runs.plan.set(A, { durationMs: 60_000, status: 'completed' });
    s.scheduler.start([pipeline(A, `triggers:\n  t:\n    at: ${new Date(T0 + 1000).toISOString()}\n    timeout: 10s\n    on_timeout: ${onTimeout}\nblocks:\n  a:\n    run: echo a\n`)]);
    await s.clock.advance(70_000);
    const ended = s.log.find((l) => l.startsWith('run #1 '));
    if (onTimeout === 'warn') {
      assert.equal(ended, 'run #1 of a (schedule:t) ended: completed');
      assert.deepEqual(s.alerts.map((a) => `${a.kind}: ${a.message}`), ['timeout: Run #1 of a (schedule:t) reached its timeout of 10s; it goes on (on_timeout: warn).']);
    } else {
      assert.equal(ended, `run #1 of a (schedule:t) ended: ${onTimeout}`);
      assert.equal(s.runs.launches[0]?.cancelled, true);
      assert.deepEqual(s.finished, onTimeout === 'failed' ? ['#1 failed: timed out after 10s (trigger t, on_timeout: failed)'] : []);
    }
    await s.scheduler.stop();
  }
});

test('sla: one alert while the run goes on past it, none for a run within it', async () => {
  const s = setup();
  s.runs.plan.set(A, { durationMs: 50_000, status: 'completed' });
  s.scheduler.start([pipeline(A, 'overlap: allow\ntriggers:\n  t:\n    every: 100s\n    sla: 30s\nblocks:\n  a:\n    run: echo a\n')]);
  await s.clock.advance(160_000);
  assert.deepEqual(s.alerts.map((a) => `${a.kind} #${a.runId}`), ['sla #1']);
  s.runs.plan.set(A, { durationMs: 10_000, status: 'completed' });
  await s.clock.advance(100_000);
  assert.deepEqual(s.alerts.map((a) => `${a.kind} #${a.runId}`), ['sla #1']);
  assert.match(s.alerts[0]?.message ?? '', /missed its SLA: still running after its SLA of 30s/);
  await s.scheduler.stop();
});

test('a late wake (sleep, clock set forward) fires once for the latest tick, not once per missed tick', async () => {
  const s = setup();
  s.scheduler.start([pipeline(A, 'triggers:\n  tick:\n    every: 10s\nblocks:\n  a:\n    run: echo a\n')]);
  await s.clock.advance(5000);
  s.clock.jump(100_000);
  await s.clock.advance(5000);
  assert.deepEqual(s.runs.summary(), ['+105s #1 schedule:tick', '+110s #2 schedule:tick']);
  assert.equal(s.triggers.fires()[0]?.scheduledFor, T0 + 100_000);
  await s.scheduler.stop();
});

test('a reload while a fired run is still starting leaves the pipeline free once that run ends (later ticks fire)', async () => {
  const s = setup();
  s.runs.startDelayMs = 1000;
  s.runs.plan.set(A, { durationMs: 2000, status: 'completed' });
  const loaded = [pipeline(A, 'triggers:\n  tick:\n    every: 10s\nblocks:\n  a:\n    run: echo a\n')];
  s.scheduler.start(loaded);
  // The tick at +10s is starting (1 s) when the file is saved again and the pipelines reloaded.
  await s.clock.advance(10_500);
  s.scheduler.load(loaded);
  await s.clock.advance(24_500);
  assert.deepEqual(s.runs.summary().map((l) => l.replace(/\.\d+s/, 's')), ['+11s #1 schedule:tick', '+21s #2 schedule:tick', '+31s #3 schedule:tick']);
  assert.deepEqual(s.triggers.fires().map((f) => f.outcome), ['started', 'started', 'started']);
  await s.scheduler.stop();
});
