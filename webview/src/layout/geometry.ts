import type { Direction } from '../protocol.ts';

// Fixed node boxes: ids are short (the format restricts them) and a fixed size lets layouts be
// computed without measuring text, in a worker that has no DOM.
export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 52;
/** Space between layers (along the flow), leaving room for the orthogonal bends. */
export const LAYER_GAP = 72;
/** Space between neighbours in a layer. */
export const NODE_GAP = 20;
/** Space given to an edge passing through a layer (a dummy node). */
export const EDGE_LANE = 10;

export function nodeSize(direction: Direction): { main: number; cross: number } {
  return direction === 'RIGHT' ? { main: NODE_WIDTH, cross: NODE_HEIGHT } : { main: NODE_HEIGHT, cross: NODE_WIDTH };
}
