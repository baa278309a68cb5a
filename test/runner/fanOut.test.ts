import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '../../core/src/runner/events.ts';
import { pipelineDir, runFile, runYaml } from './support.ts';

// Fan-out (`foreach:`) in the engine, with real processes and a real SQLite store: one item per
// value, each recorded like a block run; the block ends as their aggregate.

function itemStatuses(events: RunEvent[], block: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of events) {
    if (e.type !== 'block-status' || !e.block.startsWith(`${block}[`)) continue;
    out.set(e.block, [...(out.get(e.block) ?? []), e.status]);
  }
  return out;
}

test('fans out over an upstream output (lines); each item has its own row, log and outputs; dependents see JSON lists', async () => {
  const r = await runYaml(`blocks:
  list:
    outputs: [files]
    run: |
      printf 'files<<EOF\\na.jpg\\nsub/b.jpg\\n\\nc d.jpg\\nEOF\\n' >> "$PIPELINE_OUTPUT"
  resize:
    depends_on: [list]
    foreach: \${{ blocks.list.outputs.files }}
    outputs: [thumb]
    run: |
      echo "resizing \${{ item }} #\${{ item.index }} as \${{ item.name }}"
      echo "thumb=t-\${{ item.name }}" >> "$PIPELINE_OUTPUT"
  report:
    depends_on: [resize]
    run: echo "\${{ blocks.resize.outputs.thumb }} \${{ blocks.resize.status }}"
`);
  assert.equal(r.result.status, 'completed', JSON.stringify(r.result.blocks));
  assert.equal(r.block('resize').status, 'completed');
  assert.deepEqual(JSON.parse(r.block('resize').outputs.thumb ?? ''), ['t-a.jpg', 't-b.jpg', 't-c d.jpg']);
  assert.equal(r.log('report'), '["t-a.jpg","t-b.jpg","t-c d.jpg"] completed\n');
  // The run's blocks are three rows; the items are paged apart.
  assert.deepEqual(r.store.blockRuns(r.result.runId).map((b) => b.block), ['list', 'resize', 'report']);
  const items = r.store.itemRuns(r.result.runId, 'resize');
  assert.deepEqual(items.map((i) => [i.block, i.status, i.item?.index, i.item?.value, i.outputs.thumb]), [
    ['resize[0]', 'completed', 0, 'a.jpg', 't-a.jpg'],
    ['resize[1]', 'completed', 1, 'sub/b.jpg', 't-b.jpg'],
    ['resize[2]', 'completed', 2, 'c d.jpg', 't-c d.jpg'],
  ]);
  assert.equal(r.store.readLogs(items[1]?.id ?? 0).map((c) => c.text).join(''), 'resizing sub/b.jpg #1 as b.jpg\n');
  assert.deepEqual(r.store.itemCounts(r.result.runId, 'resize'), { completed: 3 });
  assert.deepEqual(r.store.itemRuns(r.result.runId, 'resize', { offset: 1, limit: 1 }).map((i) => i.block), ['resize[1]']);
  const listed = r.store.listRuns({ limit: 1 })[0];
  assert.deepEqual(listed?.counts, { completed: 3 }, 'the run counts blocks, not items');
  const progress = r.events.filter((e) => e.type === 'fanout-progress');
  assert.deepEqual(progress.at(-1), { ...progress.at(-1), block: 'resize', total: 3, counts: { completed: 3 } });
  assert.deepEqual([...itemStatuses(r.events, 'resize').values()][0], ['running', 'completed']);
});

