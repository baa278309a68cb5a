import type { Diagnostic as LspDiagnostic, DiagnosticSeverity, Position, Range, TextEdit as LspTextEdit } from 'vscode-languageserver/node';
import type { Diagnostic, Severity, Span, TextEdit } from '../../core/src/index.ts';

/** Anything that turns offsets into positions and back: a core LineIndex or an LSP TextDocument. */
export interface PositionMapper {
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
}

export function toRange(lines: PositionMapper, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function toSpan(lines: PositionMapper, range: Range): Span {
  const start = lines.offsetAt(range.start);
  return { start, end: Math.max(start, lines.offsetAt(range.end)) };
}

export function toTextEdit(lines: PositionMapper, edit: TextEdit): LspTextEdit {
  return { range: toRange(lines, edit.span), newText: edit.newText };
}

// DiagnosticSeverity / DiagnosticTag values, spelt out so this module needs no runtime import.
const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: 1, warning: 2, info: 3, hint: 4 };
const TAG = { unnecessary: 1, deprecated: 2 } as const;

/** What quick fixes can read back from a published diagnostic. */
export interface DiagnosticData {
  suggestion: string;
}

export function toLspDiagnostic(uri: string, lines: PositionMapper, d: Diagnostic): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toRange(lines, d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'pipeline',
    message: d.message,
  };
  if (d.tags !== undefined && d.tags.length > 0) out.tags = d.tags.map((t) => TAG[t]);
  if (d.related !== undefined && d.related.length > 0) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri, range: toRange(lines, r.span) }, message: r.message }));
  }
  if (d.suggestion !== undefined) out.data = { suggestion: d.suggestion } satisfies DiagnosticData;
  return out;
}
