import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, hoverAt } from '../../core/src/index.ts';

// The schedule hover at a fixed clock: the protocol fixtures mask the next times, as the server
// uses the real clock; here they are checked exactly.

function scheduleHover(schedule: string, now: string, timeZone: string): string | undefined {
  const text = `schedule: "${schedule}"\nblocks:\n  a:\n    run: echo a\n`;
  return hoverAt(analyzeDocument(text), text.indexOf(schedule) + 1, { now: new Date(now), timeZone })?.contents;
}

test('weekday schedule: in words, and the next three weekdays at 06:00', () => {
  // Friday 2025-01-03 07:00 UTC: today's run has passed, the weekend is skipped.
  const hover = scheduleHover('0 6 * * 1-5', '2025-01-03T07:00:00Z', 'UTC');
  assert.equal(hover, [
    '**Schedule** `0 6 * * 1-5`: At 06:00, Monday through Friday.',
    '',
    'Next runs (UTC):',
    '- Mon 2025-01-06 06:00',
    '- Tue 2025-01-07 06:00',
    '- Wed 2025-01-08 06:00',
  ].join('\n'));
});

test('the next times are given in the requested time zone', () => {
  const hover = scheduleHover('30 23 * * *', '2025-06-01T12:00:00Z', 'Europe/Paris');
  assert.match(hover ?? '', /Next runs \(Europe\/Paris\):\n- Sun 2025-06-01 23:30\n- Mon 2025-06-02 23:30\n- Tue 2025-06-03 23:30$/);
});

test('a macro schedule', () => {
  const hover = scheduleHover('@hourly', '2025-01-01T10:15:00Z', 'UTC');
  assert.match(hover ?? '', /^\*\*Schedule\*\* `@hourly`: Every hour\.[\s\S]*- Wed 2025-01-01 11:00\n- Wed 2025-01-01 12:00\n- Wed 2025-01-01 13:00$/);
});

test('an invalid schedule has no hover (its diagnostic explains it)', () => {
  assert.equal(scheduleHover('0 25 * * *', '2025-01-01T00:00:00Z', 'UTC'), undefined);
});
