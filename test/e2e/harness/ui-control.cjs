// UI suite of the execution controls (issue 17), on a copy of test/e2e/control-workspace: run a
// pipeline with an approval gate, see Approve / Reject on the graph node, approve from the
// notification with a comment, then pause and resume the run from the graph's header while a block
// runs. Screenshots: ui-control-NN.png. Environment: see uiRunner.cjs. Exit: 0 all passed, 1 a
// check failed, 2 harness error.
'use strict';
/* global document -- the frame.evaluate callbacks run in the webview's page, not in Node */
const fs = require('node:fs');
const path = require('node:path');
const { need } = require('./common.cjs');
const { until, quickOpen, commandPalette, graphNodes, main } = require('./uiRunner.cjs');

const BLOCKS = ['announce', 'build', 'deploy', 'migrate'];
const checks = [];
const check = (name, fn) => checks.push({ name, fn });
const status = (found, block) => ((found && found.nodes[block]) || '').match(/\bs-([a-z_]+)/)?.[1];
/** The graph whose node ids are exactly `ids`, from whichever webview frame holds it (hidden graphs keep their frames). */
async function graphWith(page, ids) {
  for (const frame of page.frames()) {
    const nodes = await frame
      .evaluate(() => {
        const svg = document.querySelector('svg.graph');
        return svg === null ? undefined : Object.fromEntries([...svg.querySelectorAll('g.node')].map((g) => [g.getAttribute('data-id'), g.getAttribute('class')]));
      })
      .catch(() => undefined);
    if (nodes !== undefined && Object.keys(nodes).sort().join() === ids) return { frame, nodes };
  }
  return undefined;
}
const header = (found) => found.frame.evaluate(() => document.querySelector('.run-header')?.textContent || '');
let graph;

check('the workbench opens the pipeline and its graph', async (page) => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'gated.pipeline.yaml' }).waitFor({ timeout: 60000 });
  await quickOpen(page, 'gated.pipeline.yaml');
  await commandPalette(page, 'Pipeline Studio: Show Pipeline Graph');
  graph = await until(page, 'the graph nodes', () => graphNodes(page), (f) => f !== undefined && Object.keys(f.nodes).sort().join() === BLOCKS.join());
});

check('at the approval gate: a notification with Approve / Reject, and the same buttons on the waiting node', async (page) => {
  await page.locator('.tabs-container .tab', { hasText: /^gated\.pipeline\.yaml/ }).first().click();
  await commandPalette(page, 'Pipeline Studio: Run Pipeline with Defaults');
  const toast = page.locator('.notification-toast', { hasText: "'deploy' waits for approval: Deploy build to production?" });
  await toast.waitFor({ timeout: 60000 });
  await toast.getByRole('button', { name: 'Reject' }).waitFor({ timeout: 60000 });
  graph = await until(page, 'deploy waiting in the graph', () => graphNodes(page), (f) => status(f, 'deploy') === 'waiting' && status(f, 'build') === 'completed');
  const buttons = await graph.frame.evaluate(() => [...document.querySelectorAll('g.node[data-id="deploy"] .gate-button')].map((b) => b.getAttribute('aria-label')));
  if (buttons.join() !== 'Approve deploy,Reject deploy') throw new Error(`gate buttons on the node: ${JSON.stringify(buttons)}`);
  const others = await graph.frame.evaluate(() => document.querySelectorAll('g.node:not([data-id="deploy"]) .gate-button').length);
  if (others !== 0) throw new Error(`${others} gate buttons on nodes that do not wait`);
  if (!['initial', 'queued', undefined].includes(status(graph, 'migrate'))) throw new Error(`migrate moved before the approval: ${status(graph, 'migrate')}`);
});

check('Approve in the notification, with a comment, lets the gated block run', async (page) => {
  const asked = "'deploy' waits for approval";
  let approve = page.locator('.notification-toast', { hasText: asked }).getByRole('button', { name: 'Approve' });
  // On a loaded machine the toast may have timed out into the notification centre, as it would for a user who looked away.
  if (!(await approve.isVisible())) {
    await commandPalette(page, 'Notifications: Show Notifications');
    approve = page.locator('.notifications-center .monaco-list-row', { hasText: asked }).getByRole('button', { name: 'Approve' });
  }
  await approve.click({ timeout: 60000 });
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 60000 });
  await input.fill('ship it');
  await page.keyboard.press('Enter');
  graph = await until(page, 'deploy completed and migrate running', () => graphNodes(page), (f) => status(f, 'deploy') === 'completed' && status(f, 'migrate') === 'running');
  const left = await graph.frame.evaluate(() => document.querySelectorAll('.gate-button').length);
  if (left !== 0) throw new Error('the gate buttons stayed after the decision');
});

