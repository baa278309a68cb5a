// UI suite: Playwright drives code-server's workbench with the extension installed in the server's
// --extensions-dir, as a user would: Quick Open, the status bar, the Problems panel.
// Environment: see uiRunner.cjs, plus E2E_LANGUAGE_NAME. Exit: 0 all passed, 1 a check failed, 2 harness error.
'use strict';
const { need } = require('./common.cjs');
const { until, quickOpen, main } = require('./uiRunner.cjs');

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

check('the workbench opens the fixture workspace', async (page) => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken.pipeline.yaml' }).waitFor({ timeout: 60000 });
});

check('a pipeline file opened from Quick Open shows the pipeline language in the status bar', async (page) => {
  // Focus the workbench so that the keyboard shortcut reaches it.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'good.pipeline.yaml' }).click();
  await quickOpen(page, 'broken.pipeline.yaml');
  const want = need('E2E_LANGUAGE_NAME');
  const mode = page.locator('#status\\.editor\\.mode');
  await until(page, `status bar language "${want}"`, async () => (await mode.innerText()).trim(), (v) => v === want);
});

check("the status bar's problem counter shows the language server's two errors", async (page) => {
  const problems = page.locator('#status\\.problems');
  // The item's accessible label reads like "Errors: 2, Warnings: 0" (its visible text is icons + numbers).
  await until(
    page,
    'two errors in the Problems status item',
    async () => (await problems.getAttribute('aria-label')) || (await problems.innerText()),
    (v) => /Errors?: 2\b/i.test(v || ''),
    30000,
  );
});

check('the Problems panel lists the unknown dependency with its position', async (page) => {
  // The status bar's problem counter opens the Problems panel.
  await page.locator('#status\\.problems').click();
  const rows = page.locator('.markers-panel .monaco-list-row');
  await until(
    page,
    "the unknown-dependency row in the Problems panel",
    async () => (await rows.allInnerTexts()).join('\n'),
    (v) => /Unknown block 'nowhere'/.test(v) && /\[Ln 8, Col 27\]/.test(v),
    20000,
  );
});

check('the language status of a pipeline file says the language server is ready', async (page) => {
  // Clicking the language indicator's braces opens the language status hover with our item.
  await page.locator('#status\\.languageStatus').click();
  const hover = page.locator('.monaco-hover, .context-view').filter({ hasText: 'Pipeline Studio' });
  await until(page, 'the language status hover', async () => (await hover.first().innerText()).replace(/\s+/g, ' '), (v) => /language server ready/.test(v), 20000);
});

main(checks, 'ui');
