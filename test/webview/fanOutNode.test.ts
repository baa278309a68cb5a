import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import { progressText } from '../../core/src/model/fanOutProgress.ts';
import { readItemPage, readRunView, runViewUpdates } from '../../client/src/graph/runState.ts';
import { parseWebviewMessage } from '../../client/src/graph/messageValidation.ts';

// The graph's fan-out node: its state carries the item counts (the node shows `34/40 ✓ 2 ✗`), an
// update follows items as they end, and its item list is read a page at a time.

test('a fan-out block\'s state counts its items; an item ending is an update; pages are read by offset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-fannode-'));
  const store = openStore(join(dir, 'runs.sqlite'));
  try {
    const run = store.createRun({ pipelineName: 'p', pipelineFile: '/w/p.pipeline.yaml', trigger: 'cli', mode: 'all', selection: [], sourceRunId: undefined, variables: {}, git: undefined });
    store.createBlockRun({ runId: run.id, block: 'resize', status: 'running' });
    const ids = store.createItemRuns(run.id, 'resize', Array.from({ length: 40 }, (_, index) => ({ index, value: `img-${index}.jpg`, status: 'queued' as const })));
    ids.slice(0, 34).forEach((id) => store.updateBlockRun(id, { status: 'completed' }));
    store.updateBlockRun(ids[34] ?? 0, { status: 'failed', reason: 'exit code 1' });
    store.updateBlockRun(ids[35] ?? 0, { status: 'failed', reason: 'exit code 2' });
    const before = readRunView(store, run.id);
    const state = before?.blocks.resize;
    assert.deepEqual(state?.items, { total: 40, counts: { completed: 34, failed: 2, queued: 4 } });
    assert.equal(progressText(state?.items ?? { total: 0, counts: {} }), '34/40 ✓ 2 ✗');
    assert.deepEqual(Object.keys(before?.blocks ?? {}), ['resize'], 'items are not nodes of their own');

    store.updateBlockRun(ids[36] ?? 0, { status: 'running' });
    const after = readRunView(store, run.id);
    const updates = before === undefined || after === undefined ? [] : runViewUpdates(before, after);
    assert.deepEqual(updates.map((u) => (u.type === 'status' ? [u.block, progressText(u.state.items ?? { total: 0, counts: {} })] : u.type)), [['resize', '34/40 ✓ 2 ✗ 1 ↻']]);

    const page = readItemPage(store, run.id, 'resize', 30, 100);
    assert.equal(page.total, 40);
    assert.deepEqual(page.items.map((i) => [i.index, i.status]).slice(3, 7), [[33, 'completed'], [34, 'failed'], [35, 'failed'], [36, 'running']]);
    assert.equal(page.items[4]?.reason, 'exit code 1');
    assert.equal(page.items.length, 10);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('requestItems from the webview is checked: a known block, a whole offset, a bounded page', () => {
  const known = new Set(['resize']);
  assert.deepEqual(parseWebviewMessage({ type: 'requestItems', block: 'resize', offset: 100, limit: 100 }, known), { type: 'requestItems', block: 'resize', offset: 100, limit: 100 });
  assert.equal(parseWebviewMessage({ type: 'requestItems', block: 'other', offset: 0, limit: 100 }, known), undefined);
  assert.equal(parseWebviewMessage({ type: 'requestItems', block: 'resize', offset: -1, limit: 100 }, known), undefined);
  assert.equal(parseWebviewMessage({ type: 'requestItems', block: 'resize', offset: 0, limit: 1e9 }, known), undefined);
  assert.equal(parseWebviewMessage({ type: 'requestItems', block: 'resize', offset: '0; DROP TABLE block_run', limit: 100 }, known), undefined);
});
