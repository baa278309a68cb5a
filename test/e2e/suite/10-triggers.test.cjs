// Triggers in a real workbench: enabled for the workspace, an every-5s trigger of a new pipeline file
// fires runs in the runner service (real timers), which appear in the store and the Runs tree, and
// the Upcoming view follows. Waits are hang guards (>= 60 s), never sleeps that measure speed.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');
const { command, untilResolved } = require('./runHelpers.cjs');
const { defaultStorePath } = require('./runStore.cjs');
const { DatabaseSync } = require('node:sqlite');

const FILE = 'trig.pipeline.yaml';
const GUARD_MS = 90_000;
const upcoming = () => command('internal.getUpcoming');
const tickRow = (u) => u.rows.find((r) => r.label === 'tick');
const tickNext = (u) => u.triggers.find((t) => t.trigger === 'tick')?.next;

/** Runs of the trigger pipeline as recorded: [{ id, status, trigger }]. */
function triggeredRuns() {
  if (!fs.existsSync(defaultStorePath())) return [];
  const db = new DatabaseSync(defaultStorePath(), { readOnly: true });
  try {
    return db.prepare('SELECT id, status, trigger, variables FROM pipeline_run WHERE pipeline_file = ? ORDER BY id').all(h.fixtureUri(FILE).fsPath);
  } finally {
    db.close();
  }
}

test('triggers: nothing is scheduled before the workspace enables triggers', async () => {
  fs.writeFileSync(h.fixtureUri(FILE).fsPath, 'triggers:\n  tick:\n    every: 5s\n    variables: { who: trigger }\n  nightly:\n    cron: "0 3 * * *"\nvariables:\n  who: nobody\nblocks:\n  hello:\n    run: echo hello ${{ vars.who }}\n');
  const ext = vscode.extensions.getExtension(h.EXTENSION_ID);
  await ext.activate();
  const before = await upcoming();
  assert.equal(before.active, false, JSON.stringify(before));
  assert.match(before.rows[0].label, /not enabled|off/);
  assert.deepEqual(triggeredRuns(), []);
}, { timeout: GUARD_MS });

test('triggers: enabled, an every-5s trigger fires runs that appear in the Runs tree, and Upcoming moves on', async () => {
  assert.equal(await command('triggers.enableForWorkspace'), true);
  await untilResolved('the tick trigger in Upcoming', async () => {
    const u = await upcoming();
    return tickRow(u) !== undefined || JSON.stringify(u);
  }, GUARD_MS);
  const first = await upcoming();
  assert.match(tickRow(first).description, /^trig · \S+ \d\d:\d\d(:\d\d)? \((in \d+ s|now)\)$/);
  assert.equal(tickRow(first).contextValue, 'trigger.enabled');
  const firstNext = tickNext(first);
  await untilResolved('two completed triggered runs', () => {
    const runs = triggeredRuns().filter((r) => r.status === 'completed');
    return runs.length >= 2 || JSON.stringify(triggeredRuns());
  }, GUARD_MS);
  const runs = triggeredRuns();
  assert.ok(runs.every((r) => r.trigger === 'schedule:tick'), JSON.stringify(runs));
  await untilResolved('Upcoming to move past the fired tick', async () => {
    const next = tickNext(await upcoming());
    return next > firstNext || `${next} <= ${firstNext}`;
  }, GUARD_MS);
  const done = runs.find((r) => r.status === 'completed');
  await untilResolved('the triggered run in the Runs tree', async () => {
    const tree = await command('internal.getRunsTree', 2);
    const pipeline = tree.items.find((i) => i.label === 'trig');
    return (pipeline !== undefined && pipeline.children.some((c) => c.label === `#${done.id} completed`)) || JSON.stringify(tree.items.map((i) => [i.label, (i.children || []).map((c) => c.label)]));
  }, GUARD_MS);
}, { timeout: 4 * GUARD_MS });

/** Triggers disabled in the store, for every window and scheduler on it: ['<file>#<trigger>']. */
function disabledInStore() {
  const db = new DatabaseSync(defaultStorePath(), { readOnly: true });
  try {
    return db.prepare('SELECT pipeline_file, trigger FROM trigger_disabled ORDER BY 1, 2').all().map((r) => `${r.pipeline_file}#${r.trigger}`);
  } finally {
    db.close();
  }
}

test('triggers: Disable keeps a trigger listed as disabled and stops it; Run Now runs it with its variables; Go to Definition opens it', async () => {
  const row = (await upcoming()).triggers.find((t) => t.trigger === 'tick');
  await command('triggers.disableTrigger', { file: row.file, trigger: 'tick' });
  await untilResolved('tick shown as disabled', async () => {
    const r = tickRow(await upcoming());
    return (r !== undefined && r.contextValue === 'trigger.disabled' && /disabled/.test(r.description)) || JSON.stringify(r);
  }, GUARD_MS);
  // Kept in the store, not in this window: another window or the headless scheduler honours it too.
  assert.deepEqual(disabledInStore(), [`${row.file}#tick`]);
  // Runs fired before the disable may still be finishing; after them, none starts.
  await untilResolved('the runs in flight to end', () => triggeredRuns().every((r) => r.status !== 'running' && r.status !== 'initial') || JSON.stringify(triggeredRuns()), GUARD_MS);
  const settled = triggeredRuns().length;
  const runId = await command('triggers.runNow', { file: row.file, trigger: 'tick' });
  assert.equal(typeof runId, 'number');
  await untilResolved('the Run Now run to complete', () => triggeredRuns().some((r) => r.id === runId && r.status === 'completed') || JSON.stringify(triggeredRuns()), GUARD_MS);
  // Only the Run Now run was added: the disabled trigger fired nothing in the meantime.
  assert.equal(triggeredRuns().length, settled + 1, JSON.stringify(triggeredRuns()));
  const ran = triggeredRuns().find((r) => r.id === runId);
  assert.equal(ran.trigger, 'schedule:tick');
  assert.deepEqual(JSON.parse(ran.variables), { who: 'trigger' });
  await command('triggers.goToDefinition', { file: row.file, trigger: 'tick', offset: row.offset });
  const editor = vscode.window.activeTextEditor;
  assert.equal(editor.document.uri.fsPath, row.file);
  assert.equal(editor.document.getText(editor.selection), 'tick');
  const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', editor.document.uri);
  const titles = lenses.map((l) => l.command && l.command.title).filter(Boolean);
  assert.ok(titles.some((t) => /^disabled · next: /.test(t)), JSON.stringify(titles));
  assert.ok(titles.some((t) => /^next: \S+ 03:00 \(in \d+ h\)$/.test(t)), JSON.stringify(titles));
  assert.ok(titles.includes('Run now'), JSON.stringify(titles));
  await command('triggers.enableTrigger', { file: row.file, trigger: 'tick' });
  await untilResolved('tick enabled again in the store', () => disabledInStore().length === 0 || JSON.stringify(disabledInStore()), GUARD_MS);
  await command('triggers.disableForWorkspace');
  assert.equal((await upcoming()).active, false);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  fs.rmSync(path.join(h.workspaceRoot().fsPath, FILE), { force: true });
}, { timeout: 4 * GUARD_MS });
