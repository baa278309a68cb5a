import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { graphModelOf } from '../../client/src/graph/graphModel.ts';
import type { BlockState, GraphModel } from '../../webview/src/protocol.ts';
import { generateNoopDag } from '../../bench/generate.ts';
import { distanceToBorder, isOrthogonal, overlappingPairs, readPainted } from './lib/geometry.ts';
import { GraphPage, ROOT } from './lib/graphPage.ts';

const ARTIFACTS = join(import.meta.dirname, '.artifacts');

function example(name: string): GraphModel {
  const file = join(ROOT, 'examples', `${name}.pipeline.yaml`);
  return graphModelOf(readFileSync(file, 'utf8'), file).model;
}

function generated(blocks: number): GraphModel {
  const dag = generateNoopDag(blocks);
  return { pipelineName: `generated-${blocks}`, nodes: dag.ids.map((id) => ({ id })), edges: dag.deps.flatMap((deps, i) => deps.map((d): [number, number] => [d, i])) };
}

/** No two nodes overlap, every edge is orthogonal and starts on its source's border and ends on its target's. */
async function assertWellFormed(page: GraphPage, model: GraphModel, what: string): Promise<void> {
  const painted = await readPainted(page.page);
  assert.equal(painted.boxes.size, model.nodes.length, `${what}: every block is drawn`);
  assert.deepEqual(overlappingPairs(painted.boxes), [], `${what}: nodes overlap`);
  assert.equal(painted.routes.length, model.edges.length, `${what}: every edge is drawn`);
  model.edges.forEach(([a, b], e) => {
    const route = painted.routes[e] ?? [];
    const from = painted.boxes.get(model.nodes[a]?.id ?? '');
    const to = painted.boxes.get(model.nodes[b]?.id ?? '');
    assert.ok(from !== undefined && to !== undefined && route.length >= 4, `${what}: edge ${e} has a route`);
    assert.ok(distanceToBorder(route[0] ?? NaN, route[1] ?? NaN, from) <= 1.5, `${what}: edge ${e} starts on ${model.nodes[a]?.id ?? ''} (${route.slice(0, 2).join(',')})`);
    assert.ok(distanceToBorder(route.at(-2) ?? NaN, route.at(-1) ?? NaN, to) <= 1.5, `${what}: edge ${e} ends on ${model.nodes[b]?.id ?? ''}`);
    assert.ok(isOrthogonal(route), `${what}: edge ${e} is orthogonal`);
  });
}

