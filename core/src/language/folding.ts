import type { YNode } from '../yaml/ast.ts';
import type { DocumentAnalysis } from './analysis.ts';
import type { FoldingRange } from './types.ts';

/**
 * Every mapping entry and list item that spans several lines folds from its first line to its
 * last, and so does every run of two or more comment lines. Ranges come from the YAML tree, so a
 * multi-line `run: |` or `[…]` folds as one value.
 */
export function foldingRanges(analysis: DocumentAnalysis): FoldingRange[] {
  const { lines, text } = analysis;
  const out: FoldingRange[] = [];
  const add = (start: number, end: number): void => {
    const startLine = lines.positionAt(start).line;
    // A span that ends with its line break ends on the line before.
    const endLine = lines.positionAt(Math.max(start, end > 0 && text[end - 1] === '\n' ? end - 1 : end)).line;
    if (endLine > startLine) out.push({ startLine, endLine });
  };
  const visit = (node: YNode | undefined, depth: number): void => {
    if (node === undefined || node.kind === 'scalar' || depth > 64) return;
    if (node.kind === 'map') {
      for (const pair of node.pairs) {
        add(pair.span.start, pair.span.end);
        visit(pair.value, depth + 1);
      }
    } else {
      for (const item of node.items) {
        add(item.span.start, item.span.end);
        visit(item, depth + 1);
      }
    }
  };
  // Aliases can share a node between places; its spans are those of the anchor, folded once.
  visit(analysis.result.pipeline.rootNode, 0);
  out.push(...commentRuns(analysis));
  const seen = new Set<string>();
  return out
    .sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine)
    .filter((r) => {
      const key = `${r.startLine}:${r.endLine}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function commentRuns(analysis: DocumentAnalysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  const { text, lines } = analysis;
  let runStart = -1;
  let previous = -1;
  const close = (): void => {
    if (runStart >= 0 && previous > runStart) out.push({ startLine: runStart, endLine: previous, kind: 'comment' });
    runStart = -1;
  };
  for (let line = 0; line < lines.lineCount; line++) {
    let at = lines.lineStart(line);
    while (text.charCodeAt(at) === 32) at++;
    if (text.charCodeAt(at) === 35 /* # */) {
      if (runStart < 0 || previous !== line - 1) {
        close();
        runStart = line;
      }
      previous = line;
    } else if (runStart >= 0) close();
  }
  close();
  return out;
}
