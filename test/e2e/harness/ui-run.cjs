// UI suite of running and history, on a copy of examples/ with the installed extension: what a user
// does and sees. Run the ETL pipeline from the command palette, watch it in its terminal, find it
// in the Pipelines sidebar, open a block's log, then break the file and see the problem under the
// code lenses. Screenshots after every check (ui-run-NN.png) are what docs/images/ is chosen from.
// Environment: see uiRunner.cjs. Exit: 0 all passed, 1 a check failed, 2 harness error.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { need } = require('./common.cjs');
const { until, quickOpen, commandPalette, main } = require('./uiRunner.cjs');

const PIPELINE = 'orders-etl';
const checks = [];
const check = (name, fn) => checks.push({ name, fn });

const text = async (locator) => (await locator.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
const runsView = (page) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });
const runsRows = (page) => runsView(page).locator('.monaco-list-row');

/** Moves the cursor to a 1-based line with Go to Line (Ctrl+G), which centres it when out of view. */
async function goToLine(page, line) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 60000 });
  await input.fill(`:${line}`);
  // Enter before the picker has read the number does nothing: wait for its answer first.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: `go to line ${line}` }).waitFor({ timeout: 60000 });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 60000 });
}

/** 1-based line of the first line of the workspace's etl.pipeline.yaml that is exactly `wanted`. */
function etlLine(wanted) {
  const lines = fs.readFileSync(path.join(need('E2E_WORKSPACE'), 'etl.pipeline.yaml'), 'utf8').split('\n');
  const i = lines.indexOf(wanted);
  if (i < 0) throw new Error(`no line "${wanted}" in etl.pipeline.yaml`);
  return i + 1;
}

check('the workbench opens the examples folder', async (page) => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'etl.pipeline.yaml' }).waitFor({ timeout: 60000 });
});

check('the Pipelines sidebar starts empty and offers to run a pipeline', async (page) => {
  await page.locator('.activitybar .action-item a[aria-label^="Pipelines"]').click();
  const welcome = runsView(page).locator('.welcome-view-content');
  await until(page, 'the empty Runs view', () => text(welcome), (v) => /No runs yet/.test(v) && /Run a Pipeline/.test(v), 30000);
});

check('the pipeline file shows code lenses above its blocks', async (page) => {
  await quickOpen(page, 'etl.pipeline.yaml');
  // Bring the blocks into view (the file starts with comments and variables).
  await goToLine(page, etlLine('blocks:') + 12);
  const lenses = page.locator('.editor-instance .codelens-decoration');
  await until(page, 'the run code lenses', () => text(lenses), (v) => (v.match(/▶ Run block/g) || []).length >= 1 && /Run up to here/.test(v) && /Run from here/.test(v), 30000);
});

check('"Run Pipeline with Defaults" from the command palette streams the run in its terminal', async (page) => {
  await commandPalette(page, 'Pipeline Studio: Run Pipeline with Defaults');
  const terminalName = `▶ ${PIPELINE} #1`;
  // The terminal's name appears in the panel (tab list or title) once the run has started.
  await until(page, `a terminal named "${terminalName}"`, () => text(page.locator('.part.panel')), (v) => v.includes(terminalName), 30000);
  const rows = page.locator('.part.panel .xterm-rows');
  const output = await until(
    page,
    'the run summary in the terminal',
    () => text(rows),
    (v) => new RegExp(`Run ${PIPELINE} #1 completed`).test(v),
    60000,
  );
  // What stays in view at the end: the last blocks' output prefixed with their ids, and the
  // summary, where extract took two attempts (the example's flaky source fails the first).
  for (const line of [/check\s+│ quality ok: \d+ of \d+ orders paid/, /load\s+│ loaded \d+ rows into warehouse/, /extract\s+✓ completed\s+2\s/, /transform\s+✓ completed\s+1\s/]) {
    if (!line.test(output)) throw new Error(`the terminal lacks ${line}:\n${output}`);
  }
});

