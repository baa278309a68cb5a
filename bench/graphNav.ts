// Pan and zoom frame rate of the graph webview at 3,000 blocks, in headless Chromium (Debian's,
// software rendering: no GPU here), measured in the page: one pointer move or wheel step per
// animation frame, frames per second from the frames' own requestAnimationFrame timestamps.
// Scenarios: panning the zoomed-out overview, wheel zoom in and out, panning at ~100% (after
// "find" and "zoom to selection"), all with the minimap shown (as a user sees it).
// Two paths side by side in one run: `compositor` (the gesture moves one composited layer; the SVG
// is redrawn once when the gesture settles) and `repaint` (the SVG redrawn at every step, the path
// before; kept switchable by view/viewport.ts for this measure). For the compositor path also the
// longest frame of the second after a gesture ends: the one repaint it costs when it settles.
// Peers in the same run: an idle page's frame rate (the machine's ceiling at that moment) and the
// compositor path on a 30-block graph. Run: node bench/graphNav.ts (after npm run build).
// FRAMES=… BLOCKS=… MODES=compositor,repaint to change what is measured.
import { loadavg } from 'node:os';
import { generateNoopDag } from './generate.ts';
import type { GraphModel } from '../webview/src/protocol.ts';
import { GraphPage, type Page } from '../test/webview/lib/graphPage.ts';

const BLOCKS = Number(process.env.BLOCKS ?? 3000);
const SMALL = 30;
const FRAMES = Number(process.env.FRAMES ?? 150);
type Mode = 'compositor' | 'repaint';

function model(blocks: number): GraphModel {
  const dag = generateNoopDag(blocks);
  return { pipelineName: `nav-${blocks}`, nodes: dag.ids.map((id) => ({ id })), edges: dag.deps.flatMap((deps, i) => deps.map((d): [number, number] => [d, i])) };
}

type Gesture = 'pan' | 'zoom' | 'idle';

