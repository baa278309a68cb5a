import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api.js';
import type { Direction, GraphLayout, GraphModel } from '../protocol.ts';
import { LAYER_GAP, NODE_GAP, NODE_HEIGHT, NODE_WIDTH } from './geometry.ts';

const BASE_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.edgeRouting': 'ORTHOGONAL',
  // Balanced Brandes–Köpf alignment: a third of the default's extent on layered DAGs, about as
  // many crossings, no slower.
  'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
  'elk.spacing.nodeNode': String(NODE_GAP),
  'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

/** From this many blocks on, elk's crossing minimisation is cut down (below, defaults are fast enough). */
export const LARGE_GRAPH_NODES = 150;

/**
 * elkjs options measured on 50–3,000-block DAGs (bench/graph.ts). On large graphs one
 * crossing-minimisation pass instead of seven and no greedy-switch post-pass halve the time for a
 * few percent more crossings (none more at 200); on 50 blocks they cost half more crossings for a
 * few milliseconds, so small graphs keep elk's defaults. Layering (network simplex), placement
 * (Brandes–Köpf, balanced) and orthogonal routing are elk's, which gave the fewest crossings.
 */
export function elkOptionsFor(nodes: number): LayoutOptions {
  if (nodes < LARGE_GRAPH_NODES) return BASE_OPTIONS;
  return { ...BASE_OPTIONS, 'elk.layered.thoroughness': '1', 'elk.layered.crossingMinimization.greedySwitch.type': 'OFF' };
}

export function toElkGraph(model: GraphModel, direction: Direction, options: LayoutOptions): ElkNode {
  const edges: ElkExtendedEdge[] = [];
  model.edges.forEach(([a, b], i) => {
    if (a !== b && model.nodes[a] !== undefined && model.nodes[b] !== undefined) edges.push({ id: `e${i}`, sources: [`n${a}`], targets: [`n${b}`] });
  });
  return {
    id: 'root',
    layoutOptions: { ...options, 'elk.direction': direction },
    children: model.nodes.map((_node, i) => ({ id: `n${i}`, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges,
  };
}

export function fromElkGraph(result: ElkNode, model: GraphModel, direction: Direction, hash: string): GraphLayout {
  const boxes: number[] = new Array<number>(model.nodes.length * 4).fill(0);
  for (const child of result.children ?? []) {
    const i = Number(child.id.slice(1));
    boxes[i * 4] = child.x ?? 0;
    boxes[i * 4 + 1] = child.y ?? 0;
    boxes[i * 4 + 2] = child.width ?? NODE_WIDTH;
    boxes[i * 4 + 3] = child.height ?? NODE_HEIGHT;
  }
  const routes: number[][] = model.edges.map(() => []);
  for (const edge of result.edges ?? []) {
    const points: number[] = [];
    for (const section of edge.sections ?? []) {
      points.push(section.startPoint.x, section.startPoint.y);
      for (const bend of section.bendPoints ?? []) points.push(bend.x, bend.y);
      points.push(section.endPoint.x, section.endPoint.y);
    }
    routes[Number(edge.id.slice(1))] = points;
  }
  return { hash, direction, width: result.width ?? 0, height: result.height ?? 0, boxes, routes };
}
