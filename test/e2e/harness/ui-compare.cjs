// UI suite of the graph's compare mode and full screen, on test/designer/workspace made a git
// repository here: three edits from the graph (a new block, a deleted one, a changed field), then
// "Compare…" against HEAD draws one added, one removed and one changed block and opens the text
// diff of a change; "Compare with Run…" does the same against the definition recorded with a run
// made before the edits; "Full screen" maximises the graph's editor group. A suite of its own so that
// each stays well inside the suite timeout on a busy machine. Screenshots: ui-compare-NN.png.
// Environment: see uiRunner.cjs. Exit: 0 all passed, 1 a check failed, 2 harness error.
'use strict';
/* global document -- the frame.evaluate callbacks run in the webview's page, not in Node */
const fs = require('node:fs');
const path = require('node:path');
const { until, quickOpen, commandPalette, graphNodes, main } = require('./uiRunner.cjs');

const FILE = 'flow.pipeline.yaml';
const checks = [];
const check = (name, fn) => checks.push({ name, fn });
let frame;

async function focusEditor(page) {
  await page.locator('.tabs-container .tab', { hasText: FILE }).first().click();
  await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
}

async function savedText(page) {
  await focusEditor(page);
  await page.keyboard.press('Control+S');
  await page.locator('.tabs-container .tab:not(.dirty)', { hasText: FILE }).first().waitFor({ timeout: 60000 });
  return fs.readFileSync(path.join(process.env.E2E_WORKSPACE, FILE), 'utf8');
}

/** Selects a block from the keyboard: find it by id, Enter jumps to it (the view centres it). */
async function findBlock(page, block) {
  await frame.locator('vscode-textfield.search input').fill(block);
  await frame.locator('vscode-textfield.search input').press('Enter');
  await until(page, `${block} focused`, () => frame.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-id')), (id) => id === block);
}

/** The node menu from the keyboard (Shift+F10 on the focused block). */
async function menu(page, block, command) {
  await findBlock(page, block);
  await page.keyboard.press('Shift+F10');
  await frame.locator(`.context-menu .menu-item[data-command="${command}"]`).click();
}

check('the flow pipeline and its graph in edit mode', async (page) => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await quickOpen(page, FILE);
  await commandPalette(page, 'Pipeline Studio: Show Pipeline Graph');
  const found = await until(page, 'the graph', () => graphNodes(page), (f) => f !== undefined && Object.keys(f.nodes).length === 3);
  frame = found.frame;
  // A run first, so that there is a recorded definition to compare with later (Compare with Run…).
  await frame.locator('vscode-button[title="Run the whole pipeline"]').click();
  await until(page, 'run #1 completed in the graph', () => graphNodes(page), (f) => f !== undefined && Object.values(f.nodes).length === 3 && Object.values(f.nodes).every((c) => /s-completed/.test(c || '')), 120000);
  await frame.locator('button.edit-toggle').click();
  await frame.locator('.palette').waitFor({ state: 'visible', timeout: 60000 });
});

