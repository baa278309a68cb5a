import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GraphModel } from '../../webview/src/protocol.ts';
import { generateNoopDag } from '../../bench/generate.ts';
import { GraphPage } from './lib/graphPage.ts';

// What keeps pan and zoom fast at 3,000 blocks (bench/graphNav.ts has the frame rates): a gesture
// moves the svg as one composited layer, and Chromium re-layerises the svg's paint chunks at every
// such frame. An SVG transform starts a paint chunk, so nodes are placed by their own coordinates,
// not by a transform per node group (the earlier placement, ~10 ms of `Layerize` a frame at 3,000).

const BLOCKS = 300;

function generated(blocks: number): GraphModel {
  const dag = generateNoopDag(blocks);
  return { pipelineName: `generated-${blocks}`, nodes: dag.ids.map((id) => ({ id })), edges: dag.deps.flatMap((deps, i) => deps.map((d): [number, number] => [d, i])) };
}

describe('graph gestures in Chromium', { timeout: 600_000 }, () => {
  let page: GraphPage;
  before(async () => {
    page = await GraphPage.open('dark', { width: 1100, height: 700 });
    await page.send({ type: 'model', model: generated(BLOCKS), errorCount: 0, direction: 'RIGHT' });
    await page.waitRendered(['preliminary', 'final'], 300_000);
  });
  after(async () => {
    await page.close();
  });

  test('no node element is placed by a transform (each would be a paint chunk re-layerised per gesture frame)', async () => {
    // Zoom to one block so its texts exist too, and one block waits at a gate (its buttons may carry one transform).
    await page.page.fill('vscode-textfield.search input', 'b150');
    await page.page.click('.nav-button.zoom-selection', { force: true });
    await page.send({ type: 'run', run: { runId: 1, status: 'running', startedAt: Date.now(), done: 0, total: BLOCKS }, blocks: { b150: { status: 'waiting' } } });
    await page.page.waitForFunction(() => document.querySelector('g.node[data-id="b150"] .gate') !== null, undefined, { timeout: 60_000 });
    const found = await page.page.evaluate(() => {
      const inNodes = [...document.querySelectorAll('g.nodes *')];
      const transformed = inNodes.filter((e) => e.closest('.gate') === null && (e.hasAttribute('transform') || getComputedStyle(e).transform !== 'none'));
      return { gates: document.querySelectorAll('g.nodes .gate').length, elements: inNodes.length, texts: document.querySelectorAll('g.nodes text').length, transformed: transformed.map((e) => `${e.tagName}.${e.getAttribute('class') ?? ''}`).slice(0, 5), count: transformed.length };
    }, undefined);
    assert.ok(found.elements >= BLOCKS * 3, `the nodes are drawn (${found.elements} elements)`);
    assert.ok(found.texts > 0, 'some node texts are drawn');
    assert.equal(found.gates, 1, 'the waiting block shows its gate');
    assert.equal(found.count, 0, `elements placed by a transform: ${found.transformed.join(', ')}`);
  });

  test('every part of a node is drawn inside its box (placed by coordinates, not by its group)', async () => {
    const misplaced = await page.page.evaluate(() => {
      const bad: string[] = [];
      for (const g of document.querySelectorAll<SVGGElement>('g.node')) {
        const box = g.querySelector<SVGRectElement>('rect.box');
        if (box === null) continue;
        const b = box.getBBox();
        for (const part of g.querySelectorAll<SVGGraphicsElement>(':scope > rect.bar, :scope > circle.port, :scope > text')) {
          // The port is hidden outside edit mode (no box to measure): its centre from its attributes.
          const p = part.tagName === 'circle' ? { x: Number(part.getAttribute('cx')), y: Number(part.getAttribute('cy')), width: 0, height: 0 } : part.getBBox();
          // An empty text (no status yet) has no box either.
          if (part.tagName === 'text' && (part.textContent ?? '') === '') continue;
          const cx = p.x + p.width / 2;
          const cy = p.y + p.height / 2;
          // The port sits on the border; texts inside the box.
          if (cx < b.x - 1 || cx > b.x + b.width + 1 || cy < b.y - 1 || cy > b.y + b.height + 1) bad.push(`${g.dataset.id ?? ''} ${part.getAttribute('class') ?? ''}`);
        }
      }
      return bad;
    }, undefined);
    assert.deepEqual(misplaced.slice(0, 5), []);
  });

  test('a pan gesture changes no node element: only the svg layer moves until it settles', async () => {
    const result = await page.page.evaluate(async () => {
      const svg = document.querySelector('svg.graph') as SVGSVGElement;
      const nodes = document.querySelector('g.nodes') as SVGGElement;
      const records: string[] = [];
      const observer = new MutationObserver((list) => {
        for (const r of list) records.push(`${(r.target as Element).tagName} ${r.attributeName ?? r.type}`);
      });
      observer.observe(nodes, { subtree: true, attributes: true, childList: true });
      const host = svg.parentElement?.getBoundingClientRect() ?? svg.getBoundingClientRect();
      let x = host.left + 20;
      const y = host.top + 20;
      const options = (cx: number): PointerEventInit => ({ pointerId: 1, pointerType: 'mouse', button: 0, buttons: 1, clientX: cx, clientY: y, bubbles: true, isPrimary: true });
      svg.dispatchEvent(new PointerEvent('pointerdown', options(x)));
      const transforms = new Set<string>();
      for (let step = 0; step < 20; step++) {
        await new Promise((done) => requestAnimationFrame(done));
        x += 5;
        svg.dispatchEvent(new PointerEvent('pointermove', options(x)));
        transforms.add(svg.style.transform);
      }
      const during = records.length;
      svg.dispatchEvent(new PointerEvent('pointerup', options(x)));
      observer.disconnect();
      return { during, records: records.slice(0, 5), transforms: transforms.size, after: svg.style.transform };
    }, undefined);
    assert.equal(result.during, 0, `node mutations during the gesture: ${result.records.join('; ')}`);
    assert.ok(result.transforms >= 10, `the layer moved at each step (${result.transforms} distinct transforms)`);
    assert.equal(result.after, '', 'the settled view is drawn in the svg, the layer transform cleared');
  });
});
