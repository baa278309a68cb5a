import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateNoopDag } from '../../bench/generate.ts';
import type { GraphModel } from '../../webview/src/protocol.ts';
import { reach } from '../../webview/src/view/navigation.ts';
import { DETAIL_SCALE } from '../../webview/src/view/graphView.ts';
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

  test('a pan or wheel gesture moves one composited layer and touches no node; the graph is drawn anew when it settles', async (t) => {
    const result = await page.page.evaluate(async () => {
      const svg = document.querySelector('svg.graph') as SVGSVGElement;
      const world = document.querySelector('g.world') as SVGGElement;
      const before = world.getAttribute('transform');
      const changed: string[] = [];
      const observer = new MutationObserver((records) => {
        for (const r of records) changed.push(`${(r.target as Element).tagName}.${r.attributeName ?? r.type}`);
      });
      observer.observe(svg, { attributes: true, childList: true, subtree: true });
      const r = svg.getBoundingClientRect();
      const at = (x: number): PointerEventInit => ({ pointerId: 1, pointerType: 'mouse', button: 0, buttons: 1, clientX: x, clientY: r.top + r.height / 2, bubbles: true, isPrimary: true });
      const frame = (): Promise<number> => new Promise((done) => requestAnimationFrame(done));
      const x0 = r.left + r.width / 2;
      // The minimap test's redraw rasterised first (up to 30 s): the frame rate is then the gesture's own.
      for (let fast = 0, last = await frame(), start = last; fast < 10 && last - start < 30_000; ) {
        const t = await frame();
        fast = t - last < 40 ? fast + 1 : 0;
        last = t;
      }
      svg.dispatchEvent(new PointerEvent('pointerdown', at(x0)));
      // One step per frame; the frame rate is reported (bench/graphNav.ts compares the paths), not asserted: this machine may be busy.
      const times: number[] = [];
      for (let i = 1; i <= 60; i++) {
        svg.dispatchEvent(new PointerEvent('pointermove', at(x0 + (i % 20 < 10 ? i % 10 : 10 - (i % 10)) * 5)));
        times.push(await frame());
      }
      const fps = ((times.length - 1) / ((times.at(-1) ?? 0) - (times[0] ?? 0))) * 1000;
      for (let i = 0; i < 5; i++) {
        svg.dispatchEvent(new WheelEvent('wheel', { deltaY: -40, clientX: x0, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
        await frame();
      }
      const during = { changed: [...new Set(changed)], world: world.getAttribute('transform'), layer: svg.style.transform, layered: getComputedStyle(svg).willChange };
      svg.dispatchEvent(new PointerEvent('pointerup', at(x0 + 50)));
      // The wheel settles once it has been still for a moment.
      const start = performance.now();
      while (svg.style.transform !== '' && performance.now() - start < 60_000) await frame();
      observer.disconnect();
      return { before, during, after: world.getAttribute('transform'), layer: svg.style.transform, fps };
    }, undefined);
    t.diagnostic(`pan at 3,000 blocks: ${result.fps.toFixed(1)} frames per second`);
    // During the gestures: only the svg's own attributes changed (its CSS transform, the grabbing cursor's class); no node, edge or the world group.
    assert.deepEqual(result.during.changed.filter((c) => c !== 'svg.class'), ['svg.style']);
    assert.equal(result.during.world, result.before);
    assert.match(result.during.layer, /^translate\([-\d.e]+px, ?[-\d.e]+px\) scale\(1\.[\d]+\)$/, 'the wheel zoomed in on the layer');
    assert.equal(result.during.layered, 'transform');
    // Settled: the world group has the new view and the layer is back in place.
    assert.notEqual(result.after, result.before);
    assert.equal(result.layer, '');
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
    // Only the nodes in view have elements (view/culling.ts): each of them is dimmed unless the target needs it.
    const kept = new Set([...reach(model, index, true)].map((i) => model.nodes[i]?.id ?? ''));
    const counts = await page.page.evaluate(() => ({ nodes: [...document.querySelectorAll('g.node')].map((g) => [g.getAttribute('data-id') ?? '', g.classList.contains('dim')] as const), label: document.querySelector('.focus-label')?.textContent ?? '' }), undefined);
    assert.ok(counts.nodes.length > 1, `nodes in view: ${counts.nodes.length}`);
    assert.deepEqual(counts.nodes.filter(([id, dim]) => dim === kept.has(id)), [], 'dimmed exactly the blocks not upstream');
    assert.match(counts.label, new RegExp(`Upstream of ${target}: ${expected} of 3000 blocks`));
    await page.page.click('.nav-button.clear-focus', { force: true });
    assert.equal(await page.page.evaluate(() => document.querySelectorAll('g.node.dim, .far-nodes.dim').length, undefined), 0);
  });

  test('zoomed out to the whole graph, nodes are a few paths and only the focused block keeps its elements and label', async () => {
    const id = model.nodes[2500]?.id ?? '';
    await page.page.fill('vscode-textfield.search input', id);
    await page.page.keyboard.press('Enter');
    await page.page.waitForFunction((want) => document.activeElement?.getAttribute('data-id') === want, id, { timeout: 60_000 });
    // Zoomed out with the keyboard (a click on Fit would move the focus to the button).
    for (let i = 0; i < 10; i++) await page.page.keyboard.press('-');
    const scale = Number(/scale\(([\d.e-]+)\)/.exec(await transform(page))?.[1]);
    assert.ok(scale < DETAIL_SCALE, `zoomed out to ${scale}`);
    const seen = await page.page.evaluate(() => ({
      elements: document.querySelectorAll('svg.graph *').length,
      nodes: [...document.querySelectorAll('g.node')].map((g) => g.getAttribute('data-id')),
      // One rectangle per block without elements of its own.
      farBoxes: [...document.querySelectorAll('path.far-nodes')].reduce((n, p) => n + (p.getAttribute('d') ?? '').split('M').length - 1, 0),
      focused: document.activeElement?.getAttribute('data-id'),
      // Layout units: each far path covers one cell of the screen, not the whole graph (raster tiles draw a path whole).
      widestFarPath: Math.max(...[...document.querySelectorAll<SVGPathElement>('path.far-nodes')].map((p) => Math.max(p.getBBox().width, p.getBBox().height))),
    }), undefined);
    assert.ok(seen.widestFarPath * scale <= 512 + 184 * scale + 1, `widest far path on screen: ${(seen.widestFarPath * scale).toFixed(0)} px`);
    // 3,000 blocks as groups of 4 elements each were ~12,000 elements.
    assert.ok(seen.elements < 200, `svg elements at overview: ${seen.elements}`);
    assert.deepEqual(seen.nodes, [id]);
    assert.equal(seen.farBoxes, 2999, 'every other block is drawn once in a far path');
    assert.equal(seen.focused, id, 'the keyboard focus stays on the found block');
    // In the accessibility tree, with its label (what a screen reader announces).
    const session = await (page.page as unknown as { context(): { newCDPSession(p: unknown): Promise<{ send(m: string, p?: object): Promise<unknown>; detach(): Promise<void> }> } }).context().newCDPSession(page.page);
    const tree = (await session.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value?: string }; name?: { value?: string }; ignored?: boolean }[] };
    await session.detach();
    const named = tree.nodes.filter((n) => n.ignored !== true && (n.name?.value ?? '').startsWith(`Block ${id},`));
    assert.equal(named.length, 1, 'the focused block is in the accessibility tree');
    assert.equal(named[0]?.role?.value, 'button');
    // Zoomed in again (around the view's centre, the block): the nodes in view have elements, not all 3,000, and texts to read.
    for (let i = 0; i < 10; i++) await page.page.keyboard.press('+');
    const close = await page.page.evaluate(() => ({ nodes: document.querySelectorAll('g.node').length, texts: document.querySelectorAll('g.node text.id').length, far: document.querySelectorAll('path.far-nodes').length }), undefined);
    assert.ok(close.nodes > 3 && close.nodes < 500, `nodes with elements zoomed in: ${close.nodes}`);
    assert.ok(close.texts > 3, `node texts: ${close.texts}`);
    assert.equal(close.far, 0);
    // The next test starts from the whole graph in view.
    await page.page.click('vscode-button[title="Fit the graph to the view"]', { force: true });
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

  test('with `group:` names, the Groups button collapses the named groups, not the id prefixes', async () => {
    const named: GraphModel = {
      pipelineName: 'n',
      nodes: [{ id: 'extract' }, { id: 'load_a', group: 'Data loading' }, { id: 'fetch_b', group: 'Data loading' }, { id: 'load_c' }, { id: 'report' }],
      edges: [[0, 1], [0, 2], [0, 3], [1, 4], [2, 4], [3, 4]],
    };
    await page.clearPosted();
    await page.send({ type: 'model', model: named, errorCount: 0, direction: 'RIGHT' });
    await page.waitRendered(['preliminary', 'final']);
    // Groups were left expanded by the test before: one click collapses all.
    await page.page.click('.nav-button.groups-toggle', { force: true });
    await page.page.waitForFunction(() => document.querySelector('g.node[data-id="Data loading…"]') !== null, undefined, { timeout: 60_000 });
    const ids = await page.page.evaluate(() => [...document.querySelectorAll('g.node')].map((g) => g.getAttribute('data-id')), undefined);
    assert.deepEqual(ids, ['extract', 'Data loading…', 'load_c', 'report']);
    const label = await page.page.evaluate(() => document.querySelector('g.node[data-id="Data loading…"]')?.getAttribute('aria-label') ?? '', undefined);
    assert.match(label, /^Group Data loading… of 2 blocks/);
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

test('named groups: `group:` keys become the graph\'s groups instead of id prefixes, a named group of one included', async () => {
  const { collapseGroups, groupsOf } = await import('../../webview/src/view/groups.ts');
  const { graphModelOf } = await import('../../client/src/graph/graphModel.ts');
  const text = `blocks:
  load_a:
    group: Data loading
    run: echo a
  fetch_b:
    group: Data loading
    run: echo b
  load_c:
    run: echo c
  report:
    group: output
    depends_on: [load_a, fetch_b, load_c]
    run: echo report
`;
  const { model, errorCount } = graphModelOf(text, 'g.pipeline.yaml');
  assert.equal(errorCount, 0);
  assert.deepEqual(model.nodes.map((n) => n.group), ['Data loading', 'Data loading', undefined, 'output']);
  // load_a and load_c share a prefix, but the file names its groups: those are the only ones.
  assert.deepEqual([...groupsOf(model)], [['Data loading', ['load_a', 'fetch_b']], ['output', ['report']]]);
  const folded = collapseGroups(model, new Set(['Data loading']));
  assert.deepEqual(folded.nodes.map((n) => n.id), ['Data loading…', 'load_c', 'report']);
  assert.deepEqual(folded.edges, [[0, 2], [1, 2]]);
  // Without any group: key, id prefixes as before.
  const plain = graphModelOf(text.replace(/ {4}group: .*\n/g, ''), 'g.pipeline.yaml').model;
  assert.deepEqual([...groupsOf(plain).keys()], ['load']);
});
