import type { DocumentSymbol, SymbolKind } from 'vscode-languageserver/node';
import { documentSymbols as outline, type DocumentAnalysis, type OutlineKind, type OutlineSymbol } from '../../core/src/index.ts';
import { toRange } from './convert.ts';

// SymbolKind values.
const KIND: Record<OutlineKind, SymbolKind> = {
  namespace: 3, // Namespace
  variable: 13, // Variable
  block: 12, // Function
  dependency: 20, // Key
  key: 7, // Property
  env: 14, // Constant
};

export function documentSymbols(analysis: DocumentAnalysis): DocumentSymbol[] {
  const convert = (symbol: OutlineSymbol): DocumentSymbol => {
    const out: DocumentSymbol = {
      // An empty name is invalid in LSP; a key written as `"":` still gets a visible entry.
      name: symbol.name === '' ? '""' : symbol.name,
      kind: KIND[symbol.kind],
      range: toRange(analysis.lines, symbol.span),
      selectionRange: toRange(analysis.lines, symbol.selectionSpan),
      children: symbol.children.map(convert),
    };
    if (symbol.detail !== undefined) out.detail = symbol.detail;
    return out;
  };
  return outline(analysis).map(convert);
}
