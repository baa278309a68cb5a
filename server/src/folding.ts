import type { FoldingRange } from 'vscode-languageserver/node';
import { foldingRanges as ranges, type DocumentAnalysis } from '../../core/src/index.ts';

export function foldingRanges(analysis: DocumentAnalysis): FoldingRange[] {
  return ranges(analysis).map((r) => (r.kind === 'comment' ? { startLine: r.startLine, endLine: r.endLine, kind: 'comment' } : { startLine: r.startLine, endLine: r.endLine }));
}
