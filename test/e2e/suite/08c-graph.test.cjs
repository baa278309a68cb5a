// The pipeline graph panel, observed through pipelineStudio.internal.graphState (what each panel has
// sent its webview): it opens ready with the file's blocks, colours the run it follows, follows the
// text as it is edited (in memory, never saved), and keeps the last valid graph while the text is
// invalid. Every wait polls that state; nothing sleeps.
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');
const { FINISHED, command } = require('./runHelpers.cjs');

const GOOD_BLOCKS = ['extract', 'lint', 'report', 'transform'];
const AUDIT_BLOCK = '\n  audit:\n    depends_on: [report]\n    run: echo audit\n';
// A new block whose dependency does not exist: an error, so the graph must not take its blocks.
const BROKEN_BLOCK = '\n  broken_one:\n    depends_on: [nowhere]\n    run: echo never\n';

const sorted = (list) => [...list].sort();

/** The state of the graph panel of uri, or undefined when it has none. */
function graphState(uri) {
  return command('internal.graphState', uri.fsPath);
}

/** Resolves with the panel state once accept(state) holds, asking every 100 ms; the timeout shows the last one. */
async function untilGraph(uri, what, accept, timeoutMs = 20000) {
  const started = Date.now();
  for (;;) {
    const state = await graphState(uri);
    if (state !== undefined && accept(state)) return state;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last state: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function graphTabs() {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('pipelineStudio.graph'));
}

/** Closes every graph panel, so that later suites start without one watching the store. */
async function closeGraphs(uri) {
  const tabs = graphTabs();
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  const started = Date.now();
  while ((await graphState(uri)) !== undefined) {
    if (Date.now() - started > 10000) throw new Error('the graph panel did not go away after its tab was closed');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('Show Pipeline Graph opens a ready panel with the blocks of the file', async () => {
  const doc = await h.openFixture('good.pipeline.yaml');
  assert.equal(await graphState(doc.uri), undefined, 'a graph panel is open before the test');
  await command('showPipelineGraph', doc.uri);
  const state = await untilGraph(doc.uri, 'the ready panel with its blocks', (s) => s.ready && s.blocks.length > 0);
  assert.deepEqual(sorted(state.blocks), GOOD_BLOCKS);
  assert.equal(state.errorCount, 0);
  assert.equal(graphTabs().length, 1, 'one graph tab');
  // Showing it again reveals the same panel instead of opening a second.
  await command('showPipelineGraph', doc.uri);
  assert.equal(graphTabs().length, 1, 'showing the graph again opened another tab');
});

test('the graph follows a run: every block ends completed for that run', async () => {
  const uri = h.fixtureUri('good.pipeline.yaml');
  await command('showPipelineGraph', uri);
  await untilGraph(uri, 'the ready panel', (s) => s.ready);
  const runId = await command('runPipeline', uri, FINISHED);
  assert.equal(typeof runId, 'number', `runPipeline returned ${runId}`);
  const state = await untilGraph(
    uri,
    `run #${runId} completed in the graph`,
    (s) => s.runId === runId && s.runStatus === 'completed' && GOOD_BLOCKS.every((b) => s.statuses[b] === 'completed'),
  );
  assert.deepEqual(sorted(Object.keys(state.statuses)), GOOD_BLOCKS);
});

test('editing the text updates the graph; an invalid edit keeps the last valid blocks and counts the errors', async () => {
  const doc = await h.openFixture('good.pipeline.yaml');
  await command('showPipelineGraph', doc.uri);
  await untilGraph(doc.uri, 'the ready panel', (s) => s.ready && s.blocks.length === GOOD_BLOCKS.length);
  const withAudit = sorted([...GOOD_BLOCKS, 'audit']);
  try {
    await h.withEditedText(doc, (text) => text.trimEnd() + '\n' + AUDIT_BLOCK, async () => {
      const edited = await untilGraph(doc.uri, 'the added block', (s) => s.blocks.includes('audit'));
      assert.deepEqual(sorted(edited.blocks), withAudit);
      assert.equal(edited.errorCount, 0);

      await h.setText(doc, doc.getText().trimEnd() + '\n' + BROKEN_BLOCK);
      const invalid = await untilGraph(doc.uri, 'the error count of the invalid text', (s) => s.errorCount > 0);
      assert.deepEqual(sorted(invalid.blocks), withAudit, 'the invalid text replaced the last valid graph');
    });
    // withEditedText put the original text back: the graph returns to it, valid again.
    const restored = await untilGraph(doc.uri, 'the original blocks', (s) => s.errorCount === 0 && s.blocks.length === GOOD_BLOCKS.length);
    assert.deepEqual(sorted(restored.blocks), GOOD_BLOCKS);
  } finally {
    await closeGraphs(doc.uri);
  }
});
