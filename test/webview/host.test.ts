import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../core/src/store/index.ts';
import { graphHtml } from '../../client/src/graph/graphHtml.ts';
import { graphModelOf } from '../../client/src/graph/graphModel.ts';
import { LayoutCache } from '../../client/src/graph/layoutCache.ts';
import { parseWebviewMessage } from '../../client/src/graph/messageValidation.ts';
import { parsePausedBody } from '../../client/src/graph/pausedEvent.ts';
import { changedBlocks, readRunView, runChoices, runViewUpdates } from '../../client/src/graph/runState.ts';
import { fastLayout } from '../../webview/src/layout/fastLayout.ts';
import { structureHash } from '../../webview/src/layout/structureHash.ts';
import { ROOT } from './lib/graphPage.ts';

// The host's VS-Code-free parts: the model it sends, the checks on what it receives, the run
// statuses it reads from a real SQLite store, and the layout cache.

test('the model of a pipeline text: blocks in file order, edges upstream → downstream, error count', () => {
  const file = join(ROOT, 'examples', 'etl.pipeline.yaml');
  const { model, errorCount, idOffsets } = graphModelOf(readFileSync(file, 'utf8'), file);
  assert.deepEqual(model.nodes.map((n) => n.id), ['extract', 'transform', 'check', 'load']);
  assert.deepEqual(model.edges, [[0, 1], [1, 2], [2, 3]]);
  assert.equal(errorCount, 0);
  const text = readFileSync(file, 'utf8');
  assert.equal(text.slice(idOffsets.get('check'), (idOffsets.get('check') ?? 0) + 5), 'check');

  const broken = graphModelOf('blocks:\n  a:\n    run: x\n  b:\n    depends_on: [a, nope]\n    run: y\n    timeout: soon\n', 'x.pipeline.yaml');
  assert.deepEqual(broken.model.edges, [[0, 1]], 'unknown dependencies are left out');
  assert.equal(broken.errorCount, 2);
});

test('messages from the webview are checked field by field; anything else is dropped', () => {
  const known = new Set(['build', 'test']);
  assert.deepEqual(parseWebviewMessage({ type: 'revealBlock', block: 'build' }, known), { type: 'revealBlock', block: 'build' });
  assert.deepEqual(parseWebviewMessage({ type: 'blockCommand', command: 'runFromBlock', block: 'test' }, known), { type: 'blockCommand', command: 'runFromBlock', block: 'test' });
  // The node menu's "Run On…" (pipelineStudio.runBlockOn).
  assert.deepEqual(parseWebviewMessage({ type: 'blockCommand', command: 'runBlockOn', block: 'test' }, known), { type: 'blockCommand', command: 'runBlockOn', block: 'test' });
  assert.deepEqual(parseWebviewMessage({ type: 'ready', direction: 'DOWN' }, known), { type: 'ready', direction: 'DOWN' });
  const rejected: unknown[] = [
    null, 'ready', [], { type: 'nope' },
    { type: 'revealBlock', block: 'unknown' },
    { type: 'revealBlock', block: '../../etc/passwd' },
    { type: 'blockCommand', command: 'workbench.action.terminal.sendSequence', block: 'build' },
    { type: 'toolbar', command: 'deleteRun' },
    { type: 'selectRun', runId: -1 }, { type: 'selectRun', runId: 1.5 }, { type: 'selectRun', runId: '3' },
    { type: 'direction', direction: 'LEFT' },
    { type: 'layoutDone', layout: { hash: 'h', direction: 'RIGHT', width: 1, height: 1, boxes: [1, 2, 3], routes: [] } },
    { type: 'layoutDone', layout: { hash: 'h', direction: 'RIGHT', width: 1, height: 1, boxes: [0, 0, 1, Infinity], routes: [] } },
    { type: 'layoutDone', layout: { hash: 'h', direction: 'RIGHT', width: 1, height: 1, boxes: [0, 0, 1, 1], routes: [['x']] } },
  ];
  for (const raw of rejected) assert.equal(parseWebviewMessage(raw, known), undefined, JSON.stringify(raw));
});

test('the page has a nonce CSP, no inline script, and takes resources from its own origin only', () => {
  const html = graphHtml({ cspSource: 'https://res.example', scriptUri: 'https://res.example/main.js', styleUri: 'https://res.example/main.css', workerUri: 'https://res.example/w.js', nonce: 'abc' });
  assert.match(html, /default-src 'none'; script-src 'nonce-abc'; style-src https:\/\/res\.example;/);
  assert.match(html, /worker-src blob:/);
  assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.match(html, /<script nonce="abc" src="https:\/\/res\.example\/main\.js"><\/script>/);
});

