import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { hoverAt, type DocumentAnalysis } from '../../core/src/index.ts';
import { toRange } from './convert.ts';

export function hover(analysis: DocumentAnalysis, params: HoverParams): Hover | null {
  const result = hoverAt(analysis, analysis.lines.offsetAt(params.position));
  if (result === undefined) return null;
  return { contents: { kind: 'markdown', value: result.contents }, range: toRange(analysis.lines, result.span) };
}
