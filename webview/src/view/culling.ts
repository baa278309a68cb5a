import { round } from './svg.ts';

/**
 * What a big graph keeps in the DOM (view/graphView.ts). In Chromium every SVG element in the
 * graph costs something in every frame of a pan or zoom gesture, even though the gesture only
 * moves one composited layer: the frame still runs style, pre-paint, layerisation, hit testing
 * and the commit of the layer's display list, all proportional to the elements drawn (measured
 * with CDP tracing in bench/graphNav.ts: ~12,000 elements at 3,000 blocks held an overview pan
 * near 10 frames per second). So above CULL_ABOVE blocks:
 * - culling: only nodes whose box meets the drawn area (the view and its overscan) have elements,
 *   and the edge path holds only the routes that meet it;
 * - level of detail: zoomed out below DETAIL_SCALE, nodes are drawn as one path per look (status
 *   colour, dimmed, …), a handful of elements for the whole graph.
 * The selected node (the keyboard focus, with its screen-reader label) always keeps its elements.
 */
export const CULL_ABOVE = 400;

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether box `i` of a layout's flat box array meets an area. */
export function boxMeets(boxes: readonly number[], i: number, area: Area): boolean {
  const x = boxes[i * 4] ?? 0;
  const y = boxes[i * 4 + 1] ?? 0;
  return x + (boxes[i * 4 + 2] ?? 0) >= area.x && y + (boxes[i * 4 + 3] ?? 0) >= area.y && x <= area.x + area.width && y <= area.y + area.height;
}

/** The bounding box of each route (a polyline of x, y pairs), flat: x0, y0, x1, y1 per route. */
export function routeBounds(routes: readonly (readonly number[])[]): Float64Array {
  const out = new Float64Array(routes.length * 4);
  routes.forEach((route, r) => {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let i = 0; i + 1 < route.length; i += 2) {
      const x = route[i] ?? 0;
      const y = route[i + 1] ?? 0;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    out.set([x0, y0, x1, y1], r * 4);
  });
  return out;
}

export function routeMeets(bounds: Float64Array, r: number, area: Area): boolean {
  return (bounds[r * 4 + 2] ?? 0) >= area.x && (bounds[r * 4 + 3] ?? 0) >= area.y && (bounds[r * 4] ?? 0) <= area.x + area.width && (bounds[r * 4 + 1] ?? 0) <= area.y + area.height;
}

/** How a node looks zoomed far out: its status colour and the classes that change its opacity. */
export interface FarLook {
  classes: string;
  colour: string | undefined;
}

/**
 * The nodes not drawn one by one (`skip`), grouped by look and by square cell of side `cell`
 * (layout units), each group as one path of rectangles. The cells matter for raster: a path is
 * drawn whole into every raster tile its bounds meet, so one path spanning the graph would be
 * drawn once per tile; a cell's path meets only the tiles around it.
 */
export function farPaths(boxes: readonly number[], count: number, skip: (i: number) => boolean, lookOf: (i: number) => FarLook, cell = Infinity): { look: FarLook; d: string }[] {
  const groups = new Map<string, { look: FarLook; d: string }>();
  for (let i = 0; i < count; i++) {
    if (skip(i)) continue;
    const look = lookOf(i);
    const x = boxes[i * 4] ?? 0;
    const y = boxes[i * 4 + 1] ?? 0;
    const key = Number.isFinite(cell) ? `${look.classes}|${look.colour ?? ''}|${Math.floor(x / cell)}|${Math.floor(y / cell)}` : `${look.classes}|${look.colour ?? ''}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { look, d: '' };
      groups.set(key, group);
    }
    group.d += `M${round(x)},${round(y)}h${round(boxes[i * 4 + 2])}v${round(boxes[i * 4 + 3])}h${-round(boxes[i * 4 + 2])}z`;
  }
  return [...groups.values()];
}
