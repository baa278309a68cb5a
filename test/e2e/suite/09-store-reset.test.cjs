// Wiping the history by hand (`rm -rf .pipelines`) while the window is open, then running from the
// CLI or from the editor: everything that reads the store must follow it to the new file.
// Last in the suite, since it deletes the store the other tests build on.
'use strict';
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');
const { FINISHED, command, untilResolved } = require('./runHelpers.cjs');
const { readRun, blockStatuses, defaultStorePath } = require('./runStore.cjs');

const good = () => h.fixtureUri('good.pipeline.yaml');

async function lastLensOf(doc, block) {
  const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri, 100)) || [];
  const line = h.lineOf(doc, `  ${block}:`);
  return lenses.find((l) => l.range.start.line === line && l.command && l.command.title.startsWith('Last:'));
}

test('after the store is deleted by hand, a CLI run makes a new one that the tree and the lenses show', async () => {
  const doc = await h.openFixture('good.pipeline.yaml');
  // Everything in the window that keeps the store open has it open: the tree and the lenses.
  // Two runs, so that the old store's latest run number differs from the new store's first.
  await command('runPipeline', good(), FINISHED);
  const before = await command('runPipeline', good(), FINISHED);
  assert.ok(before > 1, `run number ${before}`);
  assert.ok(await lastLensOf(doc, 'report'), 'no "Last:" lens before the store is deleted');
  assert.ok((await command('internal.getRunsTree', 2)).items.length > 0);

  fs.rmSync(path.dirname(defaultStorePath()), { recursive: true, force: true });
  const cli = path.join(vscode.extensions.getExtension(h.EXTENSION_ID).extensionPath, 'dist', 'cli.cjs');
  const run = spawnSync(process.execPath, [cli, 'run', 'good.pipeline.yaml'], {
    cwd: h.workspaceRoot().fsPath,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  assert.equal(run.status, 0, run.stderr + run.stdout);
  const runId = 1;
  const recorded = readRun(runId);
  assert.ok(recorded, `run #${runId} is not in the new store`);
  assert.deepEqual(blockStatuses(recorded), { extract: 'completed', lint: 'completed', report: 'completed', transform: 'completed' });

  await expectWindowFollows(doc, runId);
});

test('after the store is deleted by hand, the next run from the editor is recorded in a new one that the tree and the lenses show', async () => {
  const doc = await h.openFixture('good.pipeline.yaml');
  // Everything that keeps the store open has it open: the runner, the tree and the lenses.
  const before = await command('runPipeline', good(), FINISHED);
  assert.equal(typeof before, 'number');
  assert.ok(await lastLensOf(doc, 'report'), 'no "Last:" lens before the store is deleted');
  assert.ok((await command('internal.getRunsTree', 2)).items.length > 0);

  fs.rmSync(path.dirname(defaultStorePath()), { recursive: true, force: true });
  const runId = await command('runPipeline', good(), FINISHED);
  assert.equal(typeof runId, 'number');
  assert.ok(fs.existsSync(defaultStorePath()), 'the run did not create a new store');
  const recorded = readRun(runId);
  assert.ok(recorded, `run #${runId} is not in the new store`);
  assert.deepEqual(blockStatuses(recorded), { extract: 'completed', lint: 'completed', report: 'completed', transform: 'completed' });
  assert.equal(runId, 1, 'the new store should start counting runs again');

  await expectWindowFollows(doc, runId);
});

/** The tree (by its watcher, without a Refresh) and the "Last:" lens show run `runId` of the new store. */
async function expectWindowFollows(doc, runId) {
  await untilResolved(`run #${runId} alone under 'good' in the Runs tree`, async () => {
    const snapshot = await command('internal.getRunsTree', 2);
    const pipeline = snapshot.items.find((i) => i.label === 'good');
    const labels = (pipeline && pipeline.children ? pipeline.children : []).map((r) => r.label);
    return JSON.stringify(labels) === JSON.stringify([`#${runId} completed`]) ? true : `shown: ${JSON.stringify(labels)}`;
  });

  const lens = await lastLensOf(doc, 'report');
  assert.ok(lens, 'no "Last:" lens after the new run');
  assert.equal(lens.command.arguments[0].runId, runId, `the lens points at run #${lens.command.arguments[0].runId} of the deleted store`);
}
