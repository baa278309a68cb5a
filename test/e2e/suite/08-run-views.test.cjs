// What a run leaves to look at in the editor: the Runs tree (as plain data through the
// pipelineStudio.internal.getRunsTree command), the `pipeline-log:` documents, and the code lenses
// above blocks, which also start runs with their own arguments.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');
const { FINISHED, command } = require('./runHelpers.cjs');
const { readRun, blockStatuses, latestRunOf } = require('./runStore.cjs');

const good = () => h.fixtureUri('good.pipeline.yaml');
const tree = () => command('internal.getRunsTree', 3);
const RUN_LENSES = ['▶ Run block', 'Run up to here', 'Run from here'];

/** The run item `#runId …` under the pipeline item labelled `pipeline`, from a fresh snapshot. */
async function runItem(pipeline, runId) {
  const snapshot = await tree();
  assert.equal(snapshot.state, 'ready', JSON.stringify(snapshot));
  const owner = snapshot.items.find((i) => i.label === pipeline);
  assert.ok(owner, `no pipeline '${pipeline}' in the tree: ${snapshot.items.map((i) => i.label).join(', ')}`);
  const item = (owner.children || []).find((r) => r.label.startsWith(`#${runId} `));
  assert.ok(item, `no run #${runId} under '${pipeline}': ${(owner.children || []).map((r) => r.label).join(', ')}`);
  return item;
}

/** Resolves with the document's text once accept(text) holds: checked now and on every change. */
function documentText(doc, accept, what, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    const finish = (fn, value) => {
      clearTimeout(timer);
      sub.dispose();
      fn(value);
    };
    const timer = setTimeout(() => finish(reject, new Error(`timed out waiting for ${what}; the document has:\n${doc.getText()}`)), timeoutMs);
    const sub = vscode.workspace.onDidChangeTextDocument((e) => e.document === doc && accept(doc.getText()) && finish(resolve, doc.getText()));
    if (accept(doc.getText())) finish(resolve, doc.getText());
  });
}

/** Code lens titles by block id, for the blocks of doc (lenses sit on the block's id). */
async function lensTitles(doc) {
  const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri, 100);
  const byBlock = {};
  for (const lens of lenses || []) {
    const id = doc.getText(doc.getWordRangeAtPosition(lens.range.start, /[\w-]+/));
    (byBlock[id] = byBlock[id] || []).push(lens);
  }
  return byBlock;
}

test('the Runs tree shows a finished run with its status and its block runs', async () => {
  const runId = await command('runPipeline', good(), { ...FINISHED, variables: { region: 'tree-test' } });
  assert.equal(typeof runId, 'number');
  const item = await runItem('good', runId);
  assert.equal(item.label, `#${runId} completed`);
  assert.equal(item.icon.id, 'pass');
  assert.match(item.description, /just now/);
  // Markdown: the hyphen comes escaped.
  assert.match(item.tooltip, /region = "tree\\?-test"/, `the tooltip does not show the variables: ${item.tooltip}`);
  assert.deepEqual(item.children.map((b) => b.label).sort(), ['extract', 'lint', 'report', 'transform']);
  for (const block of item.children) {
    assert.equal(block.kind, 'blockRun');
    assert.equal(block.command, 'pipelineStudio.openBlockLog');
    assert.equal(block.target.runId, runId);
  }
});

test('the Runs tree shows a failed run: failed and upstream_failed block runs', async () => {
  fs.rmSync(path.join(h.workspaceRoot().fsPath, '.e2e-fixed'), { force: true });
  const runId = await command('runPipeline', h.fixtureUri('failing.pipeline.yaml'), FINISHED);
  assert.deepEqual(blockStatuses(readRun(runId)), { setup: 'completed', compile: 'failed', package: 'upstream_failed', publish: 'upstream_failed' });
  const item = await runItem('failing', runId);
  assert.equal(item.label, `#${runId} failed`);
  assert.ok(item.contextValue.split(' ').includes('retryable'), `context: ${item.contextValue}`);
  const icons = Object.fromEntries(item.children.map((b) => [b.label, b.icon.id]));
  assert.deepEqual(icons, { setup: 'pass', compile: 'error', package: 'arrow-circle-up', publish: 'arrow-circle-up' });
  assert.match(item.children.find((b) => b.label === 'compile').description, /exit 3|exit code 3/);
});