test('run statuses come from the store: latest attempt, attempts, duration, progress; changes are diffed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'graph-host-'));
  const store = openStore(join(dir, 'runs.sqlite'));
  try {
    const run = store.createRun({ pipelineName: 'p', pipelineFile: '/w/p.pipeline.yaml', trigger: 'manual', mode: 'all', selection: [], sourceRunId: undefined, variables: {}, git: undefined });
    store.updateRun(run.id, { status: 'running', startedAt: 1000 });
    store.createBlockRun({ runId: run.id, block: 'a', status: 'failed', attempt: 1, startedAt: 1000, finishedAt: 1500 });
    store.createBlockRun({ runId: run.id, block: 'a', status: 'completed', attempt: 2, startedAt: 2000, finishedAt: 4200 });
    const b = store.createBlockRun({ runId: run.id, block: 'b', status: 'running', attempt: 1, startedAt: 4300 });
    store.createBlockRun({ runId: run.id, block: 'c', status: 'skipped', attempt: 0 });
    const before = readRunView(store, run.id);
    assert.deepEqual(before?.blocks, { a: { status: 'completed', durationMs: 3200, attempts: 2 }, b: { status: 'running', attempts: 1 }, c: { status: 'skipped' } });
    assert.deepEqual(before?.header, { runId: run.id, status: 'running', startedAt: 1000, done: 1, total: 2 });
    store.updateBlockRun(b.id, { status: 'completed', finishedAt: 5300 });
    const after = readRunView(store, run.id);
    assert.deepEqual(changedBlocks(before?.blocks ?? {}, after?.blocks ?? {}), ['b']);
    assert.equal(after?.header.done, 2);
    assert.deepEqual(runViewUpdates(before, after).map((m) => m.type === 'status' ? m.block : m.type), ['b']);
    const choices = runChoices(store, '/w/p.pipeline.yaml', 1000 + 10_000);
    assert.equal(choices.length, 1);
    assert.equal(choices[0]?.runId, run.id);
    assert.match(choices[0]?.label ?? '', new RegExp(`^#${run.id} running · `));
    // The run ends in a write of its own after its last block's: no block changed, the header did.
    store.updateRun(run.id, { status: 'completed', finishedAt: 5400 });
    const finished = readRunView(store, run.id);
    const updates = runViewUpdates(after, finished!);
    assert.deepEqual(updates.map((m) => m.type), ['run'], 'the end of the run was not sent to the graph');
    assert.equal(updates[0]?.type === 'run' ? updates[0].run?.status : undefined, 'completed');
    assert.deepEqual(runViewUpdates(finished!, readRunView(store, run.id)!), [], 'an unchanged run sends nothing');
    assert.equal(readRunView(store, 999), undefined);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the layout cache keeps recent layouts by structure hash and ignores corrupt entries', () => {
  const memory = new Map<string, unknown>();
  const cache = new LayoutCache({ get: (k) => memory.get(k), update: (k, v) => Promise.resolve(void memory.set(k, v)) });
  const layouts = [3, 4, 5, 6, 7, 8, 9].map((n) => {
    const model = { pipelineName: 'x', nodes: Array.from({ length: n }, (_v, i) => ({ id: `b${i}` })), edges: [[0, 1]] as [number, number][] };
    return fastLayout(model, 'RIGHT', structureHash(model, 'RIGHT'));
  });
  for (const l of layouts) cache.put(l);
  assert.equal(cache.get(layouts[0]?.hash ?? ''), undefined, 'the oldest is evicted');
  assert.deepEqual(cache.get(layouts[6]?.hash ?? ''), layouts[6]);
  memory.set('pipelineStudio.graph.layouts', [{ hash: layouts[6]?.hash, boxes: 'corrupt' }]);
  assert.equal(cache.get(layouts[6]?.hash ?? ''), undefined);
});

test('the structure hash changes with blocks, edges and direction, not with descriptions', () => {
  const a = { pipelineName: 'x', nodes: [{ id: 'a' }, { id: 'b' }], edges: [[0, 1]] as [number, number][] };
  const h = structureHash(a, 'RIGHT');
  assert.equal(structureHash({ ...a, nodes: [{ id: 'a', description: 'new' }, { id: 'b' }] }, 'RIGHT'), h);
  assert.notEqual(structureHash(a, 'DOWN'), h);
  assert.notEqual(structureHash({ ...a, edges: [] }, 'RIGHT'), h);
  assert.notEqual(structureHash({ ...a, nodes: [{ id: 'a' }, { id: 'c' }] }, 'RIGHT'), h);
});

test('the debugger\'s paused event body is checked like any input', () => {
  assert.deepEqual(parsePausedBody({ file: '/p/a.pipeline.yaml', blocks: ['build', 'test'] }), { file: '/p/a.pipeline.yaml', blocks: ['build', 'test'] });
  assert.deepEqual(parsePausedBody({ file: '/p/a.pipeline.yaml', blocks: [] }), { file: '/p/a.pipeline.yaml', blocks: [] }, 'empty: nothing paused');
  for (const bad of [undefined, null, 'x', {}, { file: '', blocks: [] }, { file: 3, blocks: [] }, { file: '/p', blocks: 'build' }, { file: '/p', blocks: ['a', 1] }]) {
    assert.equal(parsePausedBody(bad), undefined, JSON.stringify(bad));
  }
});
