import { validatePipeline } from '../../../core/src/validate/validate.ts';
import type { GraphModel } from '../../../webview/src/protocol.ts';

export interface ModelResult {
  model: GraphModel;
  errorCount: number;
  /** Where each block's id is in the text, for revealing it. */
  idOffsets: Map<string, number>;
}

/** The graph of a pipeline text: blocks in file order and their dependency edges. VS-Code-free. */
export function graphModelOf(text: string, fileName: string): ModelResult {
  const { pipeline, dag, diagnostics } = validatePipeline(text, { fileName });
  const index = new Map<string, number>();
  const idOffsets = new Map<string, number>();
  const nodes: GraphModel['nodes'] = [];
  for (const block of pipeline.blocks) {
    if (index.has(block.id)) continue;
    index.set(block.id, nodes.length);
    idOffsets.set(block.id, block.idSpan.start);
    nodes.push({ id: block.id, ...(block.description !== undefined ? { description: block.description } : {}), ...(block.disabled ? { disabled: true } : {}), ...(block.group !== undefined ? { group: block.group.name } : {}), ...(block.subPipeline !== undefined ? { pipeline: block.subPipeline.file.value.trim() } : {}) });
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
  const errorCount = diagnostics.filter((d) => d.severity === 'error').length;
  return { model: { pipelineName: pipeline.name, nodes, edges }, errorCount, idOffsets };
}
