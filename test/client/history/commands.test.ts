import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../../core/src/store/index.ts';
import { validatePipeline } from '../../../core/src/index.ts';
import { EXAMPLE_PIPELINE, examplePipelinePath } from '../../../client/src/history/examplePipeline.ts';
import { HistoryModel } from '../../../client/src/history/historyModel.ts';
import { exportRun } from '../../../client/src/history/runExport.ts';
import { blockTargetOf, resolveBlockRunId, runTargetOf, withWritableStore } from '../../../client/src/history/targets.ts';
import { treeSnapshot } from '../../../client/src/history/treeSnapshot.ts';
import type { BlockRunNode, PipelineNode, RunNode } from '../../../client/src/history/nodes.ts';
import { finishedRun, modelFor, newRun, tempStore, writableStore } from './helpers.ts';

test('tree items carry { runId, storePath, file, block } as own properties for the run commands', () => {
  const { path, cleanup } = tempStore();
  const store = writableStore(path);
  const model = modelFor(path);
  try {
    const runId = finishedRun(store, 'failed');
    const pipeline = model.children()[0] as PipelineNode;
    const run = model.children(pipeline)[0] as RunNode;
    const block = model.children(run)[0] as BlockRunNode;
    assert.deepEqual(runTargetOf(run), { runId, storePath: path, file: '/work/example/etl.pipeline.yaml' });
    assert.deepEqual({ ...block, parent: undefined, run: undefined, record: undefined, earlier: undefined, items: undefined }, {
      kind: 'blockRun', parent: undefined, run: undefined, runId, storePath: path, file: '/work/example/etl.pipeline.yaml', block: 'extract', blockRunId: 1, record: undefined, earlier: undefined, items: undefined,
    });
    assert.equal(runTargetOf({ runId: 0, storePath: path }), undefined);
    assert.equal(runTargetOf('nonsense'), undefined);
    assert.equal(blockTargetOf({ storePath: path, runId }), undefined, 'a run without a block names no log');
    const byName = blockTargetOf({ storePath: path, runId, block: 'extract' });
    assert.ok(byName);
    assert.equal(resolveBlockRunId(store, byName), 1);
  } finally {
    model.dispose();
    store.close();
    cleanup();
  }
});

test('export: the run, every block run and its log as plain text', () => {
  const { path, cleanup } = tempStore();
  const store = writableStore(path);
  try {
    const run = store.createRun(newRun());
    const block = store.createBlockRun({ runId: run.id, block: 'extract', status: 'running' });
    const log = store.openLog(block.id);
    log.write('stdout', '\x1b[31mhello\x1b[0m\n');
    log.close();
    store.updateBlockRun(block.id, { status: 'completed', exitCode: 0, outputs: { rows: '3' } });
    store.updateRun(run.id, { status: 'completed' });
    const data = exportRun(store, run.id, Date.UTC(2026, 0, 1));
    assert.equal(data?.format, 'pipeline-studio.run');
    assert.equal(data?.exportedAt, '2026-01-01T00:00:00.000Z');
    assert.equal(data?.run.status, 'completed');
    assert.deepEqual(data?.blockRuns.map((b) => [b.block, b.status, b.outputs, b.log]), [['extract', 'completed', { rows: '3' }, 'hello\n']]);
    assert.equal(exportRun(store, 99), undefined);
  } finally {
    store.close();
    cleanup();
  }
});

test('a write to a broken store comes back as a message, and the file is left alone', () => {
  const { dir, cleanup } = tempStore();
  try {
    const path = join(dir, 'not-a-store.sqlite');
    writeFileSync(path, 'hello, I am a text file, not a database at all; please do not overwrite me\n');
    const result = withWritableStore(path, (store) => store.deleteRun(1));
    assert.ok('error' in result);
    assert.match(result.error, /not a Pipeline Studio run store/);
  } finally {
    cleanup();
  }
});

test('the example pipeline validates clean and never overwrites a file', () => {
  const result = validatePipeline(EXAMPLE_PIPELINE);
  assert.deepEqual(result.diagnostics, []);
  const { dir, cleanup } = tempStore();
  try {
    assert.equal(examplePipelinePath(dir), join(dir, 'example.pipeline.yaml'));
    writeFileSync(join(dir, 'example.pipeline.yaml'), 'mine');
    assert.equal(examplePipelinePath(dir), join(dir, 'example-2.pipeline.yaml'));
    assert.ok(!existsSync(join(dir, 'example-2.pipeline.yaml')));
  } finally {
    cleanup();
  }
});

test('node:sqlite driver: the same tree, read-only', () => {
  const { path, cleanup } = tempStore();
  const store = openStore(path, { driver: 'node:sqlite' });
  const model = new HistoryModel({ driver: 'node:sqlite' });
  model.setStores([{ name: 'w', folderPath: '/w', storePath: path }]);
  try {
    finishedRun(store, 'completed');
    finishedRun(store, 'failed');
    const tree = treeSnapshot(model, 3);
    assert.deepEqual(tree.items[0]?.children?.map((r) => r.label), ['#2 failed', '#1 completed']);
    assert.deepEqual(tree.items[0]?.children?.[0]?.children?.map((b) => b.description.split(' · ')[0]), ['failed']);
  } finally {
    model.dispose();
    store.close();
    cleanup();
  }
});