test('a JSON-list output and a literal list, with max_parallel respected; hostile items stay data', async () => {
  const hostile = ['$(touch pwned-1)', '`touch pwned-2`', "'; touch pwned-3; echo '", '"; touch pwned-4; echo "', 'a b\tc', '${HOME}'];
  const r = await runYaml(`concurrency: 8
blocks:
  list:
    outputs: [items]
    run: echo 'items=${JSON.stringify(hostile).replaceAll("'", "'\\''")}' >> "$PIPELINE_OUTPUT"
  echo:
    depends_on: [list]
    foreach: \${{ blocks.list.outputs.items }}
    max_parallel: 2
    env:
      VALUE: \${{ item }}
    run: |
      printf '%s|%s\\n' \${{ item }} "$VALUE"
      sleep 0.2
  literal:
    foreach: [one, "$(touch pwned-5)", 3]
    run: printf '%s\\n' "\${{ item }}" "$PIPELINE_ITEM" "$PIPELINE_ITEM_INDEX"
`);
  assert.equal(r.result.status, 'completed', JSON.stringify(r.result.blocks));
  for (let i = 1; i <= 5; i++) assert.equal(existsSync(join(r.dir, `pwned-${i}`)), false, `pwned-${i} must not exist`);
  const logs = r.store.itemRuns(r.result.runId, 'echo').map((row) => r.store.readLogs(row.id).map((c) => c.text).join(''));
  assert.deepEqual(logs, hostile.map((h) => `${h}|${h}\n`));
  const literal = r.store.itemRuns(r.result.runId, 'literal').map((row) => r.store.readLogs(row.id).map((c) => c.text).join(''));
  assert.deepEqual(literal, ['one\none\n0\n', '$(touch pwned-5)\n$(touch pwned-5)\n1\n', '3\n3\n2\n']);
  // Never more than two items of `echo` running at once, though concurrency allows eight.
  let running = 0;
  let most = 0;
  for (const e of r.events) {
    if (e.type !== 'block-status' || !e.block.startsWith('echo[')) continue;
    if (e.status === 'running') running++;
    else if (e.status === 'completed' || e.status === 'failed') running--;
    most = Math.max(most, running);
  }
  assert.equal(most, 2);
});

test('a glob matched at run time: 0, 1 and 1,000 files', async () => {
  const yaml = `concurrency: 16
blocks:
  each:
    foreach: { glob: "in/*.txt" }
    outputs: [size]
    run: echo "size=$(wc -c < \${{ item }})" >> "$PIPELINE_OUTPUT"
  after:
    depends_on: [each]
    run: echo "\${{ blocks.each.outputs.size }}"
`;
  const { dir, file } = pipelineDir(yaml);
  mkdirSync(join(dir, 'in'));
  writeFileSync(join(dir, 'in', 'not-matched.csv'), 'x');
  mkdirSync(join(dir, 'in', 'folder.txt'));
  const none = await runFile(file);
  assert.equal(none.result.status, 'completed');
  assert.equal(none.block('each').reason, 'no items');
  assert.equal(none.log('after'), '[]\n');

  writeFileSync(join(dir, 'in', 'only.txt'), 'hello');
  const one = await runFile(file);
  assert.equal(one.result.status, 'completed');
  assert.deepEqual(one.store.itemRuns(one.result.runId, 'each').map((i) => i.item?.value), ['in/only.txt']);
  assert.equal(one.log('after'), '["5"]\n');

  rmSync(join(dir, 'in', 'only.txt'));
  for (let i = 0; i < 1000; i++) writeFileSync(join(dir, 'in', `f${String(i).padStart(4, '0')}.txt`), 'x'.repeat(i % 7));
  const many = await runFile(file);
  assert.equal(many.result.status, 'completed', many.block('each').reason);
  assert.deepEqual(many.store.itemCounts(many.result.runId, 'each'), { completed: 1000 });
  const sizes = JSON.parse(many.block('each').outputs.size ?? '[]') as string[];
  assert.equal(sizes.length, 1000);
  assert.deepEqual(sizes.slice(0, 8), ['0', '1', '2', '3', '4', '5', '6', '0']);
  const page = many.store.itemRuns(many.result.runId, 'each', { offset: 990, limit: 100 });
  assert.deepEqual(page.map((i) => i.item?.value), Array.from({ length: 10 }, (_, k) => `in/f0${990 + k}.txt`));
});

