// UI suite against an extension whose language server cannot start (run.sh stages one whose
// dist/server.cjs throws at load): the user must see a clear error with a "Show Logs" action that
// leads to the cause, and the language status must say the server failed.
// Environment: see uiRunner.cjs. Exit: 0 all passed, 1 a check failed, 2 harness error.
'use strict';
const { until, commandPalette, main } = require('./uiRunner.cjs');

/** What the staged server.cjs throws; the logs must show it. */
const CAUSE = 'e2e: this server bundle is broken on purpose';

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

check('the workbench opens the fixture workspace', async (page) => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken.pipeline.yaml' }).click({ timeout: 60000 });
  await page.locator('.tabs-container .tab', { hasText: 'broken.pipeline.yaml' }).waitFor({ timeout: 60000 });
});

check('an error message says the language server could not start and offers "Show Logs"', async (page) => {
  const toast = page.locator('.notification-toast', { hasText: 'language server could not start' });
  await toast.waitFor({ timeout: 60000 });
  await toast.getByRole('button', { name: 'Show Logs' }).waitFor({ timeout: 5000 });
});

check('"Show Logs" opens the server log with the cause of the failure', async (page) => {
  const output = page.locator('.output-view, .panel .monaco-editor').first();
  const toast = page.locator('.notification-toast', { hasText: 'language server could not start' });
  if (await toast.isVisible()) await toast.getByRole('button', { name: 'Show Logs' }).click();
  try {
    await output.waitFor({ timeout: 5000 });
  } catch {
    // The toast hides itself after a while (or the click met it hiding); the same notification,
    // with its action, stays in the notification center, which is where a user would find it.
    await commandPalette(page, 'Notifications: Show Notifications');
    await page.locator('.notifications-center').getByRole('button', { name: 'Show Logs' }).first().click({ timeout: 10000 });
    await output.waitFor({ timeout: 20000 });
  }
  // The editor renders only the lines in view and follows the end of the log; the Output view's
  // own filter keeps just the lines with the cause, as a user looking for it would do.
  const filter = page.locator('.part.panel').getByPlaceholder(/^Filter/);
  await filter.fill('broken on purpose');
  await until(page, `the cause "${CAUSE}" in the Output panel`, async () => (await output.innerText()).replace(/\s+/g, ' '), (v) => v.includes(CAUSE), 20000);
});

check('the language status says the server failed', async (page) => {
  await page.locator('.tabs-container .tab', { hasText: 'broken.pipeline.yaml' }).click();
  await page.locator('#status\\.languageStatus').click();
  const hover = page.locator('.monaco-hover, .context-view').filter({ hasText: 'Pipeline Studio' });
  await until(page, 'the failed language status', async () => (await hover.first().innerText()).replace(/\s+/g, ' '), (v) => /could not start/.test(v) && /Restart/.test(v), 20000);
});

main(checks, 'ui-broken-server');