describe('graph webview in Chromium', { timeout: 900_000 }, () => {
  let page: GraphPage;
  before(async () => {
    page = await GraphPage.open('dark');
  });
  after(async () => {
    await page?.close();
  });

  for (const name of ['etl', 'fan-out', 'ml-train']) {
    test(`lays out examples/${name} without overlaps, edges connecting their nodes`, async () => {
      const model = example(name);
      assert.ok(model.nodes.length >= 3, 'fixture has blocks');
      await page.clearPosted();
      await page.send({ type: 'model', model, errorCount: 0, direction: 'RIGHT' });
      // Small graphs wait briefly for elk, so the first paint may already be the final layout.
      await page.waitRendered(['preliminary', 'final']);
      await assertWellFormed(page, model, `${name} first paint`);
      await page.waitRendered(['final'], 60_000);
      await assertWellFormed(page, model, `${name} final`);
      const done = (await page.posted()).find((m) => m.type === 'layoutDone');
      assert.ok(done?.type === 'layoutDone' && done.layout.boxes.length === model.nodes.length * 4, 'the final layout is posted for the host to cache');
    });
  }

  test('a 300-block graph, top to bottom, is well formed', async () => {
    const model = generated(300);
    await page.clearPosted();
    await page.send({ type: 'model', model, errorCount: 0, direction: 'DOWN' });
    await page.waitRendered(['preliminary', 'final']);
    await assertWellFormed(page, model, '300 first paint');
    await page.waitRendered(['final']);
    await assertWellFormed(page, model, '300 final');
    const painted = await readPainted(page.page);
    const [a, b] = model.edges[0] ?? [0, 0];
    assert.ok((painted.boxes.get(model.nodes[b]?.id ?? '')?.y ?? 0) > (painted.boxes.get(model.nodes[a]?.id ?? '')?.y ?? 0), 'top to bottom: downstream is below');
  });

  test('status messages recolour nodes in place, without a relayout', async () => {
    const model = example('fan-out');
    await page.clearPosted();
    await page.send({ type: 'model', model, errorCount: 0, direction: 'RIGHT' });
    await page.waitRendered(['final', 'cached']);
    const before = await readPainted(page.page);
    const [first, second] = model.nodes;
    assert.ok(first !== undefined && second !== undefined);
    await page.send({ type: 'run', run: { runId: 7, status: 'running', startedAt: Date.now() - 5000, done: 0, total: model.nodes.length }, blocks: { [first.id]: { status: 'running' } } });
    await page.send({ type: 'status', runId: 7, block: first.id, state: { status: 'completed', durationMs: 4200, attempts: 2 }, header: { runId: 7, status: 'running', startedAt: Date.now() - 5000, done: 1, total: model.nodes.length } });
    await page.send({ type: 'status', runId: 7, block: second.id, state: { status: 'failed', durationMs: 80 }, header: { runId: 7, status: 'running', startedAt: Date.now() - 5000, done: 2, total: model.nodes.length } });
    // A status of another run is ignored.
    await page.send({ type: 'status', runId: 6, block: second.id, state: { status: 'cached' }, header: { runId: 6, status: 'running', done: 2, total: 3 } });
    const seen = await page.page.evaluate((ids) => ids.map((id) => {
      const g = document.querySelector(`g.node[data-id="${id}"]`);
      const bar = g?.querySelector('rect.bar');
      return { cls: g?.getAttribute('class') ?? '', fill: bar === null || bar === undefined ? '' : getComputedStyle(bar).fill, meta: g?.querySelector('text.meta')?.textContent ?? '', label: g?.getAttribute('aria-label') ?? '' };
    }), [first.id, second.id]);
    assert.match(seen[0]?.cls ?? '', /s-completed/);
    assert.equal(seen[0]?.fill, 'rgb(115, 201, 145)', 'completed uses the passed colour');
    assert.equal(seen[0]?.meta, '4.2s · 2 attempts');
    assert.match(seen[0]?.label ?? '', /completed, 4\.2s, 2 attempts/);
    assert.match(seen[1]?.cls ?? '', /s-failed/);
    assert.equal(seen[1]?.fill, 'rgb(241, 76, 76)', 'failed uses the failed colour');
    const after = await readPainted(page.page);
    assert.equal(after.hash, before.hash);
    assert.deepEqual([...after.boxes], [...before.boxes], 'no node moved');
    assert.deepEqual(after.routes, before.routes, 'no edge moved');
    const header = await page.page.evaluate(() => document.querySelector('.run-header')?.textContent ?? '', undefined);
    assert.match(header, /Run #7 · running/);
    assert.match(header, new RegExp(`2/${model.nodes.length} blocks`));
  });

  test('a paused message marks the debugger\'s held blocks distinctly; an empty one clears them', async () => {
    const model = example('ml-train'); // not the previous test's graph: an unchanged structure posts no `rendered`
    await page.clearPosted();
    await page.send({ type: 'model', model, errorCount: 0, direction: 'RIGHT' });
    await page.waitRendered(['final', 'cached']);
    const [first, second] = model.nodes;
    assert.ok(first !== undefined && second !== undefined);
    // A held block is queued or running in the store; the pause must still stand out from both.
    await page.send({ type: 'run', run: { runId: 8, status: 'running', done: 0, total: model.nodes.length }, blocks: { [first.id]: { status: 'running' }, [second.id]: { status: 'running' } } });
    const read = (): Promise<{ cls: string; stroke: string; width: string; label: string; glyph: string }[]> => page.page.evaluate((ids) => ids.map((id) => {
      const g = document.querySelector(`g.node[data-id="${id}"]`);
      const box = g?.querySelector('rect.box');
      const style = box === null || box === undefined ? undefined : getComputedStyle(box);
      return { cls: g?.getAttribute('class') ?? '', stroke: style?.stroke ?? '', width: style?.strokeWidth ?? '', label: g?.getAttribute('aria-label') ?? '', glyph: g?.querySelector('text.glyph')?.textContent ?? '' };
    }), [first.id, second.id]);
    await page.send({ type: 'paused', blocks: [first.id] });
    const paused = await read();
    assert.match(paused[0]?.cls ?? '', /\bpaused\b/);
    assert.equal(paused[0]?.stroke, 'rgb(117, 190, 255)', 'the paused block uses the debugger\'s pause colour');
    assert.equal(paused[0]?.width, '3px');
    assert.match(paused[0]?.label ?? '', new RegExp(`^Block ${first.id}, ⏸ paused in the debugger, running`));
    assert.equal(paused[0]?.glyph, '⏸');
    assert.doesNotMatch(paused[1]?.cls ?? '', /\bpaused\b/, 'only the held block is marked');
    assert.notEqual(paused[1]?.stroke, paused[0]?.stroke, 'a running block looks different from a paused one');
    assert.doesNotMatch(paused[1]?.label ?? '', /paused/);

    await page.send({ type: 'paused', blocks: [] });
    const cleared = await read();
    assert.doesNotMatch(cleared[0]?.cls ?? '', /\bpaused\b/);
    assert.doesNotMatch(cleared[0]?.label ?? '', /paused/);
    assert.equal(cleared[0]?.glyph, '↻', 'the status glyph is back');
    assert.equal(cleared[0]?.stroke, cleared[1]?.stroke, 'cleared: styled like any running block');
  });

  test('click, double-click, the context menu and the keyboard post the expected messages', async () => {
    const model = example('etl');
    await page.clearPosted();
    await page.send({ type: 'model', model, errorCount: 0, direction: 'RIGHT' });
    await page.waitRendered(['final', 'cached']);
    await page.clearPosted();
    await page.page.click('g.node[data-id="transform"]', { force: true });
    await page.page.dblclick('g.node[data-id="check"]', { force: true });
    await page.page.click('g.node[data-id="load"]', { button: 'right', force: true });
    await page.page.click('.context-menu .menu-item[data-command="runFromBlock"]');
    await page.page.click('g.node[data-id="extract"]', { force: true });
    await page.page.keyboard.press('ArrowRight');
    await page.page.keyboard.press('Enter');
    const posted = (await page.posted()).filter((m) => m.type !== 'rendered');
    assert.deepEqual(posted, [
      { type: 'revealBlock', block: 'transform' },
      { type: 'revealBlock', block: 'check' },
      { type: 'revealBlock', block: 'check' },
      { type: 'blockCommand', command: 'openLog', block: 'check' },
      { type: 'blockCommand', command: 'runFromBlock', block: 'load' },
      { type: 'revealBlock', block: 'extract' },
      { type: 'revealBlock', block: 'transform' },
    ]);
    const focused = await page.page.evaluate(() => document.activeElement?.getAttribute('data-id') ?? '', undefined);
    assert.equal(focused, 'transform', 'ArrowRight moved focus downstream');

    await page.clearPosted();
    await page.page.click('vscode-button:has-text("Dry Run")');
    await page.page.click('vscode-button:has-text("Run")');
    assert.deepEqual(await page.posted(), [{ type: 'toolbar', command: 'dryRun' }, { type: 'toolbar', command: 'runPipeline' }]);
    await page.page.fill('vscode-textfield input', 'LOA');
    const selected = await page.page.evaluate(() => document.querySelector('g.node.selected')?.getAttribute('data-id') ?? '', undefined);
    assert.equal(selected, 'load', 'search selects the matching block');
  });

  test('markup in pipeline text and in message payloads is shown as text, and no script runs', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const model: GraphModel = {
      pipelineName: `<script>alert(2)</script>`,
      nodes: [{ id: 'safe', description: evil }, { id: `<img src=y onerror=alert(3)>` }, { id: 'x', description: '</title><svg onload=alert(4)>' }],
      edges: [[0, 1], [1, 2]],
    };
    await page.clearPosted();
    await page.send({ type: 'model', model, errorCount: 0, direction: 'RIGHT' });
    await page.waitRendered(['final', 'cached', 'preliminary']);
    await page.send({ type: 'runs', runs: [{ runId: 3, status: 'failed', label: evil }], selected: 3 });
    await page.send({ type: 'run', run: { runId: 3, status: 'failed', done: 1, total: 3 }, blocks: { [`<img src=y onerror=alert(3)>`]: { status: 'failed' } } });
    await page.send({ type: 'plan', marks: [{ block: 'safe', action: 'run', reason: evil }] });
    await new Promise((r) => setTimeout(r, 300));
    const result = await page.page.evaluate(() => ({
      imgs: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script').length,
      svgs: document.querySelectorAll('svg').length,
      alerts: (window as unknown as { __alerts: number }).__alerts,
      title: document.querySelector('g.node[data-id="safe"] title')?.textContent ?? '',
      evilId: document.querySelectorAll('g.node')[1]?.querySelector('text.id')?.textContent ?? '',
      option: document.querySelector('vscode-option')?.textContent ?? '',
    }), undefined);
    assert.equal(result.imgs, 0, 'no <img> element was created');
    assert.equal(result.scripts, 1, 'only the bundle script');
    assert.equal(result.svgs, 1, 'only the graph svg');
    assert.equal(result.alerts, 0);
    assert.deepEqual(page.dialogs, []);
    assert.equal(result.title, `safe\n${evil}`);
    assert.equal(result.evilId, '<img src=y onerror=…');
    assert.equal(result.option, evil);
  });

  test('an invalid file keeps the last graph and shows a banner with the error count', async () => {
    const model = example('etl');
    await page.clearPosted();
    await page.send({ type: 'model', model, errorCount: 0, direction: 'RIGHT' });
    await page.waitRendered(['final', 'cached']);
    const before = await readPainted(page.page);
    await page.send({ type: 'invalid', errorCount: 3 });
    const banner = await page.page.evaluate(() => {
      const b = document.querySelector<HTMLElement>('.error-banner');
      return { hidden: b?.hidden, text: b?.textContent };
    }, undefined);
    assert.deepEqual(banner, { hidden: false, text: 'The file has 3 errors; showing the last valid graph.' });
    assert.deepEqual([...(await readPainted(page.page)).boxes], [...before.boxes]);
    await page.send({ type: 'model', model, errorCount: 0, direction: 'RIGHT' });
    assert.equal(await page.page.evaluate(() => document.querySelector<HTMLElement>('.error-banner')?.hidden, undefined), true);
  });

  test('the page loads with no CSP violation or script error', () => {
    assert.deepEqual(page.errors, []);
  });
});

