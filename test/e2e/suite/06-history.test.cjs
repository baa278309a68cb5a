'use strict';
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const { EXTENSION_ID, openFixture, poll, workspaceRoot } = require('./helpers.cjs');

const tree = () => vscode.commands.executeCommand('pipelineStudio.internal.getRunsTree', 3);

test('an empty store shows the welcome state, then a CLI run appears by itself', async () => {
  await openFixture('good.pipeline.yaml');
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  await poll('activation', () => ext.isActive, { timeoutMs: 20000 });
  const empty = await tree();
  assert.equal(empty.items.length, 0, JSON.stringify(empty));
  assert.equal(empty.state, 'noRuns');
  const ws = workspaceRoot().fsPath;
  const cli = path.join(ext.extensionPath, 'dist', 'cli.cjs');
  const run = spawnSync(process.execPath, [cli, 'run', 'good.pipeline.yaml'], { cwd: ws, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  assert.equal(run.status, 0, run.stderr + run.stdout);
  let snapshot;
  await new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = async () => {
      snapshot = await tree();
      if (snapshot.items.length > 0 && snapshot.items[0].children && snapshot.items[0].children.length > 0) return resolve();
      if (Date.now() - started > 15000) return reject(new Error(`no run in tree: ${JSON.stringify(snapshot)}`));
      setTimeout(tick, 100);
    };
    void tick();
  });
  const pipeline = snapshot.items[0];
  assert.equal(pipeline.label, 'good');
  const runItem = pipeline.children[0];
  assert.equal(runItem.label, '#1 completed');
  assert.match(runItem.description, /· just now/);
  const blocks = runItem.children.map((b) => b.label);
  assert.deepEqual([...blocks].sort(), ['extract', 'lint', 'report', 'transform']);
  const extract = runItem.children.find((b) => b.label === 'extract');
  await vscode.commands.executeCommand('pipelineStudio.openBlockLog', extract.target);
  await poll('the log editor', () => vscode.window.activeTextEditor && vscode.window.activeTextEditor.document.uri.scheme === 'pipeline-log');
  const text = vscode.window.activeTextEditor.document.getText();
  assert.match(text, /counting rows/);
  assert.match(text, /\[completed/);
});

test('a corrupt store is an error state with its message, and heals when replaced', async () => {
  const fs = require('node:fs');
  const ws = workspaceRoot().fsPath;
  const store = path.join(ws, '.pipelines', 'runs.sqlite');
  // The store moves aside with its WAL and shared-memory files, and comes back whole: deleting the
  // -shm of a database that connections in this process still map would hide later writes from
  // them (SQLite shares that mapping per file within a process), which no user does.
  const parts = ['', '-wal', '-shm'].filter((suffix) => fs.existsSync(store + suffix));
  for (const suffix of parts) fs.renameSync(store + suffix, `${store}.good${suffix}`);
  fs.writeFileSync(store, 'not a database\n'.repeat(50));
  await vscode.commands.executeCommand('pipelineStudio.refreshRuns');
  const broken = await tree();
  assert.equal(broken.state, 'error', JSON.stringify(broken));
  assert.match(broken.message, /not a Pipeline Studio run store/);
  assert.equal(fs.readFileSync(store, 'utf8').slice(0, 14), 'not a database');
  for (const suffix of parts) fs.renameSync(`${store}.good${suffix}`, store + suffix);
  await vscode.commands.executeCommand('pipelineStudio.refreshRuns');
  const healed = await tree();
  assert.equal(healed.state, 'ready', JSON.stringify(healed));
  assert.equal(healed.items[0]?.children?.[0]?.label, '#1 completed', JSON.stringify(healed));
});
