// UI suite: Playwright drives code-server's workbench with the extension installed in the
// server's --extensions-dir. Each check below is one test; a screenshot of the workbench is saved
// after each one (and on failure) into $E2E_ARTIFACTS.
// Environment: E2E_TOOLS, E2E_BASE, E2E_WORKSPACE, E2E_ARTIFACTS, E2E_UI_RESULTS, E2E_LANGUAGE_NAME.
// Exit: 0 all passed, 1 a check failed, 2 harness error.
'use strict';
const path = require('node:path');
const { need, launch, writeResults } = require('./common.cjs');

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

/** Resolves with read()'s value once ok(value); rejects after timeoutMs naming the last value seen. */
async function until(page, what, read, ok, timeoutMs = 20000) {
  const started = Date.now();
  let last;
  for (;;) {
    last = await read().catch((e) => `<${e.message.split('\n')[0]}>`);
    if (ok(last)) return last;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await page.waitForTimeout(100);
  }
}

async function quickOpen(page, fileName) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor({ timeout: 10000 });
}

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

(async () => {
  const base = need('E2E_BASE');
  const ws = path.resolve(need('E2E_WORKSPACE'));
  const artifacts = need('E2E_ARTIFACTS');
  const browser = await launch();
  const { page } = browser;
  const results = [];
  await page.goto(`${base}/?folder=${encodeURIComponent(ws)}`);
  for (const [i, c] of checks.entries()) {
    const started = Date.now();
    const shot = path.join(artifacts, `ui-${String(i + 1).padStart(2, '0')}.png`);
    if (i > 0 && results[0].status === 'failed') {
      results.push({ title: `ui: ${c.name}`, status: 'failed', ms: 0, error: 'the workbench did not open' });
      console.log(`FAIL ui: ${c.name} (the workbench did not open)`);
      continue;
    }
    try {
      await c.fn(page);
      results.push({ title: `ui: ${c.name}`, status: 'passed', ms: Date.now() - started, screenshot: shot });
      console.log(`ok   ui: ${c.name} (${Date.now() - started} ms)`);
    } catch (error) {
      const message = String(error && error.message ? error.message : error).split('\n').slice(0, 4).join('\n');
      results.push({ title: `ui: ${c.name}`, status: 'failed', ms: Date.now() - started, error: message, screenshot: shot });
      console.log(`FAIL ui: ${c.name} (${Date.now() - started} ms)\n${message.replace(/^/gm, '     ')}`);
    }
    await page.screenshot({ path: shot }).catch((e) => console.log(`  (no screenshot: ${e.message})`));
  }
  await browser.close();
  const summary = writeResults(need('E2E_UI_RESULTS'), results);
  console.log(`[e2e ui] ${summary.passed} passed, ${summary.failed} failed; screenshots in ${artifacts}`);
  process.exit(summary.failed > 0 ? 1 : 0);
})().catch((error) => {
  console.error('[e2e ui] harness error:', error);
  process.exit(2);
});
