import { test } from 'node:test';
import assert from 'node:assert/strict';
import { treeSnapshot } from '../../../client/src/history/treeSnapshot.ts';
import { finishedRun, modelFor, tempStore, writableStore } from './helpers.ts';

const DEPLOY = '/work/example/deploy.pipeline.yaml';

// Found by the end-to-end run suite: a pipeline's first run made the top level be read again, which
// moved the other pipelines' "latest run" forward without adding their new runs, so refresh()
// never saw them grow and they stayed out of the tree.
test('runs of a loaded pipeline still appear when another pipeline runs for the first time', () => {
  const { path, cleanup } = tempStore();
  const store = writableStore(path);
  const model = modelFor(path);
  try {
    finishedRun(store, 'completed');
    assert.deepEqual(treeSnapshot(model, 2).items[0]?.children?.map((r) => r.label), ['#1 completed']);
    finishedRun(store, 'completed');
    finishedRun(store, 'failed', { pipelineName: 'deploy', pipelineFile: DEPLOY });
    finishedRun(store, 'completed');
    model.refresh();
    const tree = treeSnapshot(model, 2);
    assert.deepEqual(tree.items.map((i) => i.label), ['deploy', 'etl']);
    assert.deepEqual(tree.items[1]?.children?.map((r) => r.label), ['#4 completed', '#2 completed', '#1 completed']);
    model.refresh();
    assert.deepEqual(treeSnapshot(model, 2).items[1]?.children?.map((r) => r.label), ['#4 completed', '#2 completed', '#1 completed']);
  } finally {
    model.dispose();
    store.close();
    cleanup();
  }
});
