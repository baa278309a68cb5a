import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { treeSnapshot } from '../../../client/src/history/treeSnapshot.ts';
import type { BlockRunNode, PipelineNode, RunNode } from '../../../client/src/history/nodes.ts';
import { finishedRun, modelFor, newRun, tempStore, writableStore } from './helpers.ts';

const ETL = '/work/example/etl.pipeline.yaml';
const DEPLOY = '/work/example/deploy.pipeline.yaml';

test('pipelines, then runs newest first, then block runs with earlier attempts under the latest', () => {
  const { path, cleanup } = tempStore();
  const store = writableStore(path);
  const model = modelFor(path);
  try {
    finishedRun(store, 'completed');
    finishedRun(store, 'failed', { pipelineName: 'deploy', pipelineFile: DEPLOY });
    const run = store.createRun(newRun());
    store.updateRun(run.id, { status: 'running' });
    const first = store.createBlockRun({ runId: run.id, block: 'extract', status: 'running' });
    store.updateBlockRun(first.id, { status: 'failed', exitCode: 75 });
    store.createBlockRun({ runId: run.id, block: 'extract', status: 'running', attempt: 2 });

    const tree = treeSnapshot(model, 4);
    assert.equal(tree.state, 'ready');
    assert.deepEqual(tree.items.map((i) => i.label), ['deploy', 'etl']);
    const etl = tree.items[1];
    assert.deepEqual(etl?.children?.map((i) => i.label), ['#3 running', '#1 completed']);
    assert.match(etl?.children?.[0]?.contextValue ?? '', /^run status:running active$/);
    assert.match(tree.items[0]?.children?.[0]?.contextValue ?? '', /^run status:failed finished retryable$/);
    const blocks = etl?.children?.[0]?.children;
    assert.equal(blocks?.length, 1);
    assert.equal(blocks?.[0]?.label, 'extract');
    assert.match(blocks?.[0]?.description ?? '', /^running · .* · attempt 2$/);
    assert.equal(blocks?.[0]?.command, 'pipelineStudio.openBlockLog');
    assert.deepEqual(blocks?.[0]?.children?.map((i) => [i.label, i.description.split(' · ')[0]]), [['attempt 1', 'failed']]);
    assert.deepEqual(blocks?.[0]?.target, { runId: 3, storePath: path, file: ETL, block: 'extract', blockRunId: 4 });
  } finally {
    model.dispose();
    store.close();
    cleanup();
  }
});

test('paging: 50 runs a page, then "Load more" until the last page', () => {
  const { path, cleanup } = tempStore();
  const store = writableStore(path);
  const model = modelFor(path, 50);
  try {
    for (let i = 0; i < 120; i++) finishedRun(store, i % 3 === 0 ? 'failed' : 'completed');
    const pipeline = model.children()[0] as PipelineNode | undefined;
    assert.ok(pipeline);
    let page = model.children(pipeline);
    assert.equal(page.length, 51);
    assert.equal(page.at(-1)?.kind, 'loadMore');
    assert.equal((page[0] as RunNode).runId, 120);
    model.loadMore(pipeline);
    page = model.children(pipeline);
    assert.equal(page.length, 101);
    assert.equal((page[99] as RunNode).runId, 21);
    model.loadMore(pipeline);
    page = model.children(pipeline);
    assert.equal(page.length, 120);
    assert.ok(page.every((node) => node.kind === 'run'));
    assert.deepEqual(page.map((node) => node.runId), Array.from({ length: 120 }, (_, i) => 120 - i));
  } finally {
    model.dispose();
    store.close();
    cleanup();
  }
});

test('the filter narrows by status, pipeline and text, and says when nothing matches', () => {
  const { path, cleanup } = tempStore();
  const store = writableStore(path);
  const model = modelFor(path);
  try {
    finishedRun(store, 'completed', { variables: { region: 'eu-west' } });
    finishedRun(store, 'failed', { variables: { region: 'us-east' } });
    finishedRun(store, 'failed', { pipelineName: 'deploy', pipelineFile: DEPLOY, git: { commit: 'ffff000', branch: 'release/2', dirty: false } });
    const labels = (): string[][] => treeSnapshot(model, 2).items.map((p) => [p.label, ...(p.children ?? []).map((r) => r.label)]);

    model.setFilter({ status: 'failed' });
    assert.deepEqual(labels(), [['deploy', '#3 failed'], ['etl', '#2 failed']]);
    model.setFilter({ text: 'EU-WE' });
    assert.deepEqual(labels(), [['etl', '#1 completed']]);
    model.setFilter({ text: 'release/' });
    assert.deepEqual(labels(), [['deploy', '#3 failed']]);
    model.setFilter({ text: '#2' });
    assert.deepEqual(labels(), [['etl', '#2 failed']]);
    model.setFilter({ pipeline: DEPLOY });
    assert.deepEqual(labels(), [['deploy', '#3 failed']]);
    model.setFilter({ status: 'completed', text: 'us-east' });
    assert.deepEqual(labels(), []);
    assert.equal(model.state().state, 'noMatch');
    // % and _ are matched as themselves, not as LIKE wildcards.
    model.setFilter({ text: 'u_-e' });
    assert.deepEqual(labels(), []);
    model.setFilter({ text: 's%e' });
    assert.deepEqual(labels(), []);
    finishedRun(store, 'completed', { variables: { discount: '50%_off' } });
    model.setFilter({ text: '0%_O' });
    assert.deepEqual(labels(), [['etl', '#4 completed']]);
    model.setFilter({ text: '   ' });
    assert.equal(model.isFiltered(), false);
    assert.equal(labels().length, 2);
  } finally {
    model.dispose();
    store.close();
    cleanup();
  }
});