test("clicking a block run opens its pipeline-log: document with the block's output", async () => {
  const runId = latestRunOf(good().fsPath).id;
  const report = (await runItem('good', runId)).children.find((b) => b.label === 'report');
  await command('openBlockLog', report.target);
  const editor = await h.poll('the log editor', () => {
    const active = vscode.window.activeTextEditor;
    return active && active.document.uri.scheme === 'pipeline-log' ? active : undefined;
  });
  assert.match(editor.document.uri.path, new RegExp(`report #${runId}`));
  const text = editor.document.getText();
  assert.match(text, /report to tree-test/);
  assert.ok(!text.includes('\u001b'), 'ANSI escapes left in the log');
});

test('the log document of a running block follows its output live', async () => {
  const ws = h.workspaceRoot().fsPath;
  const pidsFile = path.join(ws, '.e2e-sleeper.pids');
  fs.rmSync(pidsFile, { force: true });
  const finished = command('runPipeline', h.fixtureUri('slow.pipeline.yaml'), FINISHED);
  await h.poll('the sleeper block to start', () => fs.existsSync(pidsFile) && fs.readFileSync(pidsFile, 'utf8').trim() !== '', { timeoutMs: 20000 });
  const runId = latestRunOf(h.fixtureUri('slow.pipeline.yaml').fsPath).id;
  try {
    await command('openBlockLog', { storePath: path.join(ws, '.pipelines', 'runs.sqlite'), runId, block: 'sleeper' });
    const doc = await h.poll('the log editor', () => vscode.window.activeTextEditor && vscode.window.activeTextEditor.document.uri.scheme === 'pipeline-log' && vscode.window.activeTextEditor.document);
    await documentText(doc, (t) => /sleeping as \d+/.test(t), "the block's first line");
    assert.doesNotMatch(doc.getText(), /cancelled/);
    assert.equal(await command('cancelRun', runId), true);
    await documentText(doc, (t) => /cancelled/.test(t), 'the end of the block in its log');
  } finally {
    await command('cancelRun', runId);
    await finished;
  }
});

test('code lenses above every block run it, up to it and from it; after a run they show its result', async () => {
  const doc = await h.openFixture('good.pipeline.yaml');
  assert.ok(latestRunOf(good().fsPath), 'needs an earlier run of good.pipeline.yaml');
  const byBlock = await lensTitles(doc);
  assert.deepEqual(Object.keys(byBlock).sort(), ['extract', 'lint', 'report', 'transform']);
  for (const [block, lenses] of Object.entries(byBlock)) {
    const titles = lenses.map((l) => l.command.title);
    for (const want of RUN_LENSES) assert.ok(titles.includes(want), `${block}: ${JSON.stringify(titles)}`);
    assert.ok(titles.some((t) => /^Last: ✓ completed \d/.test(t)), `${block} has no "Last:" lens: ${JSON.stringify(titles)}`);
  }
  // "Run from here" above transform, invoked with the lens's own arguments.
  const lens = byBlock.transform.find((l) => l.command.title === 'Run from here');
  const runId = await vscode.commands.executeCommand(lens.command.command, ...lens.command.arguments, FINISHED);
  const { run, blocks } = readRun(runId);
  assert.equal(run.mode, 'from');
  assert.deepEqual(blockStatuses({ blocks }), { extract: 'skipped', lint: 'skipped', report: 'completed', transform: 'completed' });
  // The "Last:" lens of a block opens the log of its latest run.
  const last = (await lensTitles(doc)).report.find((l) => l.command.title.startsWith('Last:'));
  assert.equal(last.command.arguments[0].runId, runId);
  await vscode.commands.executeCommand(last.command.command, ...last.command.arguments);
  await h.poll('the log of the latest report', () => {
    const active = vscode.window.activeTextEditor;
    return active && active.document.uri.scheme === 'pipeline-log' && active.document.uri.path.includes(`report #${runId}`);
  });
});
