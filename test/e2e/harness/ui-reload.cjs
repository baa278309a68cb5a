// UI suite of runs surviving a window reload, on a copy of test/e2e/reload-workspace: start two runs
// of a pipeline whose block waits for a file, open its graph, run "Developer: Reload Window" from the
// command palette in the middle of both, then check that the reloaded window has them back: their
// terminals (with the output printed before the reload, then live), the Runs tree, the graph's live
// statuses, and Cancel. Screenshots: ui-reload-NN.png.
// Environment: see uiRunner.cjs. Exit: 0 all passed, 1 a check failed, 2 harness error.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { need } = require('./common.cjs');
const { until, commandPalette, graphNodes, main } = require('./uiRunner.cjs');

const FILE = 'reload.pipeline.yaml';
const checks = [];
const check = (name, fn) => checks.push({ name, fn });
const text = async (locator) => (await locator.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
const panel = (page) => page.locator('.part.panel');
const terminalRows = (page) => page.locator('.part.panel .xterm-rows');
const runsRows = (page) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) }).locator('.monaco-list-row');
const TICKS = ['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5'];

/** The graph's nodes as { id: class list }, from whichever webview frame holds it. */
const graphNodeClasses = async (page) => (await graphNodes(page))?.nodes;

/** The "Pipeline Studio Runs" output channels' log files of code-server's user data folder, beside the workspace. */
function extensionLog() {
  const logs = path.join(path.dirname(need('E2E_WORKSPACE')), 'ud', 'logs');
  let found = '';
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('Pipeline Studio Runs.log')) found += fs.readFileSync(full, 'utf8');
    }
  };
  walk(logs);
  return found;
}

/** Shows the terminal of that name (from the panel's terminal tabs) and returns its visible text. */
async function terminalText(page, name) {
  const tab = page.locator('.terminal-tabs-entry', { hasText: name });
  if ((await tab.count()) > 0) await tab.first().click();
  return text(terminalRows(page));
}

/** Runs the workspace's one pipeline file (the command needs no editor for it). */
async function startRun(page, runId) {
  await commandPalette(page, 'Pipeline Studio: Run Pipeline with Defaults');
  const name = `▶ reload #${runId}`;
  await until(page, `a terminal named "${name}"`, () => text(panel(page)), (v) => v.includes(name), 30000);
  await until(page, `the five ticks of run #${runId}`, () => terminalText(page, name), (v) => TICKS.every((t) => v.includes(t)), 30000);
}

check('the workbench opens the folder, with the extension', async (page) => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).waitFor({ timeout: 60000 });
  await page.locator('.activitybar .action-item a[aria-label^="Pipelines"]').waitFor({ timeout: 60000 });
});

check('with the graph open, two runs start, each in its terminal, and wait; the graph shows the block running', async (page) => {
  // From the Explorer, where check 1 saw it (Quick Open's file search can be slow on a busy machine).
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).click();
  await page.locator('.tabs-container .tab.active', { hasText: FILE }).waitFor({ timeout: 60000 });
  await commandPalette(page, 'Pipeline Studio: Show Pipeline Graph');
  await until(page, 'the graph', () => graphNodeClasses(page), (n) => n !== undefined && 'ticks' in n, 30000);
  await startRun(page, 1);
  await startRun(page, 2);
  await until(page, 'the ticks block running in the graph', () => graphNodeClasses(page), (n) => /\bs-running\b/.test((n || {}).ticks || ''), 30000);
});

check('"Developer: Reload Window" in the middle of both runs: the reloaded window has both terminals back, with the output printed before the reload', async (page) => {
  const started = Date.now();
  await commandPalette(page, 'Developer: Reload Window');
  await page.waitForEvent('load', { timeout: 60000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  // The editor is back when its file's tab is; the terminals follow once the extension has reattached.
  await page.locator('.tabs-container .tab', { hasText: FILE }).first().waitFor({ timeout: 60000 });
  const workbench = Date.now();
  await until(page, 'both run terminals back', () => text(panel(page)), (v) => v.includes('▶ reload #1') && v.includes('▶ reload #2'), 60000);
  console.log(`     (workbench back ${workbench - started} ms after the reload command, both terminals ${Date.now() - workbench} ms later)`);
  const reattached = extensionLog().match(/Reattached to \d+ runs? in flight in \d+ ms/g);
  if (reattached) console.log(`     (extension log: ${reattached.join('; ')})`);
  for (const runId of [1, 2]) {
    await until(page, `run #${runId}'s header and ticks, replayed`, () => terminalText(page, `▶ reload #${runId}`), (v) => new RegExp(`Run reload #${runId} \\(2 of 2 blocks`).test(v) && TICKS.every((t) => v.includes(t)), 30000);
  }
});

check('after the reload, the Runs tree shows both runs still running and the graph still shows the block running', async (page) => {
  await page.locator('.activitybar .action-item a[aria-label^="Pipelines"]').click();
  await until(page, 'both runs running in the tree', () => text(runsRows(page)), (v) => /#1\b[^\n]*running/.test(v) && /#2\b[^\n]*running/.test(v), 30000);
  await until(page, 'the ticks block running in the restored graph', () => graphNodeClasses(page), (n) => /\bs-running\b/.test((n || {}).ticks || ''), 30000);
});

// Ctrl+C in the run's terminal: the Runs tree's Cancel Run item hangs on the workbench's
// isWorkspaceTrusted context key, which code-server sometimes leaves unset after a reload.
check('Ctrl+C in the terminal of run #2 after the reload cancels it: its terminal, the tree and the graph say so', async (page) => {
  await terminalText(page, '▶ reload #2');
  await commandPalette(page, 'Terminal: Focus Terminal');
  await page.locator('.part.panel .xterm.focus').first().waitFor({ timeout: 60000 });
  await page.keyboard.press('Control+C');
  await until(page, 'run #2 cancelled in its terminal', () => terminalText(page, '▶ reload #2'), (v) => /Run reload #2 cancelled/.test(v), 30000);
  await until(page, 'run #2 cancelled in the tree', () => text(runsRows(page)), (v) => /#2\b[^\n]*cancelled/.test(v) && /#1\b[^\n]*running/.test(v), 30000);
  await until(page, 'the graph of run #2 cancelled', () => graphNodeClasses(page), (n) => /\bs-cancelled\b/.test((n || {}).ticks || ''), 30000);
});

check('run #1 goes on live after the reload: released, it completes in its terminal and in the tree', async (page) => {
  fs.writeFileSync(path.join(need('E2E_WORKSPACE'), 'release'), '');
  await until(page, 'run #1 completed in its terminal', () => terminalText(page, '▶ reload #1'), (v) => /released/.test(v) && /Run reload #1 completed/.test(v), 30000);
  await until(page, 'run #1 completed in the tree', () => text(runsRows(page)), (v) => /#1\b[^\n]*completed/.test(v), 30000);
});

main(checks, 'ui-reload');
