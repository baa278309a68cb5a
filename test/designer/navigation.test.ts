import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateNoopDag } from '../../bench/generate.ts';
import type { GraphModel } from '../../webview/src/protocol.ts';
import { reach } from '../../webview/src/view/navigation.ts';
import { GraphPage } from '../webview/lib/graphPage.ts';

const ARTIFACTS = join(import.meta.dirname, '..', 'webview', '.artifacts');

function generated(blocks: number): GraphModel {
  const dag = generateNoopDag(blocks);
  return { pipelineName: `generated-${blocks}`, nodes: dag.ids.map((id) => ({ id })), edges: dag.deps.flatMap((deps, i) => deps.map((d): [number, number] => [d, i])) };
}

test('reach follows edges upstream or downstream, including the start', () => {
  const model: GraphModel = { pipelineName: 'm', nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id })), edges: [[0, 1], [1, 2], [3, 2]] };
  assert.deepEqual([...reach(model, 2, true)].sort(), [0, 1, 2, 3]);
  assert.deepEqual([...reach(model, 1, false)].sort(), [1, 2]);
  assert.deepEqual([...reach(model, 3, false)].sort(), [2, 3]);
});

describe('navigating a 3,000-block graph in Chromium', { timeout: 900_000 }, () => {
  let page: GraphPage;
  const model = generated(3000);
  before(async () => {
    page = await GraphPage.open('dark', { width: 1200, height: 800 });
    await page.send({ type: 'model', model, errorCount: 0, direction: 'RIGHT' });
    await page.waitRendered(['preliminary', 'final'], 300_000);
  });
  after(async () => {
    await page?.close();
  });

  test('the minimap draws the graph and outlines the part in view; clicking it moves the view there', async () => {
    const painted = await page.page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('canvas.minimap');
      const g = canvas?.getContext('2d');
      if (canvas === null || canvas === undefined || g === null || g === undefined) return -1;
      const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) inked++;
      return inked;
    }, undefined);
    assert.ok(painted > 500, `minimap pixels drawn: ${painted}`);
    const before = await transform(page);
    await page.page.click('canvas.minimap', { force: true });
    await page.page.waitForFunction((t) => document.querySelector('g.world')?.getAttribute('transform') !== t, before, { timeout: 60_000 });
  });

  test('find by id centres the block, selects it, and Enter moves keyboard focus to it', async () => {
    const id = model.nodes[2500]?.id ?? '';
    await page.page.fill('vscode-textfield.search input', id);
    await page.page.keyboard.press('Enter');
    await page.page.waitForFunction((want) => document.activeElement?.getAttribute('data-id') === want, id, { timeout: 60_000 });
    const box = await page.page.evaluate((want) => document.querySelector(`g.node[data-id="${want}"] rect.box`)?.getBoundingClientRect().toJSON() as DOMRect, id);
    assert.ok(box.left >= 0 && box.right <= 1200 && box.top >= 0 && box.bottom <= 800, `found block in view: ${JSON.stringify(box)}`);
    // Arrows follow edges from there: the focus moves to a neighbour.
    await page.page.keyboard.press('ArrowLeft');
    await page.page.waitForFunction((was) => document.activeElement?.getAttribute('data-id') !== was && document.activeElement?.matches('g.node') === true, id, { timeout: 60_000 });
    const label = await page.page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '', undefined);
    assert.match(label, /^Block /);
  });

  test('focus upstream dims every block the selected one does not need', async () => {
    const target = model.nodes[1500]?.id ?? '';
    const index = 1500;
    const expected = reach(model, index, true).size;
    await page.page.fill('vscode-textfield.search input', target);
    await page.page.keyboard.press('Enter');
    await page.page.click(`g.node[data-id="${target}"]`, { button: 'right', force: true });
    await page.page.click('.menu-item[data-command="focusUpstream"]', { force: true });
    const counts = await page.page.evaluate(() => ({ dim: document.querySelectorAll('g.node.dim').length, all: document.querySelectorAll('g.node').length, label: document.querySelector('.focus-label')?.textContent ?? '' }), undefined);
    assert.equal(counts.all - counts.dim, expected);
    assert.match(counts.label, new RegExp(`Upstream of ${target}: ${expected} of 3000 blocks`));
    await page.page.click('.nav-button.clear-focus', { force: true });
    assert.equal(await page.page.evaluate(() => document.querySelectorAll('g.node.dim').length, undefined), 0);
  });

  test('zoom buttons and zoom to selection change the scale; screenshot with the minimap', async () => {
    const scale = async (): Promise<number> => Number(/scale\(([\d.e-]+)\)/.exec(await transform(page))?.[1]);
    const s0 = await scale();
    await page.page.click('.nav-button.zoom-out', { force: true });
    const s1 = await scale();
    assert.ok(s1 < s0, `zoom out ${s0} → ${s1}`);
    await page.page.click('.nav-button.zoom-selection', { force: true });
    const s2 = await scale();
    assert.ok(s2 > s1, `zoom to selection ${s1} → ${s2}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.page.screenshot({ path: join(ARTIFACTS, 'designer-minimap-3000.png') });
    assert.deepEqual(page.errors, []);
  });

  test('the Groups button collapses blocks by id prefix; a click on a group expands it', async () => {
    const grouped: GraphModel = { pipelineName: 'g', nodes: ['extract', 'load_a', 'load_b', 'load_c', 'report'].map((id) => ({ id })), edges: [[0, 1], [0, 2], [0, 3], [1, 4], [2, 4], [3, 4]] };
    await page.clearPosted();
    await page.send({ type: 'model', model: grouped, errorCount: 0, direction: 'RIGHT' });
    await page.waitRendered(['preliminary', 'final']);
    await page.page.click('.nav-button.groups-toggle', { force: true });
    await page.page.waitForFunction(() => document.querySelector('g.node[data-id="load…"]') !== null, undefined, { timeout: 60_000 });
    const ids = await page.page.evaluate(() => [...document.querySelectorAll('g.node')].map((g) => g.getAttribute('data-id')), undefined);
    assert.deepEqual(ids, ['extract', 'load…', 'report']);
    const label = await page.page.evaluate(() => document.querySelector('g.node[data-id="load…"]')?.getAttribute('aria-label') ?? '', undefined);
    assert.match(label, /^Group load… of 3 blocks/);
    await page.page.click('g.node[data-id="load…"]', { force: true });
    await page.page.waitForFunction(() => document.querySelectorAll('g.node').length === 5, undefined, { timeout: 60_000 });
    assert.deepEqual(page.errors, []);
  });
});

function transform(page: GraphPage): Promise<string> {
  return page.page.evaluate(() => document.querySelector('g.world')?.getAttribute('transform') ?? '', undefined);
}

test('groups: blocks sharing an id prefix fold into one node, edges merged without duplicates or self-loops', async () => {
  const { collapseGroups, groupKey, groupsOf } = await import('../../webview/src/view/groups.ts');
  assert.equal(groupKey('load_orders'), 'load');
  assert.equal(groupKey('extract'), undefined);
  const m: GraphModel = {
    pipelineName: 'g',
    nodes: ['extract', 'load_a', 'load_b', 'report', 'solo_x'].map((id) => ({ id })),
    edges: [[0, 1], [0, 2], [1, 2], [1, 3], [2, 3]],
  };
  assert.deepEqual([...groupsOf(m).keys()], ['load'], 'a prefix with one block is no group');
  const folded = collapseGroups(m, new Set(['load']));
  assert.deepEqual(folded.nodes.map((n) => n.id), ['extract', 'load…', 'report', 'solo_x']);
  assert.equal(folded.nodes[1]?.members, 2);
  assert.deepEqual(folded.edges, [[0, 1], [1, 2]]);
  assert.equal(collapseGroups(m, new Set()), m);
});
