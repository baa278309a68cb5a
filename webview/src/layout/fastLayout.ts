import type { Direction, GraphLayout, GraphModel } from '../protocol.ts';
import { EDGE_LANE, LAYER_GAP, NODE_GAP, nodeSize } from './geometry.ts';
import { isotonicPlace } from './isotonic.ts';

const MARGIN = 16;
const ORDER_SWEEPS = 4;
const ALIGN_SWEEPS = 4;

/**
 * A layered (Sugiyama-style) layout in near-linear time, painted while elkjs refines it in the
 * worker: longest-path layering, dummy nodes on long edges, barycentric ordering sweeps, then
 * positions that pull each node towards its neighbours without overlap (isotonic regression per
 * layer, linear). Works on the flow axis ("main") and the axis across it ("cross"), mapped to x/y
 * at the end, so both directions share one implementation.
 */
export function fastLayout(model: GraphModel, direction: Direction, hash: string): GraphLayout {
  const n = model.nodes.length;
  const rank = topologicalRank(n, model.edges);
  const layer = assignLayers(n, model.edges, rank);
  const graph = buildLayeredGraph(n, model.edges, layer, rank);
  orderLayers(graph);
  const size = nodeSize(direction);
  const cross = placeAcross(graph, n, size.cross);
  const mainOf = (l: number): number => MARGIN + l * (size.main + LAYER_GAP);

  let maxCross = 0;
  const boxes: number[] = new Array<number>(n * 4);
  for (let v = 0; v < n; v++) {
    const c = cross[v] ?? 0;
    const main = mainOf(graph.layerOf[v] ?? 0);
    maxCross = Math.max(maxCross, c + size.cross / 2);
    const [x, y] = toXY(direction, main, c - size.cross / 2);
    boxes[v * 4] = x;
    boxes[v * 4 + 1] = y;
    boxes[v * 4 + 2] = direction === 'RIGHT' ? size.main : size.cross;
    boxes[v * 4 + 3] = direction === 'RIGHT' ? size.cross : size.main;
  }
  const routes = model.edges.map((_edge, i) => route(graph, i, cross, mainOf, size.main, direction));
  const layers = graph.layers.length;
  const mainExtent = mainOf(Math.max(0, layers - 1)) + size.main + MARGIN;
  const crossExtent = maxCross + MARGIN;
  const [width, height] = direction === 'RIGHT' ? [mainExtent, crossExtent] : [crossExtent, mainExtent];
  return { hash, direction, width, height, boxes, routes };
}

interface LayeredGraph {
  /** Real nodes are 0..n-1; dummies (one per layer a long edge passes) follow. */
  layerOf: number[];
  up: number[][];
  down: number[][];
  layers: number[][];
  /** Per model edge: the virtual nodes from its upper end to its lower end, or undefined (self-edge). */
  chains: (number[] | undefined)[];
  /** Per model edge: whether it points against the layering (part of a cycle). */
  reversed: boolean[];
}

/** Kahn's order; nodes left in a cycle are released one at a time, lowest index first. */
function topologicalRank(n: number, edges: readonly [number, number][]): Int32Array {
  const indegree = new Int32Array(n);
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    if (a === b || a < 0 || b < 0 || a >= n || b >= n) continue;
    out[a]?.push(b);
    indegree[b] = (indegree[b] ?? 0) + 1;
  }
  const rank = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (indegree[v] === 0) queue.push(v);
  let next = 0;
  let head = 0;
  let scan = 0;
  while (next < n) {
    if (head === queue.length) {
      while (scan < n && rank[scan] !== -1) scan++;
      if (scan >= n) break;
      queue.push(scan);
      indegree[scan] = 0;
    }
    const v = queue[head++] ?? 0;
    if (rank[v] !== -1) continue;
    rank[v] = next++;
    for (const w of out[v] ?? []) {
      indegree[w] = (indegree[w] ?? 0) - 1;
      if (indegree[w] === 0 && rank[w] === -1) queue.push(w);
    }
  }
  return rank;
}

