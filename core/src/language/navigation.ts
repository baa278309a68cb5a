import type { Span } from '../model/diagnostic.ts';
import type { DocumentAnalysis } from './analysis.ts';
import { occurrencesOf, symbolAt, symbolIndex } from './symbols.ts';
import type { Highlight } from './types.ts';

/**
 * Where the block, variable or output under the cursor is defined: a `depends_on` entry or
 * `blocks.X` leads to the block's key, `vars.X` and `PIPELINE_VAR_X` to the variable,
 * `blocks.X.outputs.Y` to the entry of X's `outputs`. Empty when it is not defined anywhere.
 */
export function definitionAt(analysis: DocumentAnalysis, offset: number): Span[] {
  const index = symbolIndex(analysis);
  const symbol = symbolAt(index, offset);
  if (symbol === undefined) return [];
  return occurrencesOf(index, symbol).filter((o) => o.role === 'definition').map((o) => o.span);
}

/** Every occurrence of the symbol under the cursor, in file order. */
export function referencesAt(analysis: DocumentAnalysis, offset: number, includeDeclaration: boolean): Span[] {
  const index = symbolIndex(analysis);
  const symbol = symbolAt(index, offset);
  if (symbol === undefined) return [];
  return occurrencesOf(index, symbol).filter((o) => includeDeclaration || o.role !== 'definition').map((o) => o.span);
}

/** The occurrences of the symbol under the cursor: its definition is written, its uses read it. */
export function highlightsAt(analysis: DocumentAnalysis, offset: number): Highlight[] {
  const index = symbolIndex(analysis);
  const symbol = symbolAt(index, offset);
  if (symbol === undefined) return [];
  return occurrencesOf(index, symbol).map((o) => ({ span: o.span, kind: o.role === 'definition' ? 'write' : 'read' }));
}
