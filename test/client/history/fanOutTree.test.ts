import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockRunNode, RunNode } from '../../../client/src/history/nodes.ts';
import { itemView } from '../../../client/src/history/itemView.ts';
import { modelFor, newRun, tempStore, writableStore } from './helpers.ts';

// The Runs tree groups a fan-out's items under its block, a page at a time, and counts them.

test('a fan-out block shows its progress and pages its items; refresh follows items as they end', () => {
  const { path, cleanup } = tempStore();
  const store = writableStore(path);
  const model = modelFor(path, 2);
  try {
    const run = store.createRun(newRun());
    store.updateRun(run.id, { status: 'running' });
    store.createBlockRun({ runId: run.id, block: 'list', status: 'completed' });
    const parent = store.createBlockRun({ runId: run.id, block: 'resize', status: 'running' });
    const ids = store.createItemRuns(run.id, 'resize', ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg'].map((value, index) => ({ index, value, status: 'queued' })));
    store.updateBlockRun(ids[0] ?? 0, { status: 'completed' });
    store.updateBlockRun(ids[1] ?? 0, { status: 'failed', reason: 'exit code 1' });

    const pipeline = model.children()[0];
    assert.equal(pipeline?.kind, 'pipeline');
    const runNode = model.children(pipeline)[0] as RunNode;
    const blocks = model.children(runNode) as BlockRunNode[];
    assert.deepEqual(blocks.map((b) => b.block), ['list', 'resize'], 'items are not blocks of the run');
    const resize = blocks[1] as BlockRunNode;
    const view = itemView(resize, Date.now());
    assert.match(view.description, /^1\/5 ✓ 1 ✗ · running/);
    assert.equal(view.collapsible, 'collapsed');
    assert.match(view.contextValue, / fanOut$/);
    assert.equal(resize.blockRunId, parent.id);

    const firstPage = model.children(resize);
    assert.deepEqual(firstPage.map((n) => (n.kind === 'blockRun' ? n.block : n.kind)), ['resize[0]', 'resize[1]', 'loadMoreItems']);
    assert.match(itemView(firstPage[1] as BlockRunNode, Date.now()).description, /^"b\.jpg" · failed/);
    assert.equal(itemView(firstPage[2] ?? resize, Date.now()).description, '2 of 5 shown');
    model.loadMoreItems(resize);
    model.loadMoreItems(resize);
    const all = model.children(resize);
    assert.deepEqual(all.map((n) => (n.kind === 'blockRun' ? n.block : n.kind)), ['resize[0]', 'resize[1]', 'resize[2]', 'resize[3]', 'resize[4]']);

    // An item ends: the next refresh reports the run changed, and the block's counts follow.
    const item2 = all[2] as BlockRunNode;
    store.updateBlockRun(ids[2] ?? 0, { status: 'completed' });
    const changed = model.refresh();
    assert.ok(changed.includes(runNode), 'the run is re-rendered');
    const again = model.children(runNode) as BlockRunNode[];
    assert.equal(again[1], resize, 'nodes keep their identity');
    assert.match(itemView(resize, Date.now()).description, /^2\/5 ✓ 1 ✗/);
    assert.equal(model.children(resize)[2], item2);
    assert.equal(item2.record.status, 'completed');
  } finally {
    model.dispose();
    store.close();
    cleanup();
  }
});
