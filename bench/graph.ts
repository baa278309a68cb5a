// Graph webview benchmark: node bench/graph.ts (npm run bench:graph builds first).
// In headless Chromium, on generated layered DAGs of 50–3,000 blocks: time from the webview
// receiving a model to its first complete paint (fast layout) and to the final elkjs layout; one
// status update at 1,000 and 3,000 blocks; reopening an unchanged 3,000-block graph (cached
// layout); and in the same browser the bare elkjs layout with default options and dagre (the
// peer, fetched from the npm registry into a temp folder, as it is not a dependency).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { LayoutCache } from '../client/src/graph/layoutCache.ts';
import { toElkGraph } from '../webview/src/layout/elkLayout.ts';
import { fastLayout } from '../webview/src/layout/fastLayout.ts';
import { NODE_HEIGHT, NODE_WIDTH } from '../webview/src/layout/geometry.ts';
import { structureHash } from '../webview/src/layout/structureHash.ts';
import type { GraphLayout, GraphModel, HostMessage } from '../webview/src/protocol.ts';
import { countCrossings, overlappingPairs } from '../test/webview/lib/geometry.ts';
import { GraphPage, ROOT, type Page } from '../test/webview/lib/graphPage.ts';
import { generateNoopDag } from './generate.ts';

const SIZES = [50, 200, 1000, 3000];
const DAGRE_VERSION = '0.8.5';

/** The generated DAG; `round` renames the blocks, so each repetition is a structure never laid out before. */
function model(blocks: number, round = 0): GraphModel {
  const dag = generateNoopDag(blocks);
  const suffix = round === 0 ? '' : `_${round}`;
  return { pipelineName: `bench-${blocks}`, nodes: dag.ids.map((id) => ({ id: `${id}${suffix}` })), edges: dag.deps.flatMap((deps, i) => deps.map((d): [number, number] => [d, i])) };
}

