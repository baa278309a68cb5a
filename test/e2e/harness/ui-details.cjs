// UI suite of the run details and compare pages (issue 16), on a copy of examples/ with the installed
// extension: run the ETL pipeline twice, "Show Run Details" from the palette, "Compare with previous"
// from its header, and a synthetic run of 3,000 block runs whose page must render within 200 ms in
// this real Chromium. The pages sit in webview iframes, found by what they hold. Screenshots:
// ui-details-NN.png. Environment: see uiRunner.cjs. Exit: 0 all passed, 1 a check failed, 2 harness error.
'use strict';
/* global document -- the frame.evaluate callbacks run in the webview's page, not in Node */
const path = require('node:path');
const { DatabaseSync } = require('node:sqlite');
const { until, quickOpen, commandPalette, main } = require('./uiRunner.cjs');

const STORE = path.join(path.resolve(process.env.E2E_WORKSPACE || '.'), '.pipelines', 'runs.sqlite');
const checks = [];
const check = (name, fn) => checks.push({ name, fn });

function runStatuses() {
  try {
    const db = new DatabaseSync(STORE, { readOnly: true });
    try {
      return db.prepare('SELECT id, status FROM pipeline_run ORDER BY id').all().map((r) => `${r.id}:${r.status}`);
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

/** The webview frame whose page matches `selector`, with its text; undefined while there is none. */
async function pageWith(page, selector, textRe = /./) {
  for (const frame of page.frames()) {
    const found = await frame
      .evaluate((s) => (document.querySelector(s) === null ? undefined : { text: document.body.innerText, renderMs: document.body.dataset.renderMs, lanes: document.body.dataset.lanes }), selector)
      .catch(() => undefined);
    if (found !== undefined && textRe.test(found.text)) return { frame, ...found };
  }
  return undefined;
}

async function showRunDetails(page, runLabel) {
  await commandPalette(page, 'Pipeline Studio: Show Run Details');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: runLabel }).first();
  await row.waitFor({ timeout: 60000 });
  await row.click();
}

/** A finished run of 3,000 blocks (30 chains of 100, each block 1 s, some retried) written straight into the store. */
function insertLargeRun() {
  const db = new DatabaseSync(STORE);
  try {
    const t0 = Date.now() - 3_600_000;
    const ids = Array.from({ length: 3000 }, (_, i) => `b${String(i).padStart(4, '0')}`);
    const yaml = ['name: large', 'blocks:', ...ids.flatMap((id, i) => [`  ${id}:`, '    run: "true"', ...(i % 100 === 0 ? [] : [`    depends_on: [${ids[i - 1]}]`])])].join('\n');
    db.exec('BEGIN');
    const run = db.prepare(`INSERT INTO pipeline_run (pipeline_name, pipeline_file, status, trigger, mode, created_at, started_at, finished_at, owner_pid, owner_host, heartbeat_at)
      VALUES ('large', ?, 'completed', 'cli', 'all', ?, ?, ?, 1, 'e2e', ?)`).run(path.join(path.dirname(STORE), '..', 'large.pipeline.yaml'), t0, t0, t0 + 101_000, t0).lastInsertRowid;
    db.prepare('INSERT INTO run_detail (run_id, definition, definition_sha256, host_name, host_os, host_cpus, runtime_version, tool_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(run, yaml, 'e2e', 'e2e-host', 'Linux', 2, 'node', 'e2e');
    const block = db.prepare(`INSERT INTO block_run (run_id, pipeline_file, block, status, attempt, started_at, finished_at, outputs)
      SELECT id, pipeline_file, ?, ?, ?, ?, ?, '{}' FROM pipeline_run WHERE id = ?`);
    const ready = db.prepare('INSERT INTO block_ready (run_id, block, ready_at) VALUES (?, ?, ?)');
    ids.forEach((id, i) => {
      const start = t0 + (i % 100) * 1000 + (i % 7) * 10;
      ready.run(run, id, start - 5);
      if (i % 50 === 7) block.run(id, 'failed', 1, start, start + 300, run);
      block.run(id, 'completed', i % 50 === 7 ? 2 : 1, i % 50 === 7 ? start + 500 : start, start + 990, run);
    });
    db.exec('COMMIT');
    return Number(run);
  } finally {
    db.close();
  }
}

check('the workbench opens the examples folder and the ETL pipeline', async (page) => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'etl.pipeline.yaml' }).waitFor({ timeout: 60000 });
  await quickOpen(page, 'etl.pipeline.yaml');
});

