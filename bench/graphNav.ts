// Pan and zoom frame rate of the graph webview at 3,000 blocks, in headless Chromium (Debian's,
// software rendering: no GPU here), measured in the page: one pointer move or wheel step per
// animation frame, frames per second from the frames' own requestAnimationFrame timestamps.
// Scenarios: panning the zoomed-out overview, wheel zoom in and out, panning at ~100% (after
// "find" and "zoom to selection"), panning at ~0.33 (just above the text zoom, the most nodes drawn one by one), all with the minimap shown (as a user sees it).
// Paths side by side in one run, interleaved round by round (medians reported):
// - `culled`: the path now: only the nodes in the drawn area have elements, and zoomed far out the
//   nodes are one path per look (view/culling.ts): ~13 svg elements at overview instead of ~12,000;
// - `flat`: every node in the DOM (the path before culling), the gesture moves the svg as one composited layer, nodes placed by their own
//   coordinates (view/graphView.ts place()): the svg has few paint chunks, so a frame's
//   main-thread re-layerisation (`Layerize` in a CDP trace) stays small;
// - `grouped`: the same, with a transform per node group (the path before): each starts a paint
//   chunk and every gesture frame re-layerises ~3,000 of them;
// - `repaint` (MODES=…,repaint): the SVG redrawn at every step, the path before that.
// Peer in the same run: an idle page's frame rate (the machine's ceiling at that moment), per round.
// Also the main thread's Layerize and style time per gesture frame, from a CDP trace.
// Run: scripts/node24.sh npm run build && BENCH_QUICK=1 scripts/node24.sh node bench/graphNav.ts
// (quick: one round, 90 frames per gesture, ~3 min; without: 3 rounds of 150 frames).
// THROTTLE=4 slows Chromium's CPU four times (Emulation.setCPUThrottlingRate): a slower or busier machine.
// FRAMES=… BLOCKS=… ROUNDS=… MODES=culled,flat,grouped,repaint to change what is measured.
import { loadavg } from 'node:os';
import { generateNoopDag } from './generate.ts';
import type { GraphModel } from '../webview/src/protocol.ts';
import { GraphPage, type Page } from '../test/webview/lib/graphPage.ts';

const BLOCKS = Number(process.env.BLOCKS ?? 3000);
const SMALL = 30;
const QUICK = process.env.BENCH_QUICK === '1';
const FRAMES = Number(process.env.FRAMES ?? (QUICK ? 90 : 150));
const ROUNDS = Number(process.env.ROUNDS ?? (QUICK ? 1 : 3));
const THROTTLE = Number(process.env.THROTTLE ?? 1);

async function cdp(page: Page, method: string, params: object): Promise<void> {
  const session = await (page as unknown as { context(): { newCDPSession(p: unknown): Promise<CdpSession> } }).context().newCDPSession(page);
  await session.send(method, params);
}
type Mode = 'culled' | 'flat' | 'grouped' | 'repaint';

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

interface Figures {
  overview: number;
  zoom: number;
  close: number;
  /** Pan just above the text zoom (~0.33), the most nodes drawn one by one. */
  mid: number;
  /** Main-thread Layerize and style-recalc milliseconds per gesture frame (all three gestures). */
  layerize: number;
  style: number;
  /** All main-thread tasks per gesture frame: what a slower or busier machine pays in frame time. */
  busy: number;
}

/** The three gestures on one path; the model is already shown. */
async function gestures(page: GraphPage, m: GraphModel, mode: Mode): Promise<Figures> {
  const blocks = m.nodes.length;
  await page.page.click('vscode-button[title="Fit the graph to the view"]', { force: true });
  await quiet(page.page);
  const trace = await Trace.start(page.page);
  const overview = await measure(page.page, 'pan');
  await settleFrame(page.page);
  await quiet(page.page);
  const zoom = await measure(page.page, 'zoom');
  await settleFrame(page.page);
  // ~100%: find a block in the middle, then zoom to it and its neighbours.
  await page.page.fill('vscode-textfield.search input', m.nodes[Math.floor(blocks / 2)]?.id ?? '');
  await page.page.click('.nav-button.zoom-selection', { force: true });
  // Its neighbours can be far apart (the selection's zoom is then low): zoom in (+, ×1.25) to ~100%.
  while ((await scaleOf(page.page)) < 0.9) await page.page.click('.nav-button.zoom-in', { force: true });
  const closeScale = await scaleOf(page.page);
  await quiet(page.page);
  const close = await measure(page.page, 'pan');
  await settleFrame(page.page);
  // Zoom out step by step (the − button, ×0.8) to just above the zoom where texts are hidden.
  while ((await scaleOf(page.page)) > 0.36) await page.page.click('.nav-button.zoom-out', { force: true });
  await quiet(page.page);
  const mid = await measure(page.page, 'pan');
  const main = await trace.stop();
  console.error(`${mode} ${blocks}: overview pan ${overview.fps.toFixed(1)}, zoom ${zoom.fps.toFixed(1)}, pan at ${closeScale.toFixed(2)} ${close.fps.toFixed(1)}, pan at ${(await scaleOf(page.page)).toFixed(2)} ${mid.fps.toFixed(1)} fps; Layerize ${main.layerize.toFixed(0)} ms`);
  // Includes the settling redraws' frames (one per gesture): an upper bound on what gesture frames pay.
  const frames = 4 * FRAMES;
  return { overview: overview.fps, zoom: zoom.fps, close: close.fps, mid: mid.fps, layerize: main.layerize / frames, style: main.style / frames, busy: main.busy / frames };
}