// No suite-wide deadline: each test launches its own Chromium, and three launches plus a 200-block
// layout took more than a shared 120 s on a busy machine, failing all three at once. A hang still fails
// through the per-test guard, far above any slowness.
describe('screenshots', () => {
  test('a 200-block graph top to bottom, zoomed to fit, with the error banner', { timeout: 600_000 }, async () => {
    const page = await GraphPage.open('dark', { width: 1200, height: 700 });
    try {
      const model = generated(200);
      await page.send({ type: 'model', model, errorCount: 0, direction: 'DOWN' });
      await page.waitRendered(['final']);
      await page.send({ type: 'run', run: { runId: 4, status: 'failed', startedAt: 0, finishedAt: 42_000, done: 200, total: 200 }, blocks: Object.fromEntries(model.nodes.map((n, i) => [n.id, { status: i % 17 === 0 ? 'failed' : i % 5 === 0 ? 'cached' : 'completed' }])) });
      await page.send({ type: 'invalid', errorCount: 2 });
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.page.screenshot({ path: join(ARTIFACTS, 'graph-200-down-dark.png') });
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
    }
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`ml-train with a run and a plan, ${theme} theme`, { timeout: 600_000 }, async () => {
      const page = await GraphPage.open(theme, { width: 1200, height: 640 });
      try {
        const model = example('ml-train');
        await page.send({ type: 'model', model, errorCount: 0, direction: 'RIGHT' });
        await page.waitRendered(['final']);
        const statuses = ['completed', 'completed', 'running', 'failed', 'upstream_failed', 'cached', 'queued', 'skipped'] as const;
        const blocks: Record<string, BlockState> = Object.fromEntries(model.nodes.map((n, i) => [n.id, { status: statuses[i % statuses.length] ?? 'initial', durationMs: 1200 * (i + 1), attempts: i === 3 ? 3 : 1 }]));
        await page.send({ type: 'runs', runs: [{ runId: 12, status: 'running', label: '#12 running · just now' }], selected: 12 });
        await page.send({ type: 'run', run: { runId: 12, status: 'running', startedAt: Date.now() - 65_000, done: 5, total: model.nodes.length }, blocks });
        await page.page.click(`g.node[data-id="${model.nodes[1]?.id ?? ''}"]`, { force: true });
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.page.screenshot({ path: join(ARTIFACTS, `graph-${theme}.png`) });
        await page.send({ type: 'plan', marks: model.nodes.map((n, i) => ({ block: n.id, action: i % 3 === 0 ? 'cached' : i % 3 === 1 ? 'run' : 'condition_failed' })) });
        await page.page.screenshot({ path: join(ARTIFACTS, `graph-plan-${theme}.png`) });
        assert.deepEqual(page.errors, []);
      } finally {
        await page.close();
      }
    });
  }
});