check('the run appears in the Runs tree with its blocks', async (page) => {
  const rows = runsRows(page);
  await until(page, 'the run in the tree', () => text(rows), (v) => v.includes(PIPELINE) && /#1 completed/.test(v), 30000);
  await rows.filter({ hasText: '#1 completed' }).click();
  await until(page, 'the block runs', () => text(rows), (v) => ['extract', 'transform', 'check', 'load'].every((b) => v.includes(b)), 20000);
  // The extract block failed its first attempt: the tree says which attempt completed.
  await until(page, 'the second attempt of extract', () => text(rows.filter({ hasText: /^extract/ })), (v) => /attempt 2/.test(v), 5000);
});

check("clicking a block run opens its log with the block's output", async (page) => {
  await runsRows(page).filter({ hasText: /^transform/ }).click();
  await until(page, 'the log tab', () => page.locator('.tabs-container .tab.active').innerText(), (v) => /transform #1/.test(v), 20000);
  const editor = page.locator('.editor-instance .view-lines').first();
  await until(page, 'the log text', () => editor.innerText(), (v) => /paid orders in \d+ countries/.test(v.replace(/\u00a0/g, ' ')), 20000);
});

check('the context menu of a run offers Retry, Replay, Delete and Export', async (page) => {
  await runsRows(page).filter({ hasText: '#1 completed' }).click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await until(page, 'the run context menu', () => menu.innerText(), (v) => /Replay/.test(v) && /Delete Run/.test(v) && /Export/.test(v), 10000);
  await page.keyboard.press('Escape');
});

check('a typo in depends_on is underlined, under code lenses that show the last result of each block', async (page) => {
  // Away from the tree, whose hover would cover the editor; back to the pipeline's tab.
  await page.mouse.move(900, 300);
  await page.locator('.tabs-container .tab', { hasText: 'etl.pipeline.yaml' }).click();
  await page.locator('.tabs-container .tab.active', { hasText: 'etl.pipeline.yaml' }).waitFor({ timeout: 60000 });
  const lenses = page.locator('.editor-instance .codelens-decoration');
  await until(page, 'the "Last:" code lenses', () => text(lenses), (v) => /Last: ✓ completed/.test(v), 20000);
  // Find the dependency of `check` and misspell it, as a user would type.
  await page.keyboard.press('Control+F');
  const find = page.locator('.find-widget textarea, .find-widget input').first();
  await find.fill('depends_on: transform');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('mr');
  // The unknown dependency, and each ${{ blocks.X }} that is no longer upstream of check.
  const problems = page.locator('#status\\.problems');
  await until(page, 'errors in the status bar', async () => (await problems.getAttribute('aria-label')) || '', (v) => /Errors?: [1-9]/.test(v), 20000);
  await page.locator('.editor-instance .squiggly-error').first().waitFor({ state: 'attached', timeout: 60000 });
  // Show Hover (Ctrl+K Ctrl+I) on the misspelt id, where the cursor is.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover').filter({ hasText: 'transform' });
  await until(page, 'the problem hover', () => text(hover), (v) => /Did you mean 'transform'\?/.test(v), 10000);
});

check('the Problems panel lists the typo with its suggestion, next to the blocks and their last results', async (page) => {
  await page.keyboard.press('Escape');
  // The check block with its lenses at the top of the editor, the load block below it.
  await goToLine(page, etlLine('  check:') + 11);
  await page.locator('#status\\.problems').click();
  const rows = page.locator('.markers-panel .monaco-list-row');
  await until(page, 'the unknown dependency in the Problems panel', () => text(rows), (v) => /Unknown block 'transformr' in depends_on of 'check'\. Did you mean 'transform'\?/.test(v), 20000);
  const lenses = page.locator('.editor-instance .codelens-decoration');
  await until(page, 'the lenses of check', () => text(lenses), (v) => /Last: ✓ completed/.test(v), 10000);
});

main(checks, 'ui-run');
