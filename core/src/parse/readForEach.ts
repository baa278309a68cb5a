import * as l10n from '@vscode/l10n';
import { diagnostic } from '../model/diagnostic.ts';
import type { Block, ForEachSpec } from '../model/pipeline.ts';
import { describeNode, type YPair } from '../yaml/ast.ts';
import type { NodeReader } from './reader.ts';

const SHAPES = 'an expression (`${{ blocks.list.outputs.files }}`), a list of values, or `{ glob: "data/*.jpg" }`';

/** `foreach:` and `max_parallel:` of a block (the fan-out; see core/src/runner/fanOut.ts). */
export function readFanOut(r: NodeReader, spec: ReadonlyMap<string, YPair>, block: Block): void {
  const foreach = spec.get('foreach');
  if (foreach) {
    block.foreach = readForEach(r, foreach, block.id);
    // Each item would need its own gate and its own cache entry; neither is defined yet.
    for (const key of ['approval', 'cache'] as const) {
      const pair = spec.get(key);
      if (pair !== undefined) r.error('invalid-value', pair.key.span, l10n.t('`{0}` cannot be combined with `foreach` in block \'{1}\': {2}.', key, block.id, key === 'approval' ? 'put the gate on an upstream block' : 'items are not cached one by one'));
    }
  }
  const maxParallel = spec.get('max_parallel');
  if (maxParallel) {
    block.maxParallel = r.number(maxParallel.value, '`max_parallel`', { integer: true, min: 1 });
    if (foreach === undefined) {
      r.diagnostics.push(diagnostic('invalid-value', 'warning', maxParallel.key.span, l10n.t('`max_parallel` has no effect without `foreach` in block \'{0}\'.', block.id)));
    }
  }
}

function readForEach(r: NodeReader, pair: YPair, blockId: string): ForEachSpec | undefined {
  const node = pair.value;
  if (node === undefined || (node.kind === 'scalar' && node.value === null)) {
    r.error('invalid-type', pair.key.span, l10n.t('`foreach` of block \'{0}\' needs a value: {1}.', blockId, SHAPES));
    return undefined;
  }
  if (node.kind === 'seq') {
    const items = [];
    for (const item of node.items) {
      if (item.kind === 'scalar' && item.value !== null) items.push(r.textOf(item));
      else r.error('invalid-type', item.span, l10n.t('Each item of `foreach` must be a single value (text or a number), not {0}.', describeNode(item)));
    }
    return { kind: 'list', items, span: node.span };
  }
  if (node.kind === 'map') {
    const keys = r.pairs(node, 'foreach', `the \`foreach\` of block '${blockId}'`);
    const glob = keys.get('glob');
    if (glob === undefined) {
      r.error('invalid-value', node.span, `\`foreach\` as a mapping takes \`glob\`: \`{ glob: "data/*.jpg" }\`.`);
      return undefined;
    }
    const pattern = r.textValue(glob.value, '`glob`', glob.key.span, true);
    if (pattern === undefined) return undefined;
    if (pattern.value.trim() === '') {
      r.error('invalid-value', pattern.span, l10n.t('`glob` is empty; write a pattern like "data/in/*.jpg".'));
      return undefined;
    }
    return { kind: 'glob', pattern, span: node.span };
  }
  const value = r.textOf(node);
  if (!value.source.includes('${{')) {
    r.error('invalid-value', node.span, l10n.t('`foreach` is {0}, not the plain text \'{1}\'. For one item, write a list: [{2}].', SHAPES, value.value, JSON.stringify(value.value)));
    return undefined;
  }
  return { kind: 'expression', value, span: node.span };
}
