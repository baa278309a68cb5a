import * as l10n from '@vscode/l10n';
import type { Pipeline } from '../model/pipeline.ts';
import type { YPair } from '../yaml/ast.ts';
import type { DocumentAnalysis } from './analysis.ts';
import { keyText } from './treeLocation.ts';
import type { OutlineSymbol } from './types.ts';

/**
 * The outline: the top-level keys, with the variables, the environment and the blocks under
 * theirs; each block shows what it depends on, as its detail and as children that lead to the
 * `depends_on` entries.
 */
export function documentSymbols(analysis: DocumentAnalysis): OutlineSymbol[] {
  const { pipeline } = analysis.result;
  const root = pipeline.root;
  if (root === undefined) return [];
  const seen = new Set<string>();
  const out: OutlineSymbol[] = [];
  for (const pair of root.pairs) {
    const name = keyText(pair);
    if (seen.has(name)) continue; // a duplicated key is an error; the first one counts
    seen.add(name);
    const symbol: OutlineSymbol = { name, kind: 'key', span: pair.span, selectionSpan: pair.key.span, children: [] };
    if (name === 'variables') {
      symbol.kind = 'namespace';
      symbol.children = variableSymbols(pipeline);
    } else if (name === 'env') {
      symbol.kind = 'namespace';
      symbol.children = pipeline.env.map((e) => ({ name: e.name, detail: e.value.value, kind: 'env', span: spanOfEntry(pair, e.name) ?? e.keySpan, selectionSpan: e.keySpan, children: [] }));
    } else if (name === 'blocks') {
      symbol.kind = 'namespace';
      symbol.detail = `${pipeline.blocks.length} block${pipeline.blocks.length === 1 ? '' : 's'}`;
      symbol.children = blockSymbols(pipeline);
    } else if (pair.value?.kind === 'scalar' && pair.value.value !== null) {
      symbol.detail = String(pair.value.value);
    }
    out.push(symbol);
  }
  return out;
}

function variableSymbols(pipeline: Pipeline): OutlineSymbol[] {
  return [...pipeline.variables.values()].map((v) => {
    const type = v.type ?? (v.default === null ? 'string' : typeof v.default);
    return { name: v.name, detail: v.default === null ? type : `${type} = ${String(v.default)}`, kind: 'variable', span: v.span, selectionSpan: v.keySpan, children: [] };
  });
}

function blockSymbols(pipeline: Pipeline): OutlineSymbol[] {
  return pipeline.blocks.map((block) => ({
    name: block.id,
    ...(block.dependsOn.length > 0 ? { detail: `← ${block.dependsOn.map((d) => d.name).join(', ')}` } : block.description !== undefined ? { detail: block.description } : {}),
    kind: 'block',
    span: block.span,
    selectionSpan: block.idSpan,
    children: block.dependsOn.map((d) => ({ name: d.name, detail: l10n.t('depends on'), kind: 'dependency', span: d.span, selectionSpan: d.span, children: [] })),
  }));
}

function spanOfEntry(pair: YPair, name: string): YPair['span'] | undefined {
  if (pair.value?.kind !== 'map') return undefined;
  return pair.value.pairs.find((p) => keyText(p) === name)?.span;
}
