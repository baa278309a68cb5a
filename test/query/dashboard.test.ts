// The dashboard's pure parts: completion of the query box, the check of webview messages, rows and metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDashboardMessage } from '../../client/src/dashboard/messageValidation.ts';
import { chartOf, logBlockRunOf, metricsOf, queryFigures, rowOf } from '../../client/src/dashboard/rows.ts';
import { statsQuery } from '../../core/src/query/stats.ts';
import { fixtureStore } from './fixtureStore.ts';
import { suggest } from '../../webview/src/dashboard/completion.ts';
import type { Completions } from '../../webview/src/dashboard/protocol.ts';
import type { BlockRunRecord } from '../../core/src/store/index.ts';

const VALUES: Completions = {
  pipelines: ['orders-etl', 'mnist', 'with space'], branches: ['main', 'feature/x'], variables: ['epochs', 'env'],
  statuses: ['initial', 'running', 'completed', 'failed', 'cancelled', 'interrupted'], triggers: ['manual', 'cli', 'schedule'], blocks: ['train'],
};

test('completion: keys at a word start, values after key:, the last item of a list, quoted when needed', () => {
  const at = (text: string, caret = text.length): string[] => suggest(text, caret, VALUES).items.map((i) => i.insert);
  assert.deepEqual(at('st'), ['status:']);
  assert.deepEqual(at('-st'), ['-status:']);
  assert.deepEqual(at('pipeline:orders-etl d'), ['dirty:', 'date:', 'duration:']);
  assert.deepEqual(at('status:f'), ['status:failed']);
  assert.deepEqual(at('status:failed,c'), ['status:failed,completed', 'status:failed,cancelled']);
  assert.deepEqual(at('pipeline:w'), ['pipeline:"with space"']);
  assert.deepEqual(at('var:e'), ['var:epochs', 'var:env']);
  assert.deepEqual(at(''), []);
  const middle = suggest('branch:ma status:failed', 9, VALUES);
  assert.deepEqual([middle.start, middle.end, middle.items.map((i) => i.insert)], [0, 9, ['branch:main']]);
});

test('webview messages are checked field by field; anything else is dropped', () => {
  assert.deepEqual(parseDashboardMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseDashboardMessage({ type: 'selectAll', extra: 1 }), { type: 'selectAll' });
  assert.deepEqual(parseDashboardMessage({ type: 'query', query: 'status:failed', sort: { field: 'duration', direction: 'asc' } }), { type: 'query', query: 'status:failed', sort: { field: 'duration', direction: 'asc' } });
  assert.equal(parseDashboardMessage({ type: 'query', query: 'x', sort: { field: 'id; DROP', direction: 'asc' } }), undefined);
  assert.equal(parseDashboardMessage({ type: 'query', query: 'x'.repeat(5000), sort: { field: 'id', direction: 'asc' } }), undefined);
  assert.equal(parseDashboardMessage({ type: 'window', generation: 1, offset: 0, limit: 100_000 }), undefined);
  assert.deepEqual(parseDashboardMessage({ type: 'action', action: 'cancelSelected', runIds: [3, 4], all: 'yes' }), { type: 'action', action: 'cancelSelected', runIds: [3, 4], all: false });
  assert.equal(parseDashboardMessage({ type: 'action', action: 'rm -rf', runIds: [] }), undefined);
  assert.equal(parseDashboardMessage({ type: 'action', action: 'deleteSelected', runIds: [1, -2] }), undefined);
  assert.equal(parseDashboardMessage({ type: 'open', runId: 0, target: 'log' }), undefined);
  assert.equal(parseDashboardMessage(null), undefined);
  assert.equal(parseDashboardMessage(['ready']), undefined);
});