check('the pipeline runs twice to completion', async (page) => {
  for (const n of [1, 2]) {
    await page.locator('.tabs-container .tab', { hasText: /^etl\.pipeline\.yaml/ }).first().click();
    await commandPalette(page, 'Pipeline Studio: Run Pipeline with Defaults');
    await until(page, `run #${n} completed in the store`, async () => runStatuses(), (s) => s.includes(`${n}:completed`), 120000);
  }
});

check('"Show Run Details" shows the run: header with git/host and actions, blocks, timeline with the critical path, resources, definition', async (page) => {
  await commandPalette(page, 'View: Hide Panel');
  await showRunDetails(page, '#2');
  const found = await until(page, 'the details page of run #2', () => pageWith(page, '.grid', /run #2\b/), (f) => f !== undefined && f.renderMs !== undefined);
  for (const expected of ['completed', 'Host', 'Retry', 'Replay', 'Compare with previous', 'Timeline', 'Critical path:', 'Blocks (4)', 'Definition', 'Compare with current file']) {
    if (!found.text.includes(expected)) throw new Error(`'${expected}' is not on the page:\n${found.text.slice(0, 1500)}`);
  }
  // Sorting by duration (keyboard, on the column header) puts the longest block first.
  await found.frame.locator('[role=columnheader]', { hasText: 'Duration' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  const sorted = await found.frame.locator('[role=columnheader][data-key=duration]').getAttribute('aria-sort');
  if (sorted !== 'descending') throw new Error(`aria-sort after two Enters: ${sorted}`);
  // Hovering the timeline shows exact times.
  const canvas = found.frame.locator('.timeline canvas');
  const box = await canvas.boundingBox();
  if (box === null) throw new Error('no timeline canvas');
  await canvas.hover({ position: { x: 200, y: 24 } });
  await until(page, 'the timeline tooltip', () => found.frame.evaluate(() => document.querySelector('.tip')?.hidden === false ? document.querySelector('.tip').textContent : ''), (t) => /attempt 1/.test(t));
});

check('"Compare with previous" opens the compare page of runs #1 and #2', async (page) => {
  const details = await pageWith(page, '.grid', /run #2\b/);
  await details.frame.getByRole('button', { name: 'Compare with previous' }).click();
  const found = await until(page, 'the compare page', () => pageWith(page, 'table.compare'), (f) => f !== undefined && /Compare #1, #2/.test(f.text));
  for (const expected of ['Variables', 'Blocks', 'Block durations', 'extract']) if (!found.text.includes(expected)) throw new Error(`'${expected}' is not on the compare page`);
});

check('two runs selected in the Runs tree: "Compare Runs" in their context menu opens the compare page', async (page) => {
  // The compare page "Compare with previous" opened is closed first, so that the page found is a new one.
  await commandPalette(page, 'View: Close All Editors');
  await until(page, 'no compare page', () => pageWith(page, 'table.compare'), (f) => f === undefined);
  const runsPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });
  if (!(await runsPane.isVisible())) await page.locator('.activitybar .action-item a[aria-label^="Pipelines"]').click();
  const rows = runsPane.locator('.monaco-list-row');
  await until(page, 'both runs in the tree', () => rows.allInnerTexts().then((t) => t.join('\n')), (v) => /#1 completed/.test(v) && /#2 completed/.test(v));
  await rows.filter({ hasText: '#2 completed' }).click();
  await rows.filter({ hasText: '#1 completed' }).click({ modifiers: ['Control'] });
  await rows.filter({ hasText: '#1 completed' }).click({ button: 'right' });
  const item = page.locator('.context-view .monaco-menu .action-item', { hasText: 'Compare Runs' });
  await item.waitFor({ timeout: 60000 });
  await item.click();
  // A click on the menu was seen to only highlight the item in CI (the menu stayed open): the
  // keyboard then runs the highlighted item.
  await page.waitForTimeout(1000);
  if (await item.isVisible()) await page.keyboard.press('Enter');
  const found = await until(page, 'the compare page of #1 and #2', () => pageWith(page, 'table.compare'), (f) => f !== undefined && /Compare #1, #2/.test(f.text));
  if (!found.text.includes('Block durations')) throw new Error(`not the compare page:\n${found.text.slice(0, 800)}`);
});

check('a run of 3,000 block runs renders within 200 ms', async (page) => {
  const runId = insertLargeRun();
  await showRunDetails(page, `#${runId}`);
  const found = await until(page, `the details page of run #${runId}`, () => pageWith(page, '.grid', new RegExp(`run #${runId}\\b`)), (f) => f !== undefined && f.lanes === '3000');
  const ms = Number(found.renderMs);
  console.log(`     3,000 block runs rendered in ${ms} ms`);
  if (!(ms <= 200)) throw new Error(`rendering 3,000 block runs took ${ms} ms (limit 200)`);
});

main(checks, 'ui-details');
