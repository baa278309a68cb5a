// UI suite of fan-out (issue 17), on test/e2e/fanout-workspace: run a pipeline whose `resize` block
// fans out over 120 items (every 40th fails), watch its graph node count them (`117/120 ✓ 3 ✗`),
// click it to expand its items (a page of 100, then "Show more"), and find them grouped under the
// block in the Runs tree. Screenshots: ui-fanout-NN.png.
// Environment: see uiRunner.cjs. Exit: 0 all passed, 1 a check failed, 2 harness error.
'use strict';
/* global document -- the frame.evaluate callbacks run in the webview's page, not in Node */
const { until, quickOpen, commandPalette, graphNodes, main } = require('./uiRunner.cjs');

const runsView = (page) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });

const FILE = 'fanout.pipeline.yaml';
const checks = [];
const check = (name, fn) => checks.push({ name, fn });
let frame;

check('the fan-out pipeline and its graph', async (page) => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await quickOpen(page, FILE);
  await commandPalette(page, 'Pipeline Studio: Show Pipeline Graph');
  const found = await until(page, 'the graph', () => graphNodes(page), (f) => f !== undefined && Object.keys(f.nodes).sort().join() === 'list,report,resize');
  frame = found.frame;
});

check('running it: the fan-out node counts its items as they end', async (page) => {
  await page.locator('.tabs-container .tab', { hasText: FILE }).first().click();
  await commandPalette(page, 'Pipeline Studio: Run Pipeline with Defaults');
  await until(page, 'every node finished', () => graphNodes(page), (f) => f !== undefined && /\bs-completed\b/.test(f.nodes.report || '') && /\bs-failed\b/.test(f.nodes.resize || ''), 180000);
  const meta = await until(page, 'the progress count on the node', () => frame.evaluate(() => document.querySelector('svg.graph g.node[data-id="resize"] text.meta')?.textContent || ''), (t) => /^117\/120 ✓ 3 ✗/.test(t));
  const label = await frame.evaluate(() => document.querySelector('svg.graph g.node[data-id="resize"]').getAttribute('aria-label'));
  if (!/fan-out of 120 items/.test(label)) throw new Error(`node label: ${label} (meta ${meta})`);
});

check('a click expands the node to its items, a page at a time', async (page) => {
  await frame.locator('svg.graph g.node[data-id="resize"]').click();
  await frame.locator('.items-panel').waitFor({ state: 'visible', timeout: 60000 });
  const first = await until(page, 'the first page of items', () => frame.evaluate(() => document.querySelectorAll('.items-list .item').length), (n) => n === 100);
  const heading = await frame.locator('.items-heading').textContent();
  if (!/resize: 120 items, 117\/120 ✓ 3 ✗/.test(heading)) throw new Error(`heading: ${heading} (${first} rows)`);
  await frame.locator('.items-more').click();
  await until(page, 'all 120 items', () => frame.evaluate(() => document.querySelectorAll('.items-list .item').length), (n) => n === 120);
  const failed = await frame.evaluate(() => [...document.querySelectorAll('.items-list .item.s-failed .item-text')].map((e) => e.textContent));
  if (JSON.stringify(failed) !== JSON.stringify(['resize[39] img-039.jpg', 'resize[79] img-079.jpg', 'resize[119] img-119.jpg'])) throw new Error(`failed items: ${JSON.stringify(failed)}`);
  await frame.locator('.items-list .item[data-index="39"]').scrollIntoViewIfNeeded();
});

check('the Runs tree groups the items under their block, a page at a time', async (page) => {
  await page.locator('.activitybar .action-item a[aria-label^="Pipelines"]').click();
  const rows = runsView(page).locator('.monaco-list-row');
  await until(page, 'the run in the tree', () => rows.allInnerTexts().then((t) => t.join('\n')), (v) => /#1 completed/.test(v), 60000);
  await rows.filter({ hasText: '#1 completed' }).first().click();
  const resize = rows.filter({ hasText: /^resize/ }).first();
  await until(page, 'the fan-out block with its count', () => resize.innerText(), (v) => /117\/120 ✓ 3 ✗/.test(v), 60000);
  // A click on the row opens the block's log; its twistie expands it.
  await resize.locator('.monaco-tl-twistie').click();
  await until(page, 'its first items', () => rows.allInnerTexts().then((t) => t.join('\n')), (v) => /resize\[0\]"img-000\.jpg" · completed/.test(v), 60000);
  // The tree draws only the rows in view: End (the tree has the focus) goes to the page's last row.
  await page.keyboard.press('End');
  await until(page, 'the end of the first page', () => rows.allInnerTexts().then((t) => t.join('\n')), (v) => /resize\[49\]/.test(v) && /More items…\s*50 of 120 shown/.test(v) && !/resize\[50\]/.test(v), 60000);
});

main(checks, 'ui-fanout');
