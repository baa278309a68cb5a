import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextFireAfter, nextFires, type TimedTrigger } from '../../core/src/triggers/nextFire.ts';
import { parseAt, parseDays, parseWindow } from '../../core/src/triggers/windows.ts';

// Every expectation is an instant in UTC, computed by hand from the zone's rules:
// Europe/Paris jumps 02:00 CET → 03:00 CEST on 2026-03-29 (01:00Z) and 03:00 CEST → 02:00 CET on 2026-10-25 (01:00Z);
// America/New_York jumps 02:00 EST → 03:00 EDT on 2026-03-08 (07:00Z) and 02:00 EDT → 01:00 EST on 2026-11-01 (06:00Z).

function trigger(spec: Partial<TimedTrigger> & { between?: string; daysText?: string }): TimedTrigger {
  const window = spec.between === undefined ? undefined : parseWindow(spec.between);
  const days = spec.daysText === undefined ? undefined : parseDays([spec.daysText]);
  if (window !== undefined && 'error' in window) throw new Error(window.error);
  if (days !== undefined && 'error' in days) throw new Error(days.error);
  return {
    kind: spec.kind, cron: spec.cron, everyMs: spec.everyMs, atMs: spec.atMs, minGapMs: spec.minGapMs ?? 0,
    timezone: spec.timezone ?? 'UTC', window, days,
  };
}

const MIN = 60_000;
const H = 60 * MIN;