check('compare mode against HEAD shows one added, one removed and one changed block, and opens the text diff', async (page) => {
  const { execFileSync } = require('node:child_process');
  const git = (...args) => execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', ...args], { cwd: process.env.E2E_WORKSPACE, encoding: 'utf8' });
  git('init', '-q');
  git('add', FILE);
  git('commit', '-q', '-m', 'designer test base');
  // Three edits from the graph: a new block, a deleted one, a changed one.
  await frame.locator('.palette-item[data-item="shell"]').click();
  await until(page, 'the new block', () => graphNodes(page), (f) => f !== undefined && 'shell' in f.nodes);
  await menu(page, 'report', 'delete');
  await until(page, 'report deleted', () => graphNodes(page), (f) => f !== undefined && !('report' in f.nodes));
  await findBlock(page, 'extract');
  await until(page, 'the panel showing extract', () => frame.locator('.panel-title').textContent(), (t) => t === 'Block extract');
  await until(page, 'the fields of extract', () => frame.locator('#field-run').inputValue(), (v) => /echo extract/.test(v));
  await frame.locator('#field-timeout').fill('1m');
  await frame.locator('#field-timeout').press('Enter');
  await until(page, 'the timeout in the text', () => savedText(page), (t) => /timeout: 1m/.test(t));
  await frame.locator('button.compare-toggle').click();
  // The revision list opens in the workbench with HEAD first.
  const first = page.locator('.quick-input-list .monaco-list-row').first();
  await first.waitFor({ timeout: 60000 });
  if (!/HEAD/.test(await first.textContent())) throw new Error(`HEAD is not offered first: ${await first.textContent()}`);
  await page.keyboard.press('Enter');
  const nodes = await until(page, 'the compared graph', () => graphNodes(page), (f) => f !== undefined && /cmp-removed/.test(f.nodes.report || ''));
  const classes = nodes.nodes;
  if (!/cmp-added/.test(classes.shell) || !/cmp-changed/.test(classes.extract) || /cmp-/.test(classes.transform)) throw new Error(`compare marks: ${JSON.stringify(classes)}`);
  const summary = await frame.locator('.compare-summary').textContent();
  if (!/1 added, 1 removed, 1 changed blocks/.test(summary)) throw new Error(`summary: ${summary}`);
  const removedEdges = await frame.evaluate(() => (document.querySelector('path.edge.cmp-removed').getAttribute('d') || '').split('M').length - 1);
  if (removedEdges !== 1) throw new Error(`removed dependencies drawn: ${removedEdges}`);
  await frame.locator('.compare-item[data-block="extract"]').click();
  await page.locator('.tabs-container .tab', { hasText: '↔' }).first().waitFor({ timeout: 60000 });
  // Back in the graph for the screenshot of compare mode.
  await page.locator('.tabs-container .tab', { hasText: 'Graph: flow.pipeline.yaml' }).first().click();
  await frame.locator('.compare-bar').waitFor({ state: 'visible', timeout: 60000 });
});

check('"Compare with Run…" compares with the definition recorded with run #1: the same added, removed and changed blocks, and the text diff', async (page) => {
  await frame.locator('button.compare-stop').click();
  await until(page, 'compare mode off', () => graphNodes(page), (f) => f !== undefined && !('report' in f.nodes));
  await frame.locator('button.compare-run').click();
  const first = page.locator('.quick-input-list .monaco-list-row').first();
  await first.waitFor({ timeout: 60000 });
  if (!/#1 /.test(await first.textContent())) throw new Error(`run #1 is not offered first: ${await first.textContent()}`);
  await page.keyboard.press('Enter');
  const nodes = await until(page, 'the graph compared with run #1', () => graphNodes(page), (f) => f !== undefined && /cmp-removed/.test(f.nodes.report || ''));
  const classes = nodes.nodes;
  if (!/cmp-added/.test(classes.shell) || !/cmp-changed/.test(classes.extract) || /cmp-/.test(classes.transform)) throw new Error(`compare marks: ${JSON.stringify(classes)}`);
  const summary = await frame.locator('.compare-summary').textContent();
  if (!/^Compared with run #1: 1 added, 1 removed, 1 changed blocks/.test(summary)) throw new Error(`summary: ${summary}`);
  await frame.locator('.compare-item[data-block="report"]').click();
  await page.locator('.tabs-container .tab', { hasText: '(run #1)' }).first().waitFor({ timeout: 60000 });
  await page.locator('.tabs-container .tab', { hasText: 'Graph: flow.pipeline.yaml' }).first().click();
  await frame.locator('.compare-bar').waitFor({ state: 'visible', timeout: 60000 });
});

check('"Full screen" maximises the graph\'s editor group and restores it', async (page) => {
  const textTab = page.locator('.tabs-container .tab', { hasText: FILE }).first();
  await frame.locator('.nav-button.maximize').click();
  await textTab.waitFor({ state: 'hidden', timeout: 60000 });
  await frame.locator('.nav-button.maximize').click();
  await textTab.waitFor({ state: 'visible', timeout: 60000 });
});

main(checks, 'ui-compare');