function assignLayers(n: number, edges: readonly [number, number][], rank: Int32Array): Int32Array {
  const order = Array.from({ length: n }, (_v, i) => i).sort((a, b) => (rank[a] ?? 0) - (rank[b] ?? 0));
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    if (a === b || a < 0 || b < 0 || a >= n || b >= n) continue;
    const [u, w] = (rank[a] ?? 0) < (rank[b] ?? 0) ? [a, b] : [b, a];
    succs[u]?.push(w);
    preds[w]?.push(u);
  }
  const layer = new Int32Array(n);
  for (const v of order) for (const u of preds[v] ?? []) layer[v] = Math.max(layer[v] ?? 0, (layer[u] ?? 0) + 1);
  // Sources sit next to their first consumer rather than all in the first layer (shorter edges).
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i] ?? 0;
    if ((preds[v]?.length ?? 0) > 0 || (succs[v]?.length ?? 0) === 0) continue;
    let closest = Infinity;
    for (const w of succs[v] ?? []) closest = Math.min(closest, layer[w] ?? 0);
    layer[v] = closest - 1;
  }
  return layer;
}

function buildLayeredGraph(n: number, edges: readonly [number, number][], layer: Int32Array, rank: Int32Array): LayeredGraph {
  const layerOf = Array.from(layer);
  const up: number[][] = Array.from({ length: n }, () => []);
  const down: number[][] = Array.from({ length: n }, () => []);
  const chains: (number[] | undefined)[] = [];
  const reversed: boolean[] = [];
  for (const [a, b] of edges) {
    const valid = a !== b && a >= 0 && b >= 0 && a < n && b < n;
    if (!valid) {
      chains.push(undefined);
      reversed.push(false);
      continue;
    }
    const flip = (rank[a] ?? 0) > (rank[b] ?? 0);
    const [top, bottom] = flip ? [b, a] : [a, b];
    const chain = [top];
    for (let l = (layerOf[top] ?? 0) + 1; l < (layerOf[bottom] ?? 0); l++) {
      layerOf.push(l);
      up.push([]);
      down.push([]);
      chain.push(layerOf.length - 1);
    }
    chain.push(bottom);
    for (let i = 1; i < chain.length; i++) {
      const p = chain[i - 1] ?? 0;
      const q = chain[i] ?? 0;
      down[p]?.push(q);
      up[q]?.push(p);
    }
    chains.push(chain);
    reversed.push(flip);
  }
  const layerCount = layerOf.reduce((m, l) => Math.max(m, l + 1), 0);
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  // Real nodes in file order, then dummies in edge order: a stable, readable start for the sweeps.
  for (let v = 0; v < layerOf.length; v++) layers[layerOf[v] ?? 0]?.push(v);
  return { layerOf, up, down, layers, chains, reversed };
}

/** Barycentric sweeps down and up; nodes with no neighbour on the reference side keep their place. */
function orderLayers(g: LayeredGraph): void {
  const position = new Float64Array(g.layerOf.length);
  const index = (list: number[]): void => list.forEach((v, i) => (position[v] = i));
  g.layers.forEach(index);
  const keys = new Float64Array(g.layerOf.length);
  const sortLayer = (list: number[], neighbours: number[][]): void => {
    for (let i = 0; i < list.length; i++) {
      const v = list[i] ?? 0;
      const ns = neighbours[v] ?? [];
      let sum = 0;
      for (const w of ns) sum += position[w] ?? 0;
      const scale = list.length > 1 ? 1 : 0;
      keys[v] = ns.length > 0 ? sum / ns.length : i * scale;
    }
    list.sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || (position[a] ?? 0) - (position[b] ?? 0));
    index(list);
  };
  for (let sweep = 0; sweep < ORDER_SWEEPS; sweep++) {
    for (let l = 1; l < g.layers.length; l++) sortLayer(g.layers[l] ?? [], g.up);
    for (let l = g.layers.length - 2; l >= 0; l--) sortLayer(g.layers[l] ?? [], g.down);
  }
}

