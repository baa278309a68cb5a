// The executions dashboard in a real workbench (extension host): Show Executions opens the panel,
// whose webview loads and asks for its query; a query set through the panel's command surface
// (pipelineStudio.internal.dashboardDrive, as the query box and toolbar do) gives the rows and
// total the store holds for it; a row's Open Log opens the log document; a batch cancel of a running run, from the panel, stops it.
// Checked in the store through a SQLite connection of the test's own. Waits are hang guards.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const { DatabaseSync } = require('node:sqlite');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');
const { FINISHED, command, untilResolved } = require('./runHelpers.cjs');
const { defaultStorePath, readRun } = require('./runStore.cjs');

const GUARD_MS = 90_000;
const QUICK = 'dash.pipeline.yaml';
const SLOW = 'dashslow.pipeline.yaml';
const state = () => command('internal.dashboardState');
const drive = (request) => command('internal.dashboardDrive', request);

/** Ids of the runs of a file as the store has them, newest first, optionally of one status. */
function storedIds(file, status) {
  const db = new DatabaseSync(defaultStorePath(), { readOnly: true });
  try {
    const rows = db.prepare(`SELECT id FROM pipeline_run WHERE pipeline_file = ?${status === undefined ? '' : ' AND status = ?'} ORDER BY id DESC`)
      .all(...[h.fixtureUri(file).fsPath, ...(status === undefined ? [] : [status])]);
    return rows.map((r) => Number(r.id));
  } finally {
    db.close();
  }
}

test('dashboard: Show Executions opens the panel and its webview asks for the query', async () => {
  fs.writeFileSync(h.fixtureUri(QUICK).fsPath, 'name: dash\nvariables:\n  code: 0\nblocks:\n  step:\n    run: echo step; exit ${{ vars.code }}\n');
  for (const code of [0, 0, 3, 0]) await command('runPipeline', h.fixtureUri(QUICK), { ...FINISHED, variables: { code } });
  await vscode.commands.executeCommand('pipelineStudio.showExecutions');
  await untilResolved('the dashboard webview ready', async () => {
    const s = await state();
    return (s !== undefined && s.ready === true && s.storePath === defaultStorePath()) || JSON.stringify(s);
  }, GUARD_MS);
}, { timeout: GUARD_MS * 3 });

test('dashboard: a query through the panel gives the rows and total the store has for it, sorted as asked', async () => {
  const all = storedIds(QUICK);
  assert.equal(all.length, 4, JSON.stringify(all));
  await drive({ query: 'pipeline:dash' });
  await untilResolved('the rows of pipeline:dash', async () => {
    const s = await state();
    return (s.query === 'pipeline:dash' && s.total === 4 && JSON.stringify(s.rows) === JSON.stringify(all)) || JSON.stringify(s);
  }, GUARD_MS);
  // Two terms, oldest first: the failed run is the only one left.
  await drive({ query: 'pipeline:dash status:failed', sort: { field: 'id', direction: 'asc' } });
  const failed = storedIds(QUICK, 'failed');
  assert.equal(failed.length, 1);
  await untilResolved('the failed run alone', async () => {
    const s = await state();
    return (s.total === 1 && JSON.stringify(s.rows) === JSON.stringify(failed) && s.problem === undefined) || JSON.stringify(s);
  }, GUARD_MS);
  // A bad query: no rows, its error with the column.
  await drive({ query: 'stauts:failed' });
  await untilResolved('the query error', async () => {
    const s = await state();
    return (/column 1/i.test(s.problem ?? '') && /status/.test(s.problem ?? '') && s.rows.length === 0) || JSON.stringify(s);
  }, GUARD_MS);
}, { timeout: GUARD_MS * 4 });

test("dashboard: a row's Open Log opens the run's block log as a document tab", async () => {
  const [runId] = storedIds(QUICK, 'failed');
  await drive({ open: { runId, target: 'log' } });
  const label = `step #${runId}.log`;
  await untilResolved('the log tab', async () => {
    const labels = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    return labels.includes(label) || JSON.stringify(labels);
  }, GUARD_MS);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'pipeline-log' && d.uri.path.endsWith(label));
  assert.ok(doc !== undefined);
  assert.match(doc.getText(), /step/);
}, { timeout: GUARD_MS * 2 });

test('dashboard: Cancel selected running stops a running run from the panel; it is recorded cancelled', async () => {
  fs.writeFileSync(h.fixtureUri(SLOW).fsPath, 'name: dashslow\nblocks:\n  wait:\n    run: sleep 600\n');
  const finished = command('runPipeline', h.fixtureUri(SLOW), FINISHED);
  await untilResolved('the slow run running', async () => storedIds(SLOW, 'running').length === 1 || JSON.stringify(storedIds(SLOW)), GUARD_MS);
  const [runId] = storedIds(SLOW, 'running');
  await drive({ query: 'pipeline:dashslow status:running' });
  await untilResolved('the running run in the panel', async () => {
    const s = await state();
    return JSON.stringify(s.rows) === JSON.stringify([runId]) || JSON.stringify(s);
  }, GUARD_MS);
  const after = await drive({ action: 'cancelSelected', runIds: [runId] });
  assert.match(after.lastAction ?? '', new RegExp(`#${runId}`), JSON.stringify(after));
  assert.equal(await finished, runId);
  const { run, blocks } = readRun(runId);
  assert.equal(run.status, 'cancelled', JSON.stringify(run));
  assert.equal(blocks.wait.status, 'cancelled');
  // Live: the panel's query no longer matches the run.
  await untilResolved('the panel to drop the cancelled run', async () => {
    const s = await state();
    return (s.total === 0 && s.rows.length === 0) || JSON.stringify(s);
  }, GUARD_MS);
}, { timeout: GUARD_MS * 4 });
