// Pan and zoom frame rate of the graph webview at 3,000 blocks, in headless Chromium (Debian's,
// software rendering: no GPU here), measured in the page: one pointer move or wheel step per
// animation frame for 180 frames, frames per second from the frames' own timestamps.
// Scenarios: panning the zoomed-out overview, panning at 100% (node texts created as they come
// into view), wheel zoom in and out; each with the minimap shown (as a user sees it) and hidden.
// Run: node bench/graphNav.ts (after npm run build).
import { generateNoopDag } from './generate.ts';
import type { GraphModel } from '../webview/src/protocol.ts';
import { GraphPage, type Page } from '../test/webview/lib/graphPage.ts';

const BLOCKS = Number(process.env.BLOCKS ?? 3000);
const FRAMES = 180;

function model(blocks: number): GraphModel {
  const dag = generateNoopDag(blocks);
  return { pipelineName: `nav-${blocks}`, nodes: dag.ids.map((id) => ({ id })), edges: dag.deps.flatMap((deps, i) => deps.map((d): [number, number] => [d, i])) };
}

type Gesture = 'pan' | 'zoom';

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
          } else {
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

async function main(): Promise<void> {
  const page = await GraphPage.open('dark', { width: 1200, height: 800 });
  try {
    const m = model(BLOCKS);
    await page.send({ type: 'model', model: m, errorCount: 0, direction: 'RIGHT' });
    // The fast layout's paint: the same 3,000 nodes and edges as elk's (which can take minutes on a loaded machine).
    await page.waitRendered(['preliminary', 'final'], 600_000);
    console.error('painted; measuring');
    const rows: string[] = [];
    for (const minimap of [true, false]) {
      if (!minimap) await page.page.click('.nav-button.minimap-toggle', { force: true });
      await page.page.click('vscode-button[title="Fit the graph to the view"]', { force: true });
      const overview = await measure(page.page, 'pan');
      console.error(`overview pan ${overview.fps.toFixed(1)} fps`);
      const zoom = await measure(page.page, 'zoom');
      // 100%: find a block in the middle (zooms to a readable scale), then set exactly 1:1 by wheel-free means: zoom to selection.
      await page.page.fill('vscode-textfield.search input', m.nodes[Math.floor(BLOCKS / 2)]?.id ?? '');
      await page.page.click('.nav-button.zoom-selection', { force: true });
      const close = await measure(page.page, 'pan');
      const label = minimap ? 'minimap shown' : 'minimap hidden';
      rows.push(`${label.padEnd(15)} pan overview ${overview.fps.toFixed(1)} fps (5th pct ${overview.p5.toFixed(1)}) · wheel zoom ${zoom.fps.toFixed(1)} fps (5th pct ${zoom.p5.toFixed(1)}) · pan at ~100% ${close.fps.toFixed(1)} fps (5th pct ${close.p5.toFixed(1)})`);
    }
    console.log(`Graph pan/zoom at ${BLOCKS} blocks, headless Chromium (software rendering), ${FRAMES} frames per gesture:`);
    for (const row of rows) console.log(`  ${row}`);
    if (page.errors.length > 0) console.log(`page errors: ${page.errors.join('; ')}`);
  } finally {
    await page.close();
  }
}

await main();