check('Pause in the graph header: the run is paused, a finished block starts nothing new', async (page) => {
  await graph.frame.getByRole('button', { name: 'Pause', exact: true }).click();
  await until(page, 'the header to say paused', () => header(graph), (h) => /#1 · Paused/i.test(h));
  await graph.frame.getByRole('button', { name: 'Resume', exact: true }).waitFor({ state: 'visible', timeout: 60000 });
  // Let the running block finish: while paused, its dependent must not start.
  fs.writeFileSync(path.join(need('E2E_WORKSPACE'), 'go.flag'), '');
  graph = await until(page, 'migrate completed', () => graphNodes(page), (f) => status(f, 'migrate') === 'completed');
  if (['running', 'completed'].includes(status(graph, 'announce'))) throw new Error(`announce started in a paused run: ${status(graph, 'announce')}`);
  const shown = await header(graph);
  if (!/Paused/i.test(shown)) throw new Error(`the header no longer says paused: ${shown}`);
});

check('Resume in the graph header: the run goes on and completes', async (page) => {
  await graph.frame.getByRole('button', { name: 'Resume', exact: true }).click();
  graph = await until(page, 'every block completed', () => graphNodes(page), (f) => f !== undefined && BLOCKS.every((b) => status(f, b) === 'completed'));
  await until(page, 'the header to say completed', () => header(graph), (h) => /#1 · Completed/i.test(h));
});

check('the Runs tree shows who approved deploy, when, and the comment', async (page) => {
  await page.locator('.activitybar .action-item a[aria-label^="Pipelines"]').click();
  const runs = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Runs' }) });
  const rows = runs.locator('.monaco-list-row');
  await until(page, 'run #1 in the tree', () => rows.allInnerTexts(), (v) => v.join('\n').includes('#1'));
  await rows.filter({ hasText: '#1' }).first().click();
  await until(page, 'the decision on deploy', () => rows.filter({ hasText: /^deploy/ }).allInnerTexts(), (v) => /approved by \S+ at \d{4}-.*: ship it/.test(v.join('\n')));
});

check('a sub-pipeline: its node completes with the child run, and double-click opens the child graph with that run', async (page) => {
  await quickOpen(page, 'parent.pipeline.yaml');
  await commandPalette(page, 'Pipeline Studio: Show Pipeline Graph');
  await page.locator('.tabs-container .tab', { hasText: 'Graph: parent.pipeline.yaml' }).waitFor({ timeout: 60000 });
  const parentGraph = (p) => graphWith(p, 'prepare,train');
  let parent = await until(page, 'the parent graph', () => parentGraph(page), (f) => f !== undefined);
  if (!/\bsub-pipeline\b/.test(parent.nodes.train)) throw new Error(`train is not drawn as a sub-pipeline: ${parent.nodes.train}`);
  await page.locator('.tabs-container .tab', { hasText: /^parent\.pipeline\.yaml/ }).first().click();
  await commandPalette(page, 'Pipeline Studio: Run Pipeline with Defaults');
  parent = await until(page, 'train completed in the parent graph', () => parentGraph(page), (f) => f !== undefined && status(f, 'train') === 'completed' && status(f, 'prepare') === 'completed');
  await parent.frame.locator('g.node[data-id="train"]').dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: 'Graph: child.pipeline.yaml' }).waitFor({ timeout: 60000 });
  const child = await until(page, 'the child graph with its run completed', () => graphWith(page, 'evaluate,fit'), (f) => f !== undefined && status(f, 'fit') === 'completed' && status(f, 'evaluate') === 'completed');
  const shown = await header(child);
  if (!/#3 · Completed/i.test(shown)) throw new Error(`the child graph does not show the child run #3: ${shown}`);
});

main(checks, 'ui-control');
