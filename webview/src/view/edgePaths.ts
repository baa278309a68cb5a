import { round } from './svg.ts';

/** Path data of a route (a polyline of x, y pairs). */
export function pathOf(points: readonly number[]): string {
  if (points.length < 4) return '';
  let d = `M${round(points[0])},${round(points[1])}`;
  for (let i = 2; i + 1 < points.length; i += 2) d += `L${round(points[i])},${round(points[i + 1])}`;
  return d;
}

const ARROW_LENGTH = 7;
const ARROW_HALF_WIDTH = 3.5;

/** A filled triangle at the end of a route, pointing along its last segment. */
export function arrowOf(points: readonly number[]): string {
  const n = points.length;
  if (n < 4) return '';
  const x = points[n - 2] ?? 0;
  const y = points[n - 1] ?? 0;
  const dx = x - (points[n - 4] ?? 0);
  const dy = y - (points[n - 3] ?? 0);
  const length = Math.hypot(dx, dy) || 1;
  const ux = dx / length;
  const uy = dy / length;
  const bx = x - ux * ARROW_LENGTH;
  const by = y - uy * ARROW_LENGTH;
  return `M${round(x)},${round(y)}L${round(bx - uy * ARROW_HALF_WIDTH)},${round(by + ux * ARROW_HALF_WIDTH)}L${round(bx + uy * ARROW_HALF_WIDTH)},${round(by - ux * ARROW_HALF_WIDTH)}Z`;
}

/** The distance from a point to a segment. */
export function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
