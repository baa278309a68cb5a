// runs --query, stats and export through the CLI's main(), over the fixture store (a real SQLite file).
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { main } from '../../core/src/cli/cli.ts';
import { computeStats } from '../../core/src/query/stats.ts';
import { fixtureStore, NOW } from './fixtureStore.ts';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('runs --query filters, sorts and pages; a bad query exits 2 with the column marked', async () => {
  const { path, cleanup } = fixtureStore();
  try {
    const ids = async (...args: string[]): Promise<number[]> => {
      const r = await cli(['runs', '--store', path, '--json', ...args]);
      assert.equal(r.code, 0, r.err);
      return (JSON.parse(r.out) as { id: number }[]).map((run) => run.id);
    };
    assert.deepEqual(await ids('--query', 'pipeline:orders-etl status:completed'), [7, 1]);
    assert.deepEqual(await ids('--query', 'status:failed OR status:cancelled', '--sort', 'id:asc'), [2, 4, 6]);
    assert.deepEqual(await ids('--sort', 'started:asc', '--limit', '2', '--offset', '1'), [2, 3]);
    const table = await cli(['runs', '--store', path, '--query', 'pipeline:mnist', '--limit', '2']);
    assert.match(table.out, /^\s*#\s+pipeline\s+status/m);
    assert.match(table.out, /\(1-2 of 3 runs; --offset 2 for more\)/);
    const bad = await cli(['runs', '--store', path, '--query', 'status:done pipeline:x']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /column 8: 'done' is not a run status/);
    assert.match(bad.err, /\n {2}status:done pipeline:x\n {2} {7}\^{4}\n/);
    const typo = await cli(['runs', '--store', path, '--query', 'stauts:failed']);
    assert.match(typo.err, /Did you mean 'status'\?/);
    assert.equal((await cli(['runs', '--store', path, '--sort', 'size'])).code, 2);
  } finally {
    cleanup();
  }
});

test('stats: rates, durations and runs per day match the hand-computed figures', async () => {
  const { path, cleanup } = fixtureStore();
  try {
    // orders-etl: #1 completed 2m (Jan 5 10:00), #2 failed 6m (Jan 10 10:00), #7 completed 3m (Jan 31 09:00).
    const r = await cli(['stats', '--store', path, '--query', 'pipeline:orders-etl', '--json']);
    assert.equal(r.code, 0, r.err);
    const stats = JSON.parse(r.out) as Record<string, number>;
    assert.equal(stats.runs, 3);
    assert.equal(stats.successRate, 2 / 3);
    assert.equal(stats.failureRate, 1 / 3);
    assert.equal(stats.averageMs, (2 + 6 + 3) * 60_000 / 3);
    assert.equal(stats.p50Ms, 3 * 60_000);
    assert.equal(stats.p95Ms, 6 * 60_000);
    const spanDays = (Date.parse('2026-01-31T09:00:00Z') - Date.parse('2026-01-05T10:00:00Z')) / 86_400_000;
    assert.equal(stats.runsPerDay, 3 / spanDays);
    // All 8: #5 is still running (not finished); #4 cancelled and the two failed are finished.
    const all = JSON.parse((await cli(['stats', '--store', path, '--json', '--by', 'pipeline'])).out) as { finished: number; completed: number; failed: number; groups: { key: string; runs: number }[] };
    assert.deepEqual([all.finished, all.completed, all.failed], [7, 4, 2]);
    assert.deepEqual(all.groups.map((g) => [g.key, g.runs]), [['ab', 1], ['mnist', 3], ['orders-etl', 3], ["weird'; DROP TABLE pipeline_run; --", 1]]);
    const text = await cli(['stats', '--store', path, '--query', 'pipeline:orders-etl', '--by', 'day']);
    assert.match(text.out, /success rate {2}66\.7%/);
    assert.match(text.out, /^2026-01-05\s+1\s+100\.0%/m);
    assert.deepEqual(computeStats([]).runs, 0);
  } finally {
    cleanup();
  }
});

test('export csv: RFC 4180 quoting and the formula guard survive a CSV parser; columns per variable and output', async () => {
  const { path, cleanup, store } = fixtureStore();
  try {
    const out = join(path, '..', 'runs.csv');
    const r = await cli(['export', '--store', path, '--format', 'csv', '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Exported 8 runs/);
    const text = readFileSync(out, 'utf8');
    assert.ok(text.includes('\r\n'), 'records end with CRLF');
    const rows = parse<Record<string, string>>(text, { columns: true });
    assert.equal(rows.length, 8);
    assert.deepEqual(Object.keys(rows[0] ?? {}), [
      'id', 'pipeline', 'file', 'status', 'trigger', 'created', 'started', 'finished', 'duration_ms', 'blocks_total', 'blocks_completed', 'blocks_failed', 'commit', 'branch', 'dirty',
      'var.env', 'var.epochs', 'var.flag', 'var.lr', 'var.msg', 'var.note', 'property.extract.rows', 'property.step.accuracy', 'property.train.accuracy',
    ]);
    const weird = rows.find((row) => row.id === '6');
    assert.equal(weird?.pipeline, "weird'; DROP TABLE pipeline_run; --");
    assert.equal(weird?.['var.msg'], 'a, "quoted"\nline');
    assert.equal(weird?.['var.note'], "'=cmd|' /C calc'!A0", 'a formula is prefixed with an apostrophe');
    const seven = rows.find((row) => row.id === '7');
    assert.deepEqual([seven?.blocks_total, seven?.blocks_completed, seven?.blocks_failed, seven?.duration_ms, seven?.['property.extract.rows']], ['2', '2', '0', '180000', '200']);
    assert.equal(rows.find((row) => row.id === '5')?.duration_ms, '', 'a running run has no duration yet');
    // --runs with --query, to stdout.
    const some = await cli(['export', '--store', path, '--format', 'csv', '--runs', '6,2,1', '--query', 'status:failed']);
    assert.deepEqual(parse<{ id: string }>(some.out, { columns: true }).map((row) => row.id), ['6', '2']);
    // JSON --details: what show --json has, per run.
    const json = await cli(['export', '--store', path, '--format', 'json', '--details', '--query', 'pipeline:mnist']);
    const { runs, definitions } = JSON.parse(json.out) as { runs: { run: { id: number }; blockRuns: unknown[]; details: object }[]; definitions: object };
    assert.deepEqual(runs.map((x) => x.run.id), [5, 4, 3]);
    assert.deepEqual(definitions, {}, 'these runs kept no definition');
    const show = JSON.parse((await cli(['show', '4', '--store', path, '--json'])).out) as unknown;
    // details.run is left out of the export: it is run (test/query/exportJson.test.ts checks every field).
    assert.deepEqual({ ...runs[1], details: { run: runs[1]?.run, ...runs[1]?.details } }, show);
    // JSON by default: the run-level record, no details, no definitions.
    const runLevel = JSON.parse((await cli(['export', '--store', path, '--format', 'json', '--query', 'pipeline:mnist'])).out) as { runs: { run: { id: number }; details?: unknown }[] };
    assert.deepEqual(runLevel.runs.map((x) => [x.run.id, 'details' in x]), [[5, false], [4, false], [3, false]]);
    assert.equal((await cli(['export', '--store', path, '--format', 'csv', '--details'])).code, 2, '--details is for json');
    assert.equal((await cli(['export', '--store', path, '--format', 'xml'])).code, 2);
    assert.equal((await cli(['export', '--store', path, '--format', 'csv', '--runs', '3,x'])).code, 2);
    // With --to, export compiles a pipeline (issue 18) instead of exporting runs.
    const compiled = await cli(['export', join(path, '..', 'missing.pipeline.yaml'), '--to', 'argo']);
    assert.notEqual(compiled.code, 0);
    assert.match(compiled.err, /missing\.pipeline\.yaml/);
    assert.equal(store.countRuns(), 8);
    void NOW;
  } finally {
    cleanup();
  }
});