/** Repetitions per size: 3 where a layout takes about a second or less, once at 3,000 (dagre alone takes minutes). */
const roundsFor = (size: number): number => (size <= 1000 ? 3 : 1);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function fetchDagre(): string | undefined {
  const folder = join(tmpdir(), `pipeline-studio-bench-dagre-${DAGRE_VERSION}`);
  const file = join(folder, 'package', 'dist', 'dagre.js');
  if (existsSync(file)) return file;
  try {
    mkdirSync(folder, { recursive: true });
    const tarball = execFileSync('npm', ['pack', `dagre@${DAGRE_VERSION}`, '--silent'], { cwd: folder, encoding: 'utf8', timeout: 120_000 }).trim().split('\n').at(-1) ?? '';
    execFileSync('tar', ['xzf', tarball], { cwd: folder });
    return existsSync(file) ? file : undefined;
  } catch (error) {
    console.error(`dagre not measured: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function boxesOf(layout: GraphLayout, m: GraphModel): Map<string, { x: number; y: number; width: number; height: number }> {
  return new Map(m.nodes.map((n, i) => [n.id, { x: layout.boxes[i * 4] ?? 0, y: layout.boxes[i * 4 + 1] ?? 0, width: layout.boxes[i * 4 + 2] ?? 0, height: layout.boxes[i * 4 + 3] ?? 0 }]));
}

async function graphRun(page: GraphPage, m: GraphModel, cachedLayout?: GraphLayout): Promise<{ first: number; final: number | undefined; layout: GraphLayout | undefined }> {
  await page.clearPosted();
  const message: HostMessage = { type: 'model', model: m, errorCount: 0, direction: 'RIGHT', ...(cachedLayout !== undefined ? { cachedLayout } : {}) };
  await page.send(message);
  // A small graph may paint its final layout first (it waits briefly for elk instead of the fast layout).
  const first = await page.waitRendered(['preliminary', 'cached', 'final'], 300_000);
  if (first.phase === 'cached') return { first: first.ms, final: undefined, layout: undefined };
  const final = first.phase === 'final' ? first : await page.waitRendered(['final'], 600_000);
  const done = (await page.posted()).find((p) => p.type === 'layoutDone');
  return { first: first.ms, final: final.ms, layout: done?.type === 'layoutDone' ? done.layout : undefined };
}

/** Median over `times` status updates: applying the message (DOM + style) and to the next painted frame. */
async function statusUpdate(page: Page, m: GraphModel, times: number): Promise<{ apply: number; frame: number }> {
  const ids = m.nodes.map((n) => n.id);
  const result = await page.evaluate(async ({ ids: all, times: n }) => {
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'run', run: { runId: 1, status: 'running', done: 0, total: all.length }, blocks: Object.fromEntries(all.map((id) => [id, { status: 'queued' }])) } }));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const apply: number[] = [];
    const frame: number[] = [];
    for (let k = 0; k < n; k++) {
      const id = all[Math.floor((k * 7919) % all.length)] ?? '';
      const t0 = performance.now();
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'status', runId: 1, block: id, state: { status: k % 2 === 0 ? 'running' : 'completed', durationMs: 1000 + k }, header: { runId: 1, status: 'running', done: k, total: all.length } } }));
      const bar = document.querySelector(`g.node[data-id="${id}"] rect.bar`);
      if (bar !== null) void getComputedStyle(bar).fill;
      apply.push(performance.now() - t0);
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      frame.push(performance.now() - t0);
    }
    const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    return { apply: mid(apply), frame: mid(frame) };
  }, { ids, times });
  return result;
}

async function bareElk(page: Page, graph: ElkNode): Promise<{ ms: number; routes: number[][] }> {
  return page.evaluate(async (g) => {
    const ELK = (window as unknown as { ELK: new () => { layout(x: unknown): Promise<ElkNode> } }).ELK;
    const t0 = performance.now();
    const result = await new ELK().layout(g);
    const ms = performance.now() - t0;
    const routes = (result.edges ?? []).map((e) => (e.sections ?? []).flatMap((s) => [s.startPoint.x, s.startPoint.y, ...(s.bendPoints ?? []).flatMap((b) => [b.x, b.y]), s.endPoint.x, s.endPoint.y]));
    return { ms, routes };
  }, graph);
}

async function dagreLayout(page: Page, m: GraphModel): Promise<{ ms: number; routes: number[][] }> {
  return page.evaluate(({ nodes, edges, w, h }) => {
    interface Dagre {
      graphlib: { Graph: new (o?: object) => { setGraph(o: object): void; setDefaultEdgeLabel(f: () => object): void; setNode(id: string, v: object): void; setEdge(a: string, b: string, v?: object, name?: string): void; edge(e: { v: string; w: string; name?: string }): { points: { x: number; y: number }[] } } };
      layout(g: unknown): void;
    }
    const dagre = (window as unknown as { dagre: Dagre }).dagre;
    const t0 = performance.now();
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'LR', nodesep: 20, ranksep: 72 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const id of nodes) g.setNode(id, { width: w, height: h });
    edges.forEach(([a, b], i) => g.setEdge(nodes[a] ?? '', nodes[b] ?? '', {}, `e${i}`));
    dagre.layout(g);
    const ms = performance.now() - t0;
    const routes = edges.map(([a, b], i) => g.edge({ v: nodes[a] ?? '', w: nodes[b] ?? '', name: `e${i}` }).points.flatMap((p) => [p.x, p.y]));
    return { ms, routes };
  }, { nodes: m.nodes.map((n) => n.id), edges: m.edges, w: NODE_WIDTH, h: NODE_HEIGHT });
}

const fmt = (ms: number | undefined): string => (ms === undefined || Number.isNaN(ms) ? 'n/a' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);

async function main(): Promise<void> {
  const dagreFile = fetchDagre();
  const page = await GraphPage.open('dark', { width: 1280, height: 800 });
  const libraries: Record<string, string> = { 'elk.js': join(ROOT, 'node_modules', 'elkjs', 'lib', 'elk.bundled.js') };
  if (dagreFile !== undefined) libraries['dagre.js'] = dagreFile;
  const bare = await page.barePage(libraries);
  // The same warm-up the layout worker does, so neither side pays elk's cold start.
  await bareElk(bare, { id: 'warm', children: [{ id: 'a', width: 10, height: 10 }, { id: 'b', width: 10, height: 10 }], edges: [{ id: 'e', sources: ['a'], targets: ['b'] }] });
  const rows: string[][] = [];
  const finals = new Map<number, GraphLayout>();
  try {
    for (const size of SIZES) {
      const m = model(size);
      const firsts: number[] = [];
      const finalMs: number[] = [];
      const elkMs: number[] = [];
      const dagreMs: number[] = [];
      let run: Awaited<ReturnType<typeof graphRun>> | undefined;
      let elk: Awaited<ReturnType<typeof bareElk>> | undefined;
      let dagre: Awaited<ReturnType<typeof dagreLayout>> | undefined;
      for (let round = roundsFor(size) - 1; round >= 0; round--) {
        run = await graphRun(page, model(size, round));
        firsts.push(run.first);
        finalMs.push(run.final ?? NaN);
        elk = await bareElk(bare, toElkGraph(m, 'RIGHT', { 'elk.algorithm': 'layered' }));
        elkMs.push(elk.ms);
        dagre = dagreFile === undefined ? undefined : await dagreLayout(bare, m);
        if (dagre !== undefined) dagreMs.push(dagre.ms);
      }
      if (run?.layout === undefined || elk === undefined) throw new Error(`no final layout at ${size}`);
      finals.set(size, run.layout);
      const fast = fastLayout(m, 'RIGHT', structureHash(m, 'RIGHT'));
      const overlaps = overlappingPairs(boxesOf(run.layout, m)).length + overlappingPairs(boxesOf(fast, m)).length;
      rows.push([
        String(size), String(m.edges.length), fmt(median(firsts)), fmt(median(finalMs)), fmt(median(elkMs)), dagre === undefined ? 'n/a' : fmt(median(dagreMs)),
        String(countCrossings(fast.routes)), String(countCrossings(run.layout.routes)), String(countCrossings(elk.routes)), dagre === undefined ? 'n/a' : String(countCrossings(dagre.routes)),
        String(overlaps),
      ]);
      console.error(`measured ${size} blocks`);
    }
    console.log('\nLayout (headless Chromium; median of 3 runs up to 1,000 blocks, 1 at 3,000; crossings = proper segment crossings of the drawn edges)\n');
    console.log('| blocks | edges | first paint | final layout | bare elk default | dagre | crossings fast | crossings final | crossings elk default | crossings dagre | overlaps |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);

    console.log('\nStatus update (median of 25; apply = message handled + style recalculated; frame = to the next painted frame)\n');
    console.log('| blocks | apply | to next frame |');
    console.log('|---|---|---|');
    for (const size of [1000, 3000]) {
      const m = model(size);
      await graphRun(page, m, finals.get(size));
      const s = await statusUpdate(page.page, m, 25);
      console.log(`| ${size} | ${fmt(s.apply)} | ${fmt(s.frame)} |`);
    }

    console.log('\nReopen an unchanged 3,000-block graph (new page = reopened panel; the host passes the cached layout)\n');
    const m3 = model(3000);
    const layout3 = finals.get(3000);
    if (layout3 === undefined) throw new Error('no 3,000 layout');
    const memory = new Map<string, unknown>();
    const cache = new LayoutCache({ get: (k) => memory.get(k), update: (k, v) => Promise.resolve(void memory.set(k, JSON.parse(JSON.stringify(v)))) });
    for (const f of finals.values()) cache.put(f);
    const t0 = performance.now();
    const cached = cache.get(structureHash(m3, 'RIGHT'));
    const hostMs = performance.now() - t0;
    const reopened = await GraphPage.open('dark', { width: 1280, height: 800 });
    try {
      const again = await graphRun(reopened, m3, cached);
      console.log('| host cache lookup | webview: model → painted | total |');
      console.log('|---|---|---|');
      console.log(`| ${fmt(hostMs)} | ${fmt(again.first)} | ${fmt(hostMs + again.first)} |`);
    } finally {
      await reopened.close();
    }
  } finally {
    await bare.close();
    await page.close();
  }
}

await main();
