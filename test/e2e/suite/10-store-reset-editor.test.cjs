// Wiping the history by hand (`rm -rf .pipelines`) while the window is open: the next run must
// create and use a new store, and everything that reads the store must follow it to the new file.
// Last in the suite, since it deletes the store the other tests build on.
'use strict';
const assert = require('node:assert/strict');
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

test('after the store is deleted by hand, the next run is recorded in a new one that the tree and the lenses show', async () => {
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

  // The tree follows the new file by itself (its watcher), without a Refresh.
  await untilResolved(`run #${runId} alone under 'good' in the Runs tree`, async () => {
    const snapshot = await command('internal.getRunsTree', 2);
    const pipeline = snapshot.items.find((i) => i.label === 'good');
    const labels = (pipeline && pipeline.children ? pipeline.children : []).map((r) => r.label);
    return JSON.stringify(labels) === JSON.stringify([`#${runId} completed`]) ? true : `shown: ${JSON.stringify(labels)}`;
  });

  const lens = await lastLensOf(doc, 'report');
  assert.ok(lens, 'no "Last:" lens after the new run');
  assert.equal(lens.command.arguments[0].runId, runId, `the lens points at run #${lens.command.arguments[0].runId} of the deleted store`);
});
