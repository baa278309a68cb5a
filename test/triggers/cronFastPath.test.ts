import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePipeline } from '../../core/src/index.ts';
import { cronSurelyFires } from '../../core/src/triggers/cronFastPath.ts';
import { nextFireAfter } from '../../core/src/triggers/nextFire.ts';

// The never-fires check skips its calendar walk only for crons that surely fire; every "surely" is
// checked against the walk itself, and crons that need the walk still get their diagnostic.

const CASES: [string, boolean][] = [
  ['0 3 * * *', true], ['*/5 * * * *', true], ['0 0 1 * *', true], ['0 0 28 2 *', true], ['0 0 1-31 * *', true],
  ['0 0 5,30 2 *', true], ['0 9 * * 1#2', true], ['0 9 */3 * *', true], ['0 9 ? * 1-5', true],
  ['0 0 30 2 *', false], ['0 0 31 4 *', false], ['0 0 L * *', false], ['0 0 29 2 *', false], ['0 0 15W * *', false],
];

test('cronSurelyFires: days every month has say yes; others ask for the walk; a yes always agrees with the walk', () => {
  for (const [fields, expected] of CASES) {
    assert.equal(cronSurelyFires(fields), expected, fields);
    if (expected) assert.notEqual(nextFireAfter({ kind: 'cron', cron: fields, everyMs: undefined, atMs: undefined, minGapMs: 0, timezone: 'UTC', window: undefined, days: undefined }, Date.UTC(2026, 0, 1)), undefined, fields);
  }
});

test('crons that never fire are still reported; those that do are not', () => {
  const errors = (cron: string) => validatePipeline(`triggers:\n  t:\n    cron: "${cron}"\nblocks:\n  a:\n    run: echo a\n`).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
  assert.deepEqual(errors('0 0 30 2 *'), ['invalid-cron']);
  assert.deepEqual(errors('0 0 31 4,6 *'), ['invalid-cron']);
  assert.deepEqual(errors('0 0 29 2 *'), []);
  assert.deepEqual(errors('0 3 * * *'), []);
});