const TABLE: { name: string; trigger: TimedTrigger; from: string; expect: string[] }[] = [
  { name: 'cron 03:00 Paris on the night clocks go forward (cron-parser alone skips this day)', trigger: trigger({ kind: 'cron', cron: '0 3 * * *', timezone: 'Europe/Paris' }), from: '2026-03-28T12:00:00Z', expect: ['2026-03-29T01:00:00Z', '2026-03-30T01:00:00Z', '2026-03-31T01:00:00Z'] },
  { name: 'cron 02:30 Paris inside the skipped hour fires an hour later, once', trigger: trigger({ kind: 'cron', cron: '30 2 * * *', timezone: 'Europe/Paris' }), from: '2026-03-28T12:00:00Z', expect: ['2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z'] },
  { name: 'cron 02:30 Paris in the repeated hour fires once, the first time', trigger: trigger({ kind: 'cron', cron: '30 2 * * *', timezone: 'Europe/Paris' }), from: '2026-10-24T12:00:00Z', expect: ['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z'] },
  { name: 'hourly Paris across clocks going back: each wall time once', trigger: trigger({ kind: 'cron', cron: '0 * * * *', timezone: 'Europe/Paris' }), from: '2026-10-24T22:30:00Z', expect: ['2026-10-24T23:00:00Z', '2026-10-25T00:00:00Z', '2026-10-25T02:00:00Z'] },
  { name: 'cron 02:00 New York on the night clocks go forward', trigger: trigger({ kind: 'cron', cron: '0 2 * * *', timezone: 'America/New_York' }), from: '2026-03-07T12:00:00Z', expect: ['2026-03-08T07:00:00Z', '2026-03-09T06:00:00Z'] },
  { name: 'cron 01:30 New York on the night clocks go back', trigger: trigger({ kind: 'cron', cron: '30 1 * * *', timezone: 'America/New_York' }), from: '2026-10-31T12:00:00Z', expect: ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z'] },
  { name: 'L: the last day of each month', trigger: trigger({ kind: 'cron', cron: '0 18 L * *' }), from: '2026-01-15T00:00:00Z', expect: ['2026-01-31T18:00:00Z', '2026-02-28T18:00:00Z', '2026-03-31T18:00:00Z'] },
  { name: 'L in a leap year', trigger: trigger({ kind: 'cron', cron: '0 18 L 2 *' }), from: '2027-06-01T00:00:00Z', expect: ['2028-02-29T18:00:00Z', '2029-02-28T18:00:00Z'] },
  { name: '#: the second Monday, Paris, across the change to summer time', trigger: trigger({ kind: 'cron', cron: '0 9 * * 1#2', timezone: 'Europe/Paris' }), from: '2026-03-01T00:00:00Z', expect: ['2026-03-09T08:00:00Z', '2026-04-13T07:00:00Z'] },
  { name: '5L: the last Friday', trigger: trigger({ kind: 'cron', cron: '0 9 * * 5L' }), from: '2026-01-01T00:00:00Z', expect: ['2026-01-30T09:00:00Z', '2026-02-27T09:00:00Z', '2026-03-27T09:00:00Z'] },
  { name: 'cron filtered by a Saturday-morning window', trigger: trigger({ kind: 'cron', cron: '*/20 * * * *', between: '09:00-10:00', daysText: 'sat' }), from: '2026-03-27T00:00:00Z', expect: ['2026-03-28T09:00:00Z', '2026-03-28T09:20:00Z', '2026-03-28T09:40:00Z', '2026-04-04T09:00:00Z'] },
  { name: 'every 30m: multiples since the epoch', trigger: trigger({ kind: 'every', everyMs: 30 * MIN }), from: '2026-01-01T10:10:00Z', expect: ['2026-01-01T10:30:00Z', '2026-01-01T11:00:00Z'] },
  { name: 'every 30m in business hours, Paris: the window end is excluded, the weekend skipped, summer time begins', trigger: trigger({ kind: 'every', everyMs: 30 * MIN, between: '09:00-17:30', daysText: 'mon-fri', timezone: 'Europe/Paris' }), from: '2026-03-27T15:45:00Z', expect: ['2026-03-27T16:00:00Z', '2026-03-30T07:00:00Z', '2026-03-30T07:30:00Z'] },
  { name: 'every 1h in an overnight window belonging to Friday', trigger: trigger({ kind: 'every', everyMs: H, between: '22:00-02:00', daysText: 'fri' }), from: '2026-03-27T21:30:00Z', expect: ['2026-03-27T22:00:00Z', '2026-03-27T23:00:00Z', '2026-03-28T00:00:00Z', '2026-03-28T01:00:00Z', '2026-04-03T22:00:00Z'] },
  { name: 'every 1h from 09:00 Paris on both sides of the jump', trigger: trigger({ kind: 'every', everyMs: H, between: '09:00-11:00', timezone: 'Europe/Paris' }), from: '2026-03-28T07:30:00Z', expect: ['2026-03-28T08:00:00Z', '2026-03-28T09:00:00Z', '2026-03-29T07:00:00Z', '2026-03-29T08:00:00Z'] },
  { name: 'at: once', trigger: trigger({ kind: 'at', atMs: Date.parse('2026-12-24T18:00:00Z') }), from: '2026-12-01T00:00:00Z', expect: ['2026-12-24T18:00:00Z'] },
  { name: 'at: already past', trigger: trigger({ kind: 'at', atMs: Date.parse('2026-12-24T18:00:00Z') }), from: '2026-12-24T18:00:00Z', expect: [] },
  { name: 'always with no earlier run: at once (its next fires wait for runs)', trigger: trigger({ kind: 'always' }), from: '2026-05-01T12:00:00Z', expect: ['2026-05-01T12:00:00.001Z'] },
  { name: 'always, outside its window: at the next opening', trigger: trigger({ kind: 'always', between: '08:00-09:00' }), from: '2026-05-01T12:00:00Z', expect: ['2026-05-02T08:00:00Z'] },
];

for (const row of TABLE) {
  test(`next fires: ${row.name}`, () => {
    const fires = nextFires(row.trigger, Date.parse(row.from), row.expect.length + 1).slice(0, Math.max(row.expect.length, 1));
    assert.deepEqual(fires.map((t) => new Date(t).toISOString()), row.expect.map((t) => new Date(t).toISOString()));
  });
}

test('always waits for the run in flight, then min_gap after its end', () => {
  const keepFresh = trigger({ kind: 'always', minGapMs: MIN });
  const now = Date.parse('2026-05-01T12:00:00Z');
  assert.equal(nextFireAfter(keepFresh, now, { running: true }), undefined);
  assert.equal(nextFireAfter(keepFresh, now, { lastEndedAt: now - 10_000 }), now + 50_000);
  assert.equal(nextFireAfter(keepFresh, now, { lastEndedAt: now - 5 * MIN }), now + 1);
});

test('file and chained triggers never fire by the clock', () => {
  assert.equal(nextFireAfter(trigger({ kind: 'files' }), 0), undefined);
  assert.equal(nextFireAfter(trigger({ kind: 'after' }), 0), undefined);
});

test('a cron no date matches and a window no fire falls in never fire', () => {
  assert.equal(nextFireAfter(trigger({ kind: 'cron', cron: '0 0 30 2 *' }), Date.parse('2026-01-01T00:00:00Z')), undefined);
  assert.equal(nextFireAfter(trigger({ kind: 'cron', cron: '0 3 * * *', between: '09:00-17:00' }), Date.parse('2026-01-01T00:00:00Z'), {}, 30), undefined);
});

test('windows, days and at times are read as written', () => {
  assert.deepEqual(parseWindow('09:00-17:30'), { startMinute: 540, endMinute: 1050 });
  assert.deepEqual(parseWindow('22:00-24:00'), { startMinute: 1320, endMinute: 1440 });
  assert.ok('error' in parseWindow('17:00-17:00') && 'error' in parseWindow('25:00-26:00') && 'error' in parseWindow('9-17'));
  assert.deepEqual([...(parseDays(['fri-mon']) as Set<number>)].sort(), [0, 1, 5, 6]);
  assert.deepEqual([...(parseDays(['Monday', 'wed,fri']) as Set<number>)].sort(), [1, 3, 5]);
  assert.ok('error' in (parseDays(['funday']) as object));
  assert.equal(parseAt('2026-12-24T18:00:00Z', 'Europe/Paris'), Date.parse('2026-12-24T18:00:00Z'));
  assert.equal(parseAt('2026-12-24T18:00+01:00', 'UTC'), Date.parse('2026-12-24T17:00:00Z'));
  assert.equal(parseAt('2026-12-24 18:00', 'Europe/Paris'), Date.parse('2026-12-24T17:00:00Z'));
  // In the hour Paris skips: read with the offset before the jump, i.e. an hour later on the clock.
  assert.equal(parseAt('2026-03-29T02:30', 'Europe/Paris'), Date.parse('2026-03-29T01:30:00Z'));
  // In the hour New York repeats: the first.
  assert.equal(parseAt('2026-11-01T01:30', 'America/New_York'), Date.parse('2026-11-01T05:30:00Z'));
  assert.ok(typeof parseAt('2026-02-30T10:00Z', 'UTC') === 'object');
});
