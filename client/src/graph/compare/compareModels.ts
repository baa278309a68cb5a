import { validatePipeline } from '../../../../core/src/validate/validate.ts';
import type { CompareChange, GraphModel } from '../../../../webview/src/protocol.ts';

export interface Comparison {
  /** The working copy's blocks and edges, then the base's removed blocks and edges appended. */
  model: GraphModel;
  /** Per node of `model`: how it differs from the base. */
  nodes: Record<string, CompareChange>;
  /** Indexes into `model.edges`. */
  addedEdges: number[];
  removedEdges: number[];
  /** For the change list, in file order: what changed, and where (offsets) in each text. */
  changes: { block: string; change: CompareChange; baseOffset?: number; currentOffset?: number }[];
}

interface Side {
  model: GraphModel;
  /** A block's own text, without comments or blank lines, to tell whether it changed. */
  texts: Map<string, string>;
  offsets: Map<string, number>;
}

function read(text: string, fileName: string): Side {
  const { pipeline, dag } = validatePipeline(text, { fileName });
  const nodes: GraphModel['nodes'] = [];
  const index = new Map<string, number>();
  const texts = new Map<string, string>();
  const offsets = new Map<string, number>();
  for (const block of pipeline.blocks) {
    if (index.has(block.id)) continue;
    index.set(block.id, nodes.length);
    nodes.push({ id: block.id, ...(block.description !== undefined ? { description: block.description } : {}), ...(block.disabled ? { disabled: true } : {}) });
    texts.set(block.id, normalise(text.slice(block.span.start, block.span.end)));
    offsets.set(block.id, block.idSpan.start);
  }
  const edges: GraphModel['edges'] = [];
  for (const id of dag.ids) {
    const to = index.get(id);
    if (to === undefined) continue;
    for (const up of dag.directUpstream(id)) {
      const from = index.get(up);
      if (from !== undefined) edges.push([from, to]);
    }
  }
  return { model: { pipelineName: pipeline.name, nodes, edges }, texts, offsets };
}

/** Comments and blank lines do not make a block "changed"; anything else does. */
function normalise(block: string): string {
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').replace(/\s+$/, ''))
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .join('\n');
}

/** The working copy's graph against a base version's: added, removed and changed blocks and edges. VS-Code-free. */
export function compareTexts(baseText: string, currentText: string, fileName: string): Comparison {
  const base = read(baseText, fileName);
  const current = read(currentText, fileName);
  const nodes: GraphModel['nodes'] = [...current.model.nodes];
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const marks: Record<string, CompareChange> = {};
  const changes: Comparison['changes'] = [];
  for (const node of current.model.nodes) {
    const was = base.texts.get(node.id);
    const change: CompareChange = was === undefined ? 'added' : was === current.texts.get(node.id) ? 'unchanged' : 'changed';
    marks[node.id] = change;
    if (change !== 'unchanged') changes.push({ block: node.id, change, currentOffset: current.offsets.get(node.id), ...(was !== undefined ? { baseOffset: base.offsets.get(node.id) } : {}) });
  }
  for (const node of base.model.nodes) {
    if (index.has(node.id)) continue;
    index.set(node.id, nodes.length);
    nodes.push(node);
    marks[node.id] = 'removed';
    changes.push({ block: node.id, change: 'removed', baseOffset: base.offsets.get(node.id) });
  }
  const key = (model: GraphModel, [a, b]: [number, number]): string => `${model.nodes[a]?.id ?? ''}\u0000${model.nodes[b]?.id ?? ''}`;
  const baseEdges = new Set(base.model.edges.map((e) => key(base.model, e)));
  const currentEdges = new Set(current.model.edges.map((e) => key(current.model, e)));
  const edges: GraphModel['edges'] = [...current.model.edges];
  const addedEdges: number[] = [];
  current.model.edges.forEach((e, i) => {
    if (!baseEdges.has(key(current.model, e))) addedEdges.push(i);
  });
  const removedEdges: number[] = [];
  for (const e of base.model.edges) {
    if (currentEdges.has(key(base.model, e))) continue;
    const from = index.get(base.model.nodes[e[0]]?.id ?? '');
    const to = index.get(base.model.nodes[e[1]]?.id ?? '');
    if (from === undefined || to === undefined) continue;
    removedEdges.push(edges.length);
    edges.push([from, to]);
  }
  return { model: { pipelineName: current.model.pipelineName, nodes, edges }, nodes: marks, addedEdges, removedEdges, changes };
}