/** Frames per second (mean, and the 5th percentile of per-frame rates) over FRAMES steps of a gesture. */
function measure(page: Page, gesture: Gesture): Promise<{ fps: number; p5: number }> {
  return page.evaluate(
    async ({ gesture, frames }) => {
      const svg = document.querySelector('svg.graph') as SVGSVGElement;
      const r = svg.getBoundingClientRect();
      let x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      const options = (cx: number): PointerEventInit => ({ pointerId: 1, pointerType: 'mouse', button: 0, buttons: 1, clientX: cx, clientY: y, bubbles: true, isPrimary: true });
      if (gesture === 'pan') svg.dispatchEvent(new PointerEvent('pointerdown', options(x)));
      const times: number[] = [];
      await new Promise<void>((done) => {
        const step = (t: number): void => {
          times.push(t);
          if (times.length > frames) return done();
          if (gesture === 'pan') {
            x += times.length % 60 < 30 ? 6 : -6;
            svg.dispatchEvent(new PointerEvent('pointermove', options(x)));
          } else if (gesture === 'zoom') {
            svg.dispatchEvent(new WheelEvent('wheel', { deltaY: times.length % 60 < 30 ? -40 : 40, clientX: x, clientY: y, bubbles: true, cancelable: true }));
          }
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
      if (gesture === 'pan') svg.dispatchEvent(new PointerEvent('pointerup', options(x)));
      const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t)).sort((a, b) => b - a);
      const elapsed = (times.at(-1) ?? 0) - (times[0] ?? 0);
      return { fps: ((times.length - 1) / elapsed) * 1000, p5: 1000 / (gaps[Math.floor(gaps.length * 0.05)] ?? 1) };
    },
    { gesture, frames: FRAMES },
  );
}

/** Waits until frames come quickly again (the last redraw rasterised), at most 30 s. */
function quiet(page: Page): Promise<void> {
  return page.evaluate(async () => {
    const start = performance.now();
    let fast = 0;
    let last = start;
    await new Promise<void>((done) => {
      const step = (t: number): void => {
        fast = t - last < 40 ? fast + 1 : 0;
        last = t;
        if (fast >= 10 || t - start > 30_000) return done();
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
  }, undefined);
}

/** The longest frame in the second after a gesture: what settling (the one redraw) costs. */
function settleFrame(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const times: number[] = [];
    const start = performance.now();
    await new Promise<void>((done) => {
      const step = (t: number): void => {
        times.push(t);
        if (t - start > 1000) return done();
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    return Math.max(...times.slice(1).map((t, i) => t - (times[i] ?? t)));
  }, undefined);
}

/** The three gestures on one path; the model is already shown. */
async function gestures(page: GraphPage, m: GraphModel, mode: Mode): Promise<string> {
  await page.page.evaluate((repaint) => {
    if (repaint) document.documentElement.dataset.graphGestures = 'repaint';
    else delete document.documentElement.dataset.graphGestures;
  }, mode === 'repaint');
  const blocks = m.nodes.length;
  await page.page.click('vscode-button[title="Fit the graph to the view"]', { force: true });
  await quiet(page.page);
  const overview = await measure(page.page, 'pan');
  const overviewSettle = await settleFrame(page.page);
  console.error(`${mode} ${blocks}: overview pan ${overview.fps.toFixed(1)} fps`);
  await quiet(page.page);
  const zoom = await measure(page.page, 'zoom');
  const zoomSettle = await settleFrame(page.page);
  console.error(`${mode} ${blocks}: wheel zoom ${zoom.fps.toFixed(1)} fps`);
  // ~100%: find a block in the middle, then zoom to it and its neighbours.
  await page.page.fill('vscode-textfield.search input', m.nodes[Math.floor(blocks / 2)]?.id ?? '');
  await page.page.click('.nav-button.zoom-selection', { force: true });
  await quiet(page.page);
  const close = await measure(page.page, 'pan');
  const closeSettle = await settleFrame(page.page);
  const settle = mode === 'compositor' ? ` · longest frame after the gesture (its one redraw): overview ${overviewSettle.toFixed(0)} ms, zoom ${zoomSettle.toFixed(0)} ms, ~100% ${closeSettle.toFixed(0)} ms` : '';
  const label = `${mode}, ${blocks} blocks`;
  return `${label.padEnd(24)} pan overview ${overview.fps.toFixed(1)} fps (5th pct ${overview.p5.toFixed(1)}) · wheel zoom ${zoom.fps.toFixed(1)} fps (5th pct ${zoom.p5.toFixed(1)}) · pan at ~100% ${close.fps.toFixed(1)} fps (5th pct ${close.p5.toFixed(1)})${settle}`;
}

async function show(page: GraphPage, m: GraphModel): Promise<void> {
  await page.clearPosted();
  await page.send({ type: 'model', model: m, errorCount: 0, direction: 'RIGHT' });
  // The fast layout's paint: the same nodes and edges as elk's (which can take minutes on a loaded machine).
  await page.waitRendered(['preliminary', 'final'], 600_000);
}

async function main(): Promise<void> {
  const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
  const loadBefore = load();
  const page = await GraphPage.open('dark', { width: 1200, height: 800 });
  try {
    const rows: string[] = [];
    // The machine's ceiling right now: the same page, animation frames with nothing to do.
    const idle = await measure(page.page, 'idle');
    rows.push(`${'idle page (no gesture)'.padEnd(24)} ${idle.fps.toFixed(1)} fps (5th pct ${idle.p5.toFixed(1)})`);
    const m = model(BLOCKS);
    await show(page, m);
    console.error('painted; measuring');
    const modes = (process.env.MODES ?? 'compositor,repaint').split(',') as Mode[];
    for (const mode of modes) rows.push(await gestures(page, m, mode));
    // The peer: the compositor path on a small graph, in the same page and run.
    await show(page, model(SMALL));
    rows.push(await gestures(page, model(SMALL), 'compositor'));
    console.log(`Graph pan/zoom, minimap shown, headless Chromium (software rendering), ${FRAMES} frames per gesture; load average ${loadBefore} before, ${load()} after (2 CPUs):`);
    for (const row of rows) console.log(`  ${row}`);
    if (page.errors.length > 0) console.log(`page errors: ${page.errors.join('; ')}`);
  } finally {
    await page.close();
  }
}

await main();
