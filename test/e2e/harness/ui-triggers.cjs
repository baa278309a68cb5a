// UI suite of triggers, on test/e2e/triggers-workspace with the installed extension: what a user does
// and sees. Opening a pipeline with triggers asks "Enable triggers for this workspace?"; after a yes,
// the every-5s trigger fires runs (real timers) that appear in the Runs tree, the Upcoming view
// lists the next fires and moves on, a code lens shows the next fire above each trigger, and the
// status bar counts the triggers. Screenshots after every check (ui-triggers-NN.png).
// Environment: see uiRunner.cjs. Exit: 0 all passed, 1 a check failed, 2 harness error.
'use strict';
const path = require('node:path');
const { need } = require('./common.cjs');
const { until, quickOpen, main } = require('./uiRunner.cjs');

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

const text = async (locator) => (await locator.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
const pane = (page, title) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) });

check('opening a pipeline with triggers asks whether to enable them; nothing is scheduled before; Enable', async (page) => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'tick.pipeline.yaml' }).waitFor({ timeout: 60000 });
  await quickOpen(page, 'tick.pipeline.yaml');
  const toast = page.locator('.notification-toast', { hasText: 'Enable triggers for this workspace?' });
  await toast.waitFor({ timeout: 60000 });
  await until(page, 'the status bar to say triggers are off', () => text(page.locator('.statusbar')), (v) => /Triggers off/.test(v));
  await until(page, 'the code lenses to say triggers are off', () => text(page.locator('.editor-instance .codelens-decoration')), (v) => /triggers off/.test(v));
  // The toast hides by itself after a while: its picture is taken, and it is answered, at once.
  await page.screenshot({ path: path.join(need('E2E_ARTIFACTS'), 'ui-triggers-prompt.png') });
  await toast.locator('.monaco-button', { hasText: /^Enable$/ }).click();
  await toast.waitFor({ state: 'hidden', timeout: 60000 });
});

check('after Enable, the Upcoming view lists the triggers with their next fires', async (page) => {
  await page.locator('.activitybar .action-item a[aria-label^="Pipelines"]').click();
  const upcoming = pane(page, 'Upcoming');
  // The view may start collapsed below Runs: open it.
  const header = upcoming.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  await until(page, 'tick and nightly in Upcoming', () => text(upcoming.locator('.monaco-list-row')), (v) => /tick\s*tick · \S+ \d\d:\d\d:\d\d \((in \d+ s|now)\)/.test(v) && /nightly\s*tick · \S+ 03:00 \(in \d+ h\)/.test(v));
  await until(page, 'the status bar to count the triggers', () => text(page.locator('.statusbar')), (v) => /2 triggers · next/.test(v));
});

check('the every-5s trigger fires runs that appear in the Runs tree', async (page) => {
  const runs = pane(page, 'Runs');
  await until(page, 'two triggered runs in the Runs tree', () => text(runs.locator('.monaco-list-row')), (v) => /#1 completed/.test(v) && /#2 (completed|running)/.test(v), 90000);
});

check('a code lens above each trigger shows its next fire and Run now', async (page) => {
  await page.locator('.tabs-container .tab', { hasText: /^tick\.pipeline\.yaml/ }).first().click();
  const lenses = page.locator('.editor-instance .codelens-decoration');
  await until(page, 'the trigger code lenses', () => text(lenses), (v) => /next: \S+ \d\d:\d\d:\d\d \((in \d+ s|now)\)/.test(v) && /next: \S+ 03:00 \(in \d+ h\)/.test(v) && /Run now/.test(v));
});

main(checks, 'ui-triggers');