test('a row says its status from the status table, counts the latest attempts and shortens variables', () => {
  const row = rowOf({
    id: 7, pipelineName: 'etl', pipelineFile: '/ws/etl.pipeline.yaml', status: 'failed', trigger: 'cli', mode: 'all', selection: [], sourceRunId: undefined,
    variables: { env: 'prod', long: 'x'.repeat(300) }, git: { commit: 'a3f9e2b7', branch: 'main', dirty: true }, createdAt: 1000, startedAt: 2000, finishedAt: 5000,
    error: 'boom', ownerPid: 1, ownerHost: 'h', heartbeatAt: 0, counts: { completed: 2, cached: 1, failed: 1, upstream_failed: 1 },
  });
  assert.equal(row.statusLabel, 'failed');
  assert.equal(row.glyph, '✕');
  assert.equal(row.color, 'var(--vscode-testing-iconFailed)');
  assert.deepEqual([row.blocksDone, row.blocksTotal, row.blocksFailed, row.running], [3, 5, 1, false]);
  assert.equal(row.variables.length, 200);
  assert.ok(row.variables.startsWith('env=prod long=xxx'));
  const facts = [
    { id: 1, pipelineName: 'a', status: 'completed' as const, startedAt: 0, durationMs: 1000 },
    { id: 2, pipelineName: 'a', status: 'failed' as const, startedAt: 86_400_000 * 2, durationMs: 3000 },
    { id: 3, pipelineName: 'a', status: 'running' as const, startedAt: 86_400_000 * 4, durationMs: undefined },
  ];
  assert.deepEqual(metricsOf(facts), { runs: 3, successRate: 0.5, failureRate: 0.5, averageMs: 2000, p95Ms: 3000, runsPerDay: 0.75 });
  assert.deepEqual(chartOf(facts), { starts: [0, 172_800_000, 345_600_000], durations: [1000, 3000, null], statuses: ['completed', 'failed', 'running'] });
});

test("Open Log picks the run's failed block (its latest attempt), else the block that started last", () => {
  const b = (id: number, block: string, status: BlockRunRecord['status'], attempt: number, startedAt: number | undefined): BlockRunRecord =>
    ({ id, runId: 1, pipelineFile: '/p.pipeline.yaml', block, status, attempt, startedAt, finishedAt: undefined, exitCode: undefined, signal: undefined, reason: undefined, outputs: {} }) as unknown as BlockRunRecord;
  assert.equal(logBlockRunOf([b(1, 'a', 'completed', 1, 10), b(2, 'b', 'failed', 1, 20), b(3, 'c', 'completed', 1, 30)]), 2);
  // A failed attempt that a retry fixed is not the run's failure: the latest started block is.
  assert.equal(logBlockRunOf([b(1, 'a', 'failed', 1, 10), b(4, 'a', 'completed', 2, 40), b(3, 'c', 'running', 1, 30)]), 4);
  assert.equal(logBlockRunOf([b(1, 'a', 'completed', 1, 10), b(2, 'b', 'running', 1, 20), b(3, 'c', 'queued', 1, undefined)]), 2);
  assert.equal(logBlockRunOf([]), undefined);
});

test('the metrics strip and chart leave test runs out, as stats does, unless the query asks for them; the table counts them', () => {
  const { store, cleanup } = fixtureStore();
  try {
    const figures = (query: string): ReturnType<typeof queryFigures> => queryFigures(store, query);
    const before = figures('pipeline:orders-etl');
    // Two failed test runs of orders-etl (`run --test`): they must not lower its success rate.
    for (let i = 0; i < 2; i++) {
      const run = store.createRun({ pipelineName: 'orders-etl', pipelineFile: '/ws/etl/orders.pipeline.yaml', trigger: 'test', mode: 'all', selection: [], sourceRunId: undefined, variables: {}, git: undefined });
      store.updateRun(run.id, { status: 'running', startedAt: Date.parse('2026-01-20T00:00:00Z') });
      store.updateRun(run.id, { status: 'failed', finishedAt: Date.parse('2026-01-20T00:01:00Z') });
    }
    const after = figures('pipeline:orders-etl');
    assert.equal(after.total, before.total + 2, 'the table lists the test runs');
    assert.deepEqual(after.metrics, before.metrics);
    assert.deepEqual(after.chart, before.chart);
    assert.deepEqual([after.metrics.runs, after.metrics.successRate, after.metrics.failureRate], [3, 2 / 3, 1 / 3]);
    // Asked for: the figures are theirs.
    const tests = figures('pipeline:orders-etl trigger:test');
    assert.deepEqual([tests.total, tests.metrics.runs, tests.metrics.failureRate], [2, 2, 1]);
    assert.equal(figures('').metrics.runs, figures('').total - 2);
    // The same rule in the CLI's stats.
    assert.equal(statsQuery('trigger:test,cli'), 'trigger:test,cli');
    assert.equal(statsQuery(' '), '-trigger:test');
    assert.equal(statsQuery('status:failed OR branch:main'), '(status:failed OR branch:main) -trigger:test');
    assert.equal(statsQuery('status:'), 'status:', 'an unreadable query is left for its own error');
  } finally {
    cleanup();
  }
});
