import type { Span } from '../model/diagnostic.ts';
import { allReferences, classifyReference } from '../expr/index.ts';
import type { DocumentAnalysis } from './analysis.ts';

/** Names the editor can navigate between: block ids, variables, and the outputs blocks declare. */
export type SymbolKind = 'block' | 'variable' | 'output';

export interface SymbolOccurrence {
  kind: SymbolKind;
  /** The block id, the variable name, or `block.output` for an output. */
  name: string;
  span: Span;
  /**
   * `definition`: the block's key, the variable's key, the entry of `outputs`.
   * `reference`: a `depends_on` entry or a reference in an expression.
   * `environment`: `PIPELINE_VAR_<NAME>` in a command, the variable under its environment name.
   */
  role: 'definition' | 'reference' | 'environment';
}

export interface SymbolIndex {
  /** In file order. */
  occurrences: SymbolOccurrence[];
  /** By `symbolKey(kind, name)`. */
  byKey: Map<string, SymbolOccurrence[]>;
}

export function symbolKey(kind: SymbolKind, name: string): string {
  return `${kind}:${name}`;
}

// Built on first use and kept as long as the analysis: most versions are never navigated.
const cache = new WeakMap<DocumentAnalysis, SymbolIndex>();

export function symbolIndex(analysis: DocumentAnalysis): SymbolIndex {
  let index = cache.get(analysis);
  if (index === undefined) {
    index = buildIndex(analysis);
    cache.set(analysis, index);
  }
  return index;
}

/** The occurrence under `offset` (its end included, where a cursor sits after typing a name). */
export function symbolAt(index: SymbolIndex, offset: number): SymbolOccurrence | undefined {
  const list = index.occurrences;
  let lo = 0;
  let hi = list.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid]?.span.start ?? 0) <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const found = list[best];
  return found !== undefined && offset <= found.span.end ? found : undefined;
}

export function occurrencesOf(index: SymbolIndex, symbol: Pick<SymbolOccurrence, 'kind' | 'name'>): SymbolOccurrence[] {
  return index.byKey.get(symbolKey(symbol.kind, symbol.name)) ?? [];
}

/** `PIPELINE_VAR_MIN_ROWS` as a whole word; the name is upper-case, as the runner sets it. */
const ENV_MENTION = /(?<![A-Za-z0-9_])PIPELINE_VAR_([A-Za-z0-9_]+)/g;

function buildIndex(analysis: DocumentAnalysis): SymbolIndex {
  const { pipeline, expressions } = analysis.result;
  const out: SymbolOccurrence[] = [];
  const add = (kind: SymbolKind, name: string, span: Span, role: SymbolOccurrence['role']): void => {
    out.push({ kind, name, span: { start: span.start, end: span.end }, role });
  };
  for (const variable of pipeline.variables.values()) add('variable', variable.name, variable.keySpan, 'definition');
  for (const block of pipeline.blocks) {
    add('block', block.id, block.idSpan, 'definition');
    for (const dep of block.dependsOn) add('block', dep.name, dep.span, 'reference');
    for (const output of block.outputs ?? []) add('output', `${block.id}.${output.name}`, output.span, 'definition');
  }
  for (const found of expressions) {
    for (const ref of allReferences(found.expr)) {
      const c = classifyReference(ref);
      if (c.kind === 'var') add('variable', c.name, c.nameSpan, 'reference');
      else if (c.kind === 'blockStatus') add('block', c.block, c.blockSpan, 'reference');
      else if (c.kind === 'blockOutput') {
        add('block', c.block, c.blockSpan, 'reference');
        add('output', `${c.block}.${c.output}`, c.outputSpan, 'reference');
      }
    }
  }
  if (pipeline.variables.size > 0) {
    const byEnvName = new Map([...pipeline.variables.keys()].map((name) => [name.toUpperCase(), name]));
    for (const block of pipeline.blocks) {
      const run = block.run;
      if (run === undefined || !run.source.includes('PIPELINE_VAR_')) continue;
      for (const m of run.source.matchAll(ENV_MENTION)) {
        const name = byEnvName.get(m[1] ?? '');
        const start = run.sourceStart + m.index;
        if (name !== undefined) add('variable', name, { start, end: start + m[0].length }, 'environment');
      }
    }
  }
  // Blocks sharing a value through a YAML alias yield the same occurrence more than once.
  out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const occurrences = out.filter((o, i) => {
    const previous = out[i - 1];
    return previous === undefined || previous.span.start !== o.span.start || previous.span.end !== o.span.end || previous.kind !== o.kind;
  });
  const byKey = new Map<string, SymbolOccurrence[]>();
  for (const o of occurrences) {
    const key = symbolKey(o.kind, o.name);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [o]);
    else list.push(o);
  }
  return { occurrences, byKey };
}
