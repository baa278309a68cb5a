import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { finishedAttempt, type Executor } from '../../core/src/runner/executor.ts';
import { runYaml } from './support.ts';

// 10,000 items through the engine and a real SQLite store. Attempts run on an executor that ends
// each at once (writing its output as a process would), so what is measured is the engine's and
// the store's own cost per item, not process start-up (bench/fanOut.ts measures that beside make).

const instant: Executor = {
  name: 'instant',
  start(options) {
    options.onStarted(undefined);
    const value = /^item-(\d+)$/.exec(options.env.PIPELINE_ITEM ?? '')?.[1] ?? '';
    appendFileSync(options.env.PIPELINE_OUTPUT ?? '', `n=${value}\n`);
    options.onOutput('stdout', `item ${value}\n`);
    return finishedAttempt({ ok: Number(value) % 1000 !== 999, exitCode: Number(value) % 1000 === 999 ? 1 : 0, signal: undefined, reason: Number(value) % 1000 === 999 ? 'exit code 1' : undefined, pid: undefined });
  },
};

test('10,000 items: each recorded with its log, paged and counted from the store; the block aggregates them', async (t) => {
  const items = Array.from({ length: 10_000 }, (_, i) => `item-${i}`);
  const started = performance.now();
  const r = await runYaml(`variables:
  items: { default: "" }
concurrency: 64
blocks:
  many:
    foreach: \${{ vars.items }}
    continue_on_error: true
    run: echo \${{ item }}
`, { executor: instant, variables: { items: items.join('\n') } });
  const runMs = performance.now() - started;
  assert.equal(r.result.status, 'completed');
  assert.equal(r.block('many').status, 'failed');
  assert.equal(r.block('many').reason, '10 of 10000 items failed');
  const pageStarted = performance.now();
  const counts = r.store.itemCounts(r.result.runId, 'many');
  const last = r.store.itemRuns(r.result.runId, 'many', { offset: 9_900, limit: 100 });
  const pageMs = performance.now() - pageStarted;
  assert.deepEqual(counts, { completed: 9_990, failed: 10 });
  assert.equal(last.length, 100);
  assert.equal(last[99]?.block, 'many[9999]');
  assert.equal(last[99]?.status, 'failed');
  assert.equal(r.store.readLogs(last[0]?.id ?? 0).map((c) => c.text).join(''), 'item 9900\n');
  const n = JSON.parse(r.block('many').outputs.n ?? '[]') as string[];
  assert.equal(n.length, 9_990);
  assert.equal(n[9_989], '9998');
  assert.deepEqual(r.store.blockRuns(r.result.runId).map((b) => b.block), ['many'], 'the run lists one block');
  t.diagnostic(`10,000 items: run ${Math.round(runMs)} ms (${(runMs / 10_000).toFixed(2)} ms/item), counts + last page ${pageMs.toFixed(1)} ms`);
});