test('failed items fail the block after their retries; a retry of the run re-runs only the failed items', async () => {
  const yaml = `blocks:
  work:
    foreach: [a, b, c, d]
    retry: 2
    outputs: [done]
    run: |
      echo "ran \${{ item }}" >> ran.log
      test ! -e "fail-\${{ item }}"
      echo "done=\${{ item }}" >> "$PIPELINE_OUTPUT"
  after:
    depends_on: [work]
    run: echo "\${{ blocks.work.outputs.done }}"
`;
  const { dir, file } = pipelineDir(yaml, { 'fail-b': '', 'fail-d': '' });
  const first = await runFile(file);
  assert.equal(first.result.status, 'failed');
  assert.equal(first.block('work').status, 'failed');
  assert.equal(first.block('work').reason, '2 of 4 items failed');
  assert.equal(first.block('after').status, 'upstream_failed');
  const items = first.store.itemRuns(first.result.runId, 'work');
  assert.deepEqual(items.map((i) => [i.block, i.status, i.attempt]), [['work[0]', 'completed', 1], ['work[1]', 'failed', 2], ['work[2]', 'completed', 1], ['work[3]', 'failed', 2]]);

  rmSync(join(dir, 'fail-b'));
  rmSync(join(dir, 'fail-d'));
  writeFileSync(join(dir, 'ran.log'), '');
  const retry = await runFile(file, { store: first.store, selection: { mode: 'retry', runId: first.result.runId } });
  assert.equal(retry.result.status, 'completed', JSON.stringify(retry.result.blocks));
  assert.deepEqual(retry.store.itemRuns(retry.result.runId, 'work').map((i) => [i.block, i.status, i.reason ?? '']), [
    ['work[0]', 'cached', `completed in run #${first.result.runId}`],
    ['work[1]', 'completed', ''],
    ['work[2]', 'cached', `completed in run #${first.result.runId}`],
    ['work[3]', 'completed', ''],
  ]);
  assert.deepEqual(readFileSync(join(dir, 'ran.log'), 'utf8').split('\n').filter(Boolean).sort(), ['ran b', 'ran d'], 'only the failed items ran again');
  assert.equal(retry.log('after'), '["a","b","c","d"]\n');
});

test('continue_on_error tolerates failed items: the run completes and dependents run on the items that succeeded', async () => {
  const r = await runYaml(`blocks:
  work:
    foreach: [1, 2, 3]
    continue_on_error: true
    run: |
      test "\${{ item }}" != 2
      echo "n=\${{ item }}" >> "$PIPELINE_OUTPUT"
  after:
    depends_on: [work]
    run: echo "\${{ blocks.work.outputs.n }}"
`);
  assert.equal(r.result.status, 'completed');
  assert.equal(r.block('work').status, 'failed');
  assert.equal(r.block('work').reason, '1 of 3 items failed');
  assert.equal(r.log('after'), '["1","3"]\n');
});

test('cancel reaches the items: running ones are stopped, the others end cancelled, nothing is left running', async () => {
  let cancelled = false;
  const r = await runYaml(`blocks:
  slow:
    foreach: [a, b, c, d, e, f]
    max_parallel: 2
    run: sleep 30
`, {
    onEvent: (e) => {
      if (!cancelled && e.type === 'block-attempt' && e.block === 'slow[1]') {
        cancelled = true;
        setImmediate(() => handle?.cancelBlock('slow'));
      }
    },
    onStart: (h) => (handle = h),
  });
  assert.equal(r.result.status, 'cancelled');
  assert.equal(r.block('slow').status, 'cancelled');
  assert.deepEqual(r.store.itemCounts(r.result.runId, 'slow'), { cancelled: 6 });
  assert.ok((r.block('slow').reason ?? '').includes('6 of 6 items cancelled'));
});
let handle: import('../../core/src/runner/engine.ts').RunHandle | undefined;

test('pause holds back the next items; resume lets them go', async () => {
  let paused = false;
  let startsWhilePaused = 0;
  const r = await runYaml(`blocks:
  items:
    foreach: [a, b, c]
    max_parallel: 1
    run: sleep 0.3
`, {
    onStart: (h) => (handle = h),
    onEvent: (e) => {
      if (e.type === 'block-attempt' && paused) startsWhilePaused++;
      if (!paused && e.type === 'block-attempt' && e.block === 'items[0]') {
        paused = true;
        handle?.pause();
        setTimeout(() => {
          paused = false;
          handle?.resume();
        }, 900);
      }
    },
  });
  assert.equal(r.result.status, 'completed');
  assert.equal(startsWhilePaused, 0);
  assert.deepEqual(r.store.itemCounts(r.result.runId, 'items'), { completed: 3 });
});
