import type { Direction } from '../protocol.ts';
import type { ViewportState } from './viewport.ts';

/** Below this zoom a node's id is hard to read; fit does not shrink a small graph below it. */
export const READABLE_SCALE = 0.75;
/** A graph of at most this many blocks is "small": shown readable rather than whole. */
export const SMALL_GRAPH_NODES = 24;
const PAD = 24;

/**
 * The layout direction that suits a panel's shape when the user has not picked one: a panel taller
 * than it is wide (an editor group beside the text) reads best top to bottom.
 */
export function directionForShape(width: number, height: number): Direction {
  return width > 0 && height > width ? 'DOWN' : 'RIGHT';
}

/**
 * The transform that fits a graph of `width` × `height` into a view. Never magnifies beyond 1:1. A
 * small graph that would have to shrink below READABLE_SCALE is shown at 100% instead: centred
 * along each axis it fits in, from its start (top or left) along one it overflows, so its first
 * blocks are readable and the rest is a pan away. Large graphs are fitted whole (an overview).
 */
export function fitTransform(view: { width: number; height: number }, graph: { width: number; height: number }, nodes: number, minScale: number): ViewportState {
  const w = Math.max(1, graph.width);
  const h = Math.max(1, graph.height);
  const fitted = Math.min(1, Math.max(minScale, Math.min((view.width - PAD) / w, (view.height - PAD) / h)));
  const scale = fitted < READABLE_SCALE && nodes <= SMALL_GRAPH_NODES ? 1 : fitted;
  const place = (viewSize: number, size: number): number => (size * scale <= viewSize - PAD ? (viewSize - size * scale) / 2 : PAD / 2);
  return { scale, x: place(view.width, w), y: place(view.height, h) };
}