/** The graph's drawn zoom, from the world group's SVG transform. */
function scaleOf(page: Page): Promise<number> {
  return page.evaluate(() => {
    const transform = document.querySelector('svg.graph g.world')?.getAttribute('transform') ?? '';
    return Number(/scale\(([^)]+)\)/.exec(transform)?.[1] ?? NaN);
  }, undefined);
}

/** Main-thread time by trace event name, through the page's CDP session. */
class Trace {
  private readonly session: CdpSession;
  private readonly events: TraceEvent[] = [];
  private constructor(session: CdpSession) {
    this.session = session;
    session.on('Tracing.dataCollected', (data) => this.events.push(...((data as { value: TraceEvent[] }).value)));
  }

  static async start(page: Page): Promise<Trace> {
    const session = await (page as unknown as { context(): { newCDPSession(p: unknown): Promise<CdpSession> } }).context().newCDPSession(page);
    const trace = new Trace(session);
    await session.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
    return trace;
  }

  async stop(): Promise<{ layerize: number; style: number; busy: number }> {
    const complete = new Promise((done) => this.session.once('Tracing.tracingComplete', done));
    await this.session.send('Tracing.end');
    await complete;
    const main = new Set(this.events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
    const sum = (name: string): number => this.events.filter((e) => e.name === name && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`)).reduce((total, e) => total + (e.dur ?? 0) / 1000, 0);
    const result = { layerize: sum('Layerize'), style: sum('UpdateLayoutTree'), busy: sum('RunTask') };
    await this.session.detach();
    return result;
  }
}

interface CdpSession {
  send(method: string, params?: object): Promise<unknown>;
  on(event: string, listener: (data: unknown) => void): void;
  once(event: string, listener: (data: unknown) => void): void;
  detach(): Promise<void>;
}
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

async function show(page: GraphPage, m: GraphModel): Promise<void> {
  await page.clearPosted();
  await page.send({ type: 'model', model: m, errorCount: 0, direction: 'RIGHT' });
  // The fast layout's paint: the same nodes and edges as elk's (which can take minutes on a loaded machine).
  // On an idle machine the small graph's elk layout arrives in time to be kept: shown again, it is `cached`.
  await page.waitRendered(['preliminary', 'final', 'cached'], 600_000);
}

/** Switches the page to a path and shows the big graph afresh on it (a small one between, so it is rebuilt). */
async function use(page: GraphPage, mode: Mode, m: GraphModel): Promise<void> {
  await page.page.evaluate((mode) => {
    const data = document.documentElement.dataset;
    if (mode === 'repaint') data.graphGestures = 'repaint';
    else delete data.graphGestures;
    if (mode === 'grouped') data.graphNodePlacement = 'transform';
    else delete data.graphNodePlacement;
    if (mode === 'culled') delete data.graphCulling;
    else data.graphCulling = 'off';
  }, mode);
  await show(page, model(SMALL));
  await show(page, m);
  // The graph shown before (up to ~15,000 elements) is garbage now: collected here, not by a major GC
  // in the middle of this path's gestures (which made the wheel-zoom figure follow the order of the paths).
  await cdp(page.page, 'HeapProfiler.collectGarbage', {});
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

async function main(): Promise<void> {
  const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
  const loadBefore = load();
  const started = Date.now();
  const page = await GraphPage.open('dark', { width: 1200, height: 800 });
  try {
    // THROTTLE=4: Chromium's CPU throttling, a slower machine (or one as loaded as during the helpers' session).
    if (THROTTLE > 1) await cdp(page.page, 'Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    const m = model(BLOCKS);
    const modes = (process.env.MODES ?? 'culled,flat').split(',') as Mode[];
    const idle: number[] = [];
    const results = new Map<Mode, Figures[]>(modes.map((mode) => [mode, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // The machine's ceiling right now: the same page, animation frames with nothing to do.
      idle.push((await measure(page.page, 'idle')).fps);
      const order = round % 2 === 0 ? modes : [...modes].reverse();
      for (const mode of order) {
        await use(page, mode, m);
        results.get(mode)?.push(await gestures(page, m, mode));
      }
    }
    const base = median(idle);
    const cell = (values: number[]): string => `${median(values).toFixed(1)} (${((median(values) / base) * 100).toFixed(0)}%)`;
    console.log(`Graph pan/zoom at ${BLOCKS} blocks, minimap shown, headless Chromium (software rendering${THROTTLE > 1 ? `, CPU throttled ×${THROTTLE}` : ''}), ${FRAMES} frames per gesture, ${ROUNDS} round(s) interleaved, medians; load average ${loadBefore} before, ${load()} after (2 CPUs); ${((Date.now() - started) / 60_000).toFixed(1)} min:`);
    console.log('');
    console.log('| path | pan overview fps (% of idle) | wheel zoom fps | pan at ~100% fps | pan at ~0.33 fps | main thread ms/frame | Layerize ms/frame | style ms/frame |');
    console.log('|---|---|---|---|---|---|---|---|');
    console.log(`| idle page (no gesture) | ${base.toFixed(1)} (100%) | | | | | | |`);
    for (const [mode, figures] of results) {
      console.log(`| ${mode} | ${cell(figures.map((f) => f.overview))} | ${cell(figures.map((f) => f.zoom))} | ${cell(figures.map((f) => f.close))} | ${cell(figures.map((f) => f.mid))} | ${median(figures.map((f) => f.busy)).toFixed(1)} | ${median(figures.map((f) => f.layerize)).toFixed(2)} | ${median(figures.map((f) => f.style)).toFixed(2)} |`);
    }
    if (page.errors.length > 0) console.log(`page errors: ${page.errors.join('; ')}`);
  } finally {
    await page.close();
  }
}

await main();
