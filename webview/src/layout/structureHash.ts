import type { Direction, GraphModel } from '../protocol.ts';

/**
 * Identifies a layout: the same ids, edges and direction give the same positions, whatever the
 * descriptions or statuses. Two 32-bit FNV-1a streams, so an accidental match in a cache of a few
 * entries is practically impossible.
 */
export function structureHash(model: GraphModel, direction: Direction): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const feed = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
  };
  feed(direction);
  for (const node of model.nodes) feed(`\u0000${node.id}`);
  for (const [from, to] of model.edges) feed(`\u0001${from},${to}`);
  return `${(a >>> 0).toString(36)}${(b >>> 0).toString(36)}-${model.nodes.length}-${model.edges.length}`;
}
