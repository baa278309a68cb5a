// UI suite of the pipeline graph, on a copy of examples/ with the installed extension: open the ETL
// pipeline, "Show Pipeline Graph" from the command palette, run the pipeline, and watch its nodes
// turn completed inside the webview. The webview's document sits in iframes nested in the
// workbench, so the graph is looked up in whichever frame holds it. Screenshots: ui-graph-NN.png.
// Environment: see uiRunner.cjs. Exit: 0 all passed, 1 a check failed, 2 harness error.
'use strict';
/* global document, window -- the frame.evaluate callbacks run in the webview's page, not in Node */
const { until, quickOpen, commandPalette, graphNodes, main } = require('./uiRunner.cjs');

const BLOCKS = ['check', 'extract', 'load', 'transform'];
const checks = [];
const check = (name, fn) => checks.push({ name, fn });

const ids = (found) => (found === undefined ? [] : Object.keys(found.nodes).sort());
const describe = (found) => (found === undefined ? 'no frame with the graph' : JSON.stringify(found.nodes));

check('the workbench opens the examples folder and the ETL pipeline', async (page) => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'etl.pipeline.yaml' }).waitFor({ timeout: 60000 });
  await quickOpen(page, 'etl.pipeline.yaml');
});

check('"Show Pipeline Graph" from the command palette draws every block in a webview beside the editor', async (page) => {
  await commandPalette(page, 'Pipeline Studio: Show Pipeline Graph');
  await page.locator('.tabs-container .tab', { hasText: 'Graph: etl.pipeline.yaml' }).waitFor({ timeout: 60000 });
  const found = await until(page, 'the graph nodes in a webview frame', () => graphNodes(page), (f) => ids(f).join() === BLOCKS.join(), 30000);
  // Nothing has run yet: no node carries a status.
  const coloured = Object.entries(found.nodes).filter(([, cls]) => /\bs-/.test(cls));
  if (coloured.length > 0) throw new Error(`nodes coloured before any run: ${describe(found)}`);
  // Every node says what it is to a screen reader.
  const labels = await found.frame.evaluate(() => [...document.querySelectorAll('svg.graph g.node')].map((g) => g.getAttribute('aria-label') || ''));
  if (!labels.every((l) => /^Block [a-z]+/.test(l))) throw new Error(`nodes without an accessible label: ${JSON.stringify(labels)}`);
});

check('running the pipeline turns every node completed', async (page) => {
  // From the editor, so that the palette's command knows which pipeline to run.
  await page.locator('.tabs-container .tab', { hasText: /^etl\.pipeline\.yaml/ }).first().click();
  await commandPalette(page, 'Pipeline Studio: Run Pipeline with Defaults');
  const done = await until(
    page,
    'every node completed in the graph',
    () => graphNodes(page),
    (f) => f !== undefined && BLOCKS.every((b) => /\bs-completed\b/.test(f.nodes[b] || '')),
    90000,
  );
  // The run's own status follows its last block's (run-finished comes after block-finished), so the
  // header is waited for too rather than read once; still only "#1 … completed" passes.
  await until(page, 'the header to show run #1 completed', () => done.frame.evaluate(() => document.body.innerText), (header) => /#1/.test(header) && /completed/.test(header));
});

check('the finished graph, fitted again once the terminal panel is hidden', async (page) => {
  await commandPalette(page, 'View: Hide Panel');
  await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 60000 });
  const found = await until(page, 'the graph still completed', () => graphNodes(page), (f) => f !== undefined && BLOCKS.every((b) => /\bs-completed\b/.test(f.nodes[b] || '')), 10000);
  // The panel beside the editor is taller than wide: the layout is top to bottom on its own, and
  // Fit keeps the four blocks at a readable size (100%, centred) instead of shrinking them.
  await found.frame.getByRole('button', { name: 'Fit' }).click();
  const shown = await until(
    page,
    'the nodes drawn at a readable size',
    () => found.frame.evaluate(() => ({ direction: document.querySelector('vscode-button[title="Switch the layout direction"]')?.textContent, widths: [...document.querySelectorAll('svg.graph g.node rect.box')].map((r) => Math.round(r.getBoundingClientRect().width)) })),
    (s) => s.widths.length === BLOCKS.length && s.widths.every((w) => w >= 138),
  );
  const size = await found.frame.evaluate(() => ({ width: window.innerWidth, height: window.innerHeight }));
  if (size.height > size.width && shown.direction !== 'Left to right') throw new Error(`a tall panel (${JSON.stringify(size)}) is not laid out top to bottom: ${JSON.stringify(shown)}`);
  // The screenshot after this check is the one docs/images/graph.png is chosen from.
  await found.frame.locator('svg.graph g.node').first().waitFor({ state: 'visible', timeout: 60000 });
});

main(checks, 'ui-graph');