/** Cross-axis centres: stacked first, then pulled towards neighbours' centres, sweeping both ways. */
function placeAcross(g: LayeredGraph, realNodes: number, nodeCross: number): Float64Array {
  const centre = new Float64Array(g.layerOf.length);
  const sizeOf = (v: number): number => (v < realNodes ? nodeCross : EDGE_LANE);
  const desired: number[] = [];
  const minGap: number[] = [];
  const place = (list: number[], neighbours: number[][] | undefined): void => {
    desired.length = 0;
    minGap.length = 0;
    for (let i = 0; i < list.length; i++) {
      const v = list[i] ?? 0;
      const ns = neighbours?.[v] ?? [];
      let sum = 0;
      for (const w of ns) sum += centre[w] ?? 0;
      desired.push(ns.length > 0 ? sum / ns.length : (centre[v] ?? 0));
      const prev = i > 0 ? (list[i - 1] ?? 0) : v;
      minGap.push(i > 0 ? (sizeOf(prev) + sizeOf(v)) / 2 + NODE_GAP / (prev >= realNodes && v >= realNodes ? 2 : 1) : 0);
    }
    const placed = isotonicPlace(desired, minGap);
    for (let i = 0; i < list.length; i++) centre[list[i] ?? 0] = placed[i] ?? 0;
  };
  for (const list of g.layers) {
    let at = 0;
    list.forEach((v, i) => {
      at += i === 0 ? sizeOf(v) / 2 : (sizeOf(list[i - 1] ?? v) + sizeOf(v)) / 2 + NODE_GAP;
      centre[v] = at;
    });
  }
  for (let sweep = 0; sweep < ALIGN_SWEEPS; sweep++) {
    for (let l = 1; l < g.layers.length; l++) place(g.layers[l] ?? [], g.up);
    for (let l = g.layers.length - 2; l >= 0; l--) place(g.layers[l] ?? [], g.down);
  }
  let low = Infinity;
  for (let v = 0; v < centre.length; v++) low = Math.min(low, (centre[v] ?? 0) - sizeOf(v) / 2);
  const shift = MARGIN - (Number.isFinite(low) ? low : 0);
  for (let v = 0; v < centre.length; v++) centre[v] = (centre[v] ?? 0) + shift;
  return centre;
}

/** An orthogonal polyline along the edge's chain, bending in the middle of each gap between layers. */
function route(g: LayeredGraph, edge: number, cross: Float64Array, mainOf: (l: number) => number, nodeMain: number, direction: Direction): number[] {
  const chain = g.chains[edge];
  if (chain === undefined) return [];
  const first = chain[0] ?? 0;
  const points: number[] = [];
  const push = (main: number, c: number): void => {
    const [x, y] = toXY(direction, main, c);
    points.push(x, y);
  };
  let c = cross[first] ?? 0;
  push(mainOf(g.layerOf[first] ?? 0) + nodeMain, c);
  // Edges from different sources bend at slightly different places, so their verticals stay apart.
  const lane = ((first % 5) - 2) * 6;
  for (let i = 1; i < chain.length; i++) {
    const v = chain[i] ?? 0;
    const start = mainOf(g.layerOf[v] ?? 0);
    const bend = start - LAYER_GAP / 2 + lane;
    const next = cross[v] ?? 0;
    if (Math.abs(next - c) > 0.5) {
      push(bend, c);
      push(bend, next);
      c = next;
    }
    push(i === chain.length - 1 ? start : start + nodeMain, c);
  }
  return g.reversed[edge] === true ? reversePoints(points) : points;
}

function reversePoints(points: number[]): number[] {
  const out: number[] = [];
  for (let i = points.length - 2; i >= 0; i -= 2) out.push(points[i] ?? 0, points[i + 1] ?? 0);
  return out;
}

function toXY(direction: Direction, main: number, cross: number): [number, number] {
  return direction === 'RIGHT' ? [main, cross] : [cross, main];
}
