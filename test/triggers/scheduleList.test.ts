import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../core/src/cli/cli.ts';
import { tempDir } from '../runner/support.ts';

function folder(files: Record<string, string>): string {
  const dir = tempDir('ps-list-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function schedule(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['schedule', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const ETL = `triggers:
  nightly:
    cron: "0 3 * * *"
    timezone: Europe/Paris
  office:
    every: 2h
    between: "09:00-17:00"
    days: mon-fri
    timezone: America/New_York
  on-data:
    files: ["data/*.csv"]
blocks:
  a:
    run: echo a
`;
const REPORT = `triggers:
  month-end:
    cron: "0 18 L * *"
    timezone: UTC
  after-etl:
    after: etl.pipeline.yaml
blocks:
  a:
    run: echo a
`;

test('schedule --list --json: the next fires of every trigger of a folder from any moment, in time order', async () => {
  const dir = folder({ 'etl.pipeline.yaml': ETL, 'report.pipeline.yaml': REPORT });
  const { code, out } = await schedule(['--list', dir, '--at', '2026-03-27T12:00:00Z', '--count', '7', '--json']);
  assert.equal(code, 0);
  const result = JSON.parse(out.join('\n')) as { fires: { at: string; trigger: string; pipeline: string }[]; events: { trigger: string; detail: string }[] };
  assert.deepEqual(result.fires.map((f) => `${f.at} ${f.pipeline}:${f.trigger}`), [
    '2026-03-27T13:00:00.000Z etl:office', // 09:00 in New York (EDT since 8 March)
    '2026-03-27T15:00:00.000Z etl:office',
    '2026-03-27T17:00:00.000Z etl:office',
    '2026-03-27T19:00:00.000Z etl:office',
    '2026-03-28T02:00:00.000Z etl:nightly', // 03:00 in Paris, still CET
    '2026-03-29T01:00:00.000Z etl:nightly', // 03:00 in Paris, CEST from this night
    '2026-03-30T01:00:00.000Z etl:nightly',
  ]);
  assert.deepEqual(result.events.map((e) => `${e.trigger}: ${e.detail}`), ['on-data: data/*.csv', 'after-etl: etl.pipeline.yaml completed']);
  const later = await schedule(['--list', dir, '--at', '2026-03-31T12:00:00Z', '--count', '1', '--json']);
  assert.deepEqual((JSON.parse(later.out.join('\n')) as { fires: { at: string; trigger: string }[] }).fires.map((f) => `${f.at} ${f.trigger}`), ['2026-03-31T13:00:00.000Z office']);
});

test('schedule --list as text, and a file with errors keeps no triggers and says why (exit 1)', async () => {
  const dir = folder({ 'report.pipeline.yaml': REPORT.replace('    after: etl.pipeline.yaml\n', '    after: gone.pipeline.yaml\n'), 'month.pipeline.yaml': 'triggers:\n  m:\n    cron: "0 18 L * *"\n    timezone: UTC\nblocks:\n  a:\n    run: echo a\n' });
  const { code, out, err } = await schedule(['--list', dir, '--at', '2026-01-15T00:00:00Z', '--count', '2']);
  assert.equal(code, 1);
  assert.equal(out[0]?.replace(/ +/g, ' '), 'when in trigger pipeline file');
  assert.match(out[1] ?? '', /^Sat 2026-01-31 18:00 UTC +in 16d/);
  assert.match(out[2] ?? '', /^Sat 2026-02-28 18:00 UTC /);
  assert.equal(out.length, 3);
  assert.equal(err.length, 1);
  assert.match(err[0] ?? '', /not scheduled, it has errors: .*report\.pipeline\.yaml:6:12: unknown-pipeline: Trigger 'after-etl' waits for 'gone\.pipeline\.yaml'/);
});

test('schedule --list usage errors exit 2', async () => {
  assert.equal((await schedule(['--list', '--at', 'tomorrow'])).code, 2);
  assert.equal((await schedule(['--list', '--count', '0'])).code, 2);
  assert.equal((await schedule(['--count', '3'])).code, 2);
});
