import type { Page } from './graphPage.ts';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Painted {
  hash: string;
  /** By block id, from the nodes' boxes as painted. */
  boxes: Map<string, Box>;
  /** Per edge (model order), the painted polyline. */
  routes: number[][];
}

/** Reads what is on screen: node positions from their boxes, edges from their path data. */
export async function readPainted(page: Page): Promise<Painted> {
  const raw = await page.evaluate(() => {
    const nodes = [...document.querySelectorAll('g.node')].map((g) => {
      const rect = g.querySelector('rect.box');
      return { id: g.getAttribute('data-id') ?? '', x: Number(rect?.getAttribute('x')), y: Number(rect?.getAttribute('y')), width: Number(rect?.getAttribute('width')), height: Number(rect?.getAttribute('height')) };
    });
    // All edges are one path, one `M…L…` subpath per edge in model order.
    const d = document.querySelector('path.edge:not(.lit)')?.getAttribute('d') ?? '';
    const routes = d.split('M').filter((s) => s !== '').map((sub) => sub.split(/[L,]/).filter((s) => s !== '').map(Number));
    return { hash: document.querySelector('svg.graph')?.getAttribute('data-hash') ?? '', nodes, routes };
  }, undefined);
  return { hash: raw.hash, boxes: new Map(raw.nodes.map((n) => [n.id, { x: n.x, y: n.y, width: n.width, height: n.height }])), routes: raw.routes };
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Pairs of overlapping boxes (sorted sweep on x, so 3,000 boxes are cheap). */
export function overlappingPairs(boxes: Map<string, Box>): [string, string][] {
  const list = [...boxes].sort((a, b) => a[1].x - b[1].x);
  const found: [string, string][] = [];
  for (let i = 0; i < list.length; i++) {
    const [idA, a] = list[i] ?? ['', { x: 0, y: 0, width: 0, height: 0 }];
    for (let j = i + 1; j < list.length; j++) {
      const [idB, b] = list[j] ?? ['', a];
      if (b.x >= a.x + a.width) break;
      if (overlaps(a, b)) found.push([idA, idB]);
    }
  }
  return found;
}

/** Distance from a point to a box's border (0 on it). */
export function distanceToBorder(x: number, y: number, box: Box): number {
  const dx = Math.max(box.x - x, 0, x - (box.x + box.width));
  const dy = Math.max(box.y - y, 0, y - (box.y + box.height));
  if (dx > 0 || dy > 0) return Math.hypot(dx, dy);
  return Math.min(x - box.x, box.x + box.width - x, y - box.y, box.y + box.height - y);
}

/** Whether every segment of a polyline is horizontal or vertical. */
export function isOrthogonal(points: readonly number[]): boolean {
  for (let i = 2; i + 1 < points.length; i += 2) {
    const dx = Math.abs((points[i] ?? 0) - (points[i - 2] ?? 0));
    const dy = Math.abs((points[i + 1] ?? 0) - (points[i - 1] ?? 0));
    if (dx > 0.01 && dy > 0.01) return false;
  }
  return true;
}

/**
 * Proper crossings between segments of different edges (polylines of any slope, so elk's orthogonal
 * routes and dagre's splines' control polylines count alike). Touching ends and collinear overlaps
 * (edges sharing a port) are not crossings. A sweep on x keeps it fast enough for 3,000 blocks.
 */
export function countCrossings(routes: readonly (readonly number[])[]): number {
  const segments: { x0: number; y0: number; x1: number; y1: number; minX: number; maxX: number; minY: number; maxY: number; edge: number }[] = [];
  routes.forEach((points, edge) => {
    for (let i = 2; i + 1 < points.length; i += 2) {
      const x0 = points[i - 2] ?? 0;
      const y0 = points[i - 1] ?? 0;
      const x1 = points[i] ?? 0;
      const y1 = points[i + 1] ?? 0;
      if (Math.abs(x0 - x1) < 0.01 && Math.abs(y0 - y1) < 0.01) continue;
      segments.push({ x0, y0, x1, y1, minX: Math.min(x0, x1), maxX: Math.max(x0, x1), minY: Math.min(y0, y1), maxY: Math.max(y0, y1), edge });
    }
  });
  segments.sort((a, b) => a.minX - b.minX);
  const side = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number => {
    const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    return Math.abs(v) < 1e-6 ? 0 : Math.sign(v);
  };
  let count = 0;
  for (let i = 0; i < segments.length; i++) {
    const a = segments[i];
    if (a === undefined) continue;
    for (let j = i + 1; j < segments.length; j++) {
      const b = segments[j];
      if (b === undefined || b.minX > a.maxX) break;
      if (b.edge === a.edge || b.minY > a.maxY || b.maxY < a.minY) continue;
      const d1 = side(a.x0, a.y0, a.x1, a.y1, b.x0, b.y0);
      const d2 = side(a.x0, a.y0, a.x1, a.y1, b.x1, b.y1);
      const d3 = side(b.x0, b.y0, b.x1, b.y1, a.x0, a.y0);
      const d4 = side(b.x0, b.y0, b.x1, b.y1, a.x1, a.y1);
      if (d1 * d2 < 0 && d3 * d4 < 0) count++;
    }
  }
  return count;
}
