import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, completeAt, hoverAt, quickFixes } from '../../core/src/index.ts';

const TEXT = [
  'triggers:',
  '  nightly:',
  '    cron: "0 3 * * *"',
  '    timezone: Europe/Paris',
  '    sla: 45m',
  '  office:',
  '    every: 30m',
  '    between: "09:00-17:30"',
  '    days: mon-fri',
  '    timezon: UTC',
  'blocks:',
  '  a:',
  '    run: echo a',
  '',
].join('\n');

test('hover on a trigger name: what fires it and its next fires in its zone', () => {
  const hover = hoverAt(analyzeDocument(TEXT), TEXT.indexOf('nightly') + 1, { now: new Date('2026-03-28T12:00:00Z'), timeZone: 'UTC' });
  assert.equal(hover?.contents, [
    '**Trigger `nightly`**: At 03:00 (`0 3 * * *`).',
    '',
    'SLA 45m.',
    '',
    'Next (Europe/Paris):',
    '- Sun 2026-03-29 03:00',
    '- Mon 2026-03-30 03:00',
    '- Tue 2026-03-31 03:00',
  ].join('\n'));
});

test('hover on a window trigger names its window and days', () => {
  const text = TEXT.replace('    timezon: UTC\n', '');
  const hover = hoverAt(analyzeDocument(text), text.indexOf('office') + 1, { now: new Date('2026-03-27T16:50:00Z'), timeZone: 'UTC' });
  assert.match(hover?.contents ?? '', /every 30m\.\n\nOnly between 09:00 and 17:30, on Mon, Tue, Wed, Thu, Fri \(UTC\)\.\n\nNext \(UTC\):\n- Fri 2026-03-27 17:00\n- Mon 2026-03-30 09:00\n- Mon 2026-03-30 09:30$/);
});

test('hover on a trigger key gives its documentation', () => {
  const hover = hoverAt(analyzeDocument(TEXT), TEXT.indexOf('between') + 1);
  assert.match(hover?.contents ?? '', /^\*\*between\*\*\n\nA daily window/);
});

test('completion offers the trigger keys not yet written, and on_timeout values', () => {
  const text = TEXT.replace('    sla: 45m', '    sla: 45m\n    ');
  const at = text.indexOf('    sla: 45m\n    ') + '    sla: 45m\n    '.length;
  const labels = completeAt(text, at, analyzeDocument(text))?.items.map((i) => i.label) ?? [];
  assert.ok(labels.includes('on_timeout') && labels.includes('between') && !labels.includes('sla') && !labels.includes('cron'), labels.join(','));
  const value = TEXT.replace('    sla: 45m', '    on_timeout: ');
  const items = completeAt(value, value.indexOf('on_timeout: ') + 12, analyzeDocument(value))?.items.map((i) => i.label);
  assert.deepEqual(items, ['failed', 'cancelled', 'warn']);
});

test('completion under triggers: offers trigger snippets', () => {
  const text = 'triggers:\n  \nblocks:\n  a:\n    run: echo a\n';
  const labels = completeAt(text, text.indexOf('  \n') + 2, analyzeDocument(text))?.items.map((i) => i.label) ?? [];
  assert.deepEqual(labels, ['nightly', 'office-hours', 'on-data', 'after-upstream', 'keep-fresh']);
});

test('a misspelt trigger key and zone get did-you-mean quick fixes', () => {
  const text = TEXT.replace('Europe/Paris', 'Europe/Pariss');
  const analysis = analyzeDocument(text);
  const keyFix = quickFixes(analysis, { start: text.indexOf('timezon:'), end: text.indexOf('timezon:') + 1 });
  assert.deepEqual(keyFix.map((f) => f.edits[0]?.newText), ['timezone']);
  const zoneFix = quickFixes(analysis, { start: text.indexOf('Pariss'), end: text.indexOf('Pariss') });
  assert.deepEqual(zoneFix.map((f) => f.edits[0]?.newText), ['Europe/Paris']);
});
