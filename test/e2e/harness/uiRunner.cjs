// Runs a list of UI checks in one workbench: each check is one test, a screenshot of the workbench is
// saved after each one (pass or fail) into $E2E_ARTIFACTS, and the results go to $E2E_UI_RESULTS.
// Environment: E2E_TOOLS, E2E_BASE, E2E_WORKSPACE, E2E_ARTIFACTS, E2E_UI_RESULTS.
'use strict';
/* global document -- the frame.evaluate callbacks run in the webview's page, not in Node */
const path = require('node:path');
const { need, launch, writeResults } = require('./common.cjs');

/** Resolves with read()'s value once ok(value); rejects after timeoutMs naming the last value seen. */
async function until(page, what, read, ok, hintMs = 60000) {
  // A wait guards against a hang only: on a loaded machine the workbench can take far longer than
  // on an idle one, so no wait gives up before a minute.
  const timeoutMs = Math.max(hintMs, 60000);
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
  await typeInQuickInput(page, 'Control+P', fileName, async () => {});
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ timeout: 60000 });
  await page.keyboard.press('Enter');
  // Each editor group has an active tab, and the graph's ("Graph: <file>") names the file too: the
  // file's own tab is the one whose resource is the file.
  await page.locator(`.tabs-container .tab.active[data-resource-name="${fileName.split('/').pop()}"]:visible`).first().waitFor({ timeout: 60000 });
}

/**
 * Runs a command from the command palette, as a user types it; on a busy machine the palette can
 * come up before the command is listed, so it is closed and opened again (up to 3 times).
 */
async function commandPalette(page, title) {
  await typeInQuickInput(page, 'F1', `>${title}`, async () => {
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: 60000 });
    await row.click();
  });
}

/**
 * Opens the quick input with `key`, types `text` and runs `then`; on failure closes it and tries
 * again (up to 3 times). Seen on busy and fresh machines: the palette comes up before the command
 * is listed, or its input shows but never becomes editable (a tab's hover was up).
 */
async function typeInQuickInput(page, key, text, then) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(key);
    await input.waitFor({ state: 'visible', timeout: 60000 });
    try {
      await input.fill(text, { timeout: 60000 });
      await then();
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** The graph's nodes as { frame, nodes: { id: class list } } from whichever webview frame holds it, or undefined when none does yet. */
async function graphNodes(page) {
  for (const frame of page.frames()) {
    const nodes = await frame
      .evaluate(() => {
        const svg = document.querySelector('svg.graph');
        if (svg === null) return undefined;
        return Object.fromEntries([...svg.querySelectorAll('g.node')].map((g) => [g.getAttribute('data-id'), g.getAttribute('class')]));
      })
      .catch(() => undefined);
    if (nodes !== undefined) return { frame, nodes };
  }
  return undefined;
}

async function runChecks(checks, prefix) {
  const base = need('E2E_BASE');
  const ws = path.resolve(need('E2E_WORKSPACE'));
  const artifacts = need('E2E_ARTIFACTS');
  const browser = await launch();
  const { page } = browser;
  const results = [];
  await page.goto(`${base}/?folder=${encodeURIComponent(ws)}`);
  for (const [i, c] of checks.entries()) {
    const started = Date.now();
    const shot = path.join(artifacts, `${prefix}-${String(i + 1).padStart(2, '0')}.png`);
    if (i > 0 && results[0].status === 'failed') {
      results.push({ title: `${prefix}: ${c.name}`, status: 'failed', ms: 0, error: 'the workbench did not open' });
      console.log(`FAIL ${prefix}: ${c.name} (the workbench did not open)`);
      continue;
    }
    try {
      await c.fn(page);
      results.push({ title: `${prefix}: ${c.name}`, status: 'passed', ms: Date.now() - started, screenshot: shot });
      console.log(`ok   ${prefix}: ${c.name} (${Date.now() - started} ms)`);
    } catch (error) {
      const message = String(error && error.message ? error.message : error).split('\n').slice(0, 4).join('\n');
      results.push({ title: `${prefix}: ${c.name}`, status: 'failed', ms: Date.now() - started, error: message, screenshot: shot });
      console.log(`FAIL ${prefix}: ${c.name} (${Date.now() - started} ms)\n${message.replace(/^/gm, '     ')}`);
    }
    await page.screenshot({ path: shot }).catch((e) => console.log(`  (no screenshot: ${e.message})`));
  }
  await browser.close();
  const summary = writeResults(need('E2E_UI_RESULTS'), results);
  console.log(`[e2e ${prefix}] ${summary.passed} passed, ${summary.failed} failed; screenshots in ${artifacts}`);
  process.exit(summary.failed > 0 ? 1 : 0);
}

/** Runs checks (a list of { name, fn(page) }) and exits: 0 all passed, 1 a check failed, 2 harness error. */
function main(checks, prefix) {
  runChecks(checks, prefix).catch((error) => {
    console.error(`[e2e ${prefix}] harness error:`, error);
    process.exit(2);
  });
}

module.exports = { until, quickOpen, commandPalette, graphNodes, main };