test('refresh is incremental: log output alone changes nothing, a status change fires only its run, a new run its pipeline', () => {
  const { path, cleanup } = tempStore();
  const store = writableStore(path);
  const model = modelFor(path);
  try {
    finishedRun(store, 'completed', { pipelineName: 'deploy', pipelineFile: DEPLOY });
    const run = store.createRun(newRun());
    store.updateRun(run.id, { status: 'running' });
    const block = store.createBlockRun({ runId: run.id, block: 'extract', status: 'running' });
    const pipelines = model.children() as PipelineNode[];
    const etl = pipelines.find((p) => p.file === ETL);
    assert.ok(etl);
    const [runNode] = model.children(etl) as RunNode[];
    assert.ok(runNode);
    assert.deepEqual(model.activeRuns(), [runNode]);
    const [blockNode] = model.children(runNode) as BlockRunNode[];
    assert.equal(blockNode?.record.status, 'running');
    assert.deepEqual(model.refresh(), [], 'nothing changed yet');

    const log = store.openLog(block.id);
    log.write('stdout', 'line\n'.repeat(1000));
    log.flush();
    assert.deepEqual(model.refresh(), [], 'a log write re-renders nothing');

    log.close();
    store.updateBlockRun(block.id, { status: 'completed', exitCode: 0 });
    assert.deepEqual(model.refresh(), [runNode], 'only the run whose block changed');
    assert.equal((model.children(runNode)[0] as BlockRunNode).record.status, 'completed');
    assert.equal(model.children(runNode)[0], blockNode, 'the same node object, so VS Code keeps its state');

    store.updateRun(run.id, { status: 'completed' });
    assert.deepEqual(model.refresh(), [runNode, etl], 'the run, and its pipeline whose latest status changed');
    assert.equal(runNode.run.status, 'completed');
    assert.deepEqual(model.activeRuns(), []);

    const next = store.createRun(newRun());
    const changed = model.refresh();
    assert.deepEqual(changed, [etl]);
    assert.deepEqual(model.children(etl).map((n) => (n as RunNode).runId), [next.id, run.id]);
    assert.equal(model.children(etl)[1], runNode);

    finishedRun(store, 'completed', { pipelineName: 'lint', pipelineFile: '/work/example/lint.pipeline.yaml' });
    assert.deepEqual(model.refresh(), [undefined], 'a new pipeline: the top level is read again');
  } finally {
    model.dispose();
    store.close();
    cleanup();
  }
});

test('no store yet is "no runs"; a corrupt store is an error message with a retry, never a throw; a replaced file is re-read', () => {
  const { path, cleanup } = tempStore();
  const model = modelFor(path);
  try {
    assert.deepEqual(model.children(), []);
    assert.equal(model.state().state, 'noRuns');
    assert.deepEqual(model.refresh(), []);

    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'this is not a database, it is a text file that happens to be here\n'.repeat(20));
    assert.deepEqual(model.refresh(), [undefined]);
    const [message] = treeSnapshot(model, 1).items;
    assert.equal(model.state().state, 'error');
    assert.match(model.state().message ?? '', /not a Pipeline Studio run store/);
    assert.equal(message?.kind, 'message');
    assert.equal(message?.command, 'pipelineStudio.refreshRuns');
    assert.match(readFileSync(path, 'utf8'), /^this is not a database/, 'left untouched');

    renameSync(path, `${path}.bad`);
    const store = writableStore(path);
    finishedRun(store, 'completed');
    store.close();
    assert.deepEqual(model.refresh(), [undefined]);
    const healed = treeSnapshot(model, 1);
    assert.equal(healed.state, 'ready');
    assert.deepEqual(healed.items.map((i) => i.label), ['etl']);
  } finally {
    model.dispose();
    cleanup();
  }
});

test('several workspace folders: one store each, a folder node each, messages inside', () => {
  const a = tempStore();
  const b = tempStore();
  const store = writableStore(a.path);
  try {
    finishedRun(store, 'completed');
    const model = modelFor(a.path);
    model.setStores([{ name: 'api', folderPath: a.dir, storePath: a.path }, { name: 'web', folderPath: b.dir, storePath: b.path }]);
    const tree = treeSnapshot(model, 3);
    assert.deepEqual(tree.items.map((i) => [i.kind, i.label]), [['folder', 'api'], ['folder', 'web']]);
    assert.deepEqual(tree.items[0]?.children?.map((i) => i.label), ['etl']);
    assert.deepEqual(tree.items[1]?.children?.map((i) => [i.kind, i.label]), [['message', 'No runs yet']]);
    model.dispose();
  } finally {
    store.close();
    a.cleanup();
    b.cleanup();
  }
});
