/** Half-open range of UTF-16 offsets into the pipeline text. */
export interface Span {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Stable codes: tools, tests and the docs (docs/pipeline-format.md) refer to them; never rename one. */
export const DIAGNOSTIC_CODES = [
  'yaml-syntax',
  'duplicate-key',
  'unknown-key',
  'invalid-type',
  'invalid-value',
  'missing-run',
  'no-blocks',
  'invalid-block-id',
  'unknown-dependency',
  'self-dependency',
  'duplicate-dependency',
  'dependency-cycle',
  'invalid-duration',
  'invalid-cron',
  'invalid-retry',
  'expression-syntax',
  'invalid-reference',
  'unknown-variable',
  'unknown-block',
  'unknown-output',
  'not-upstream',
  'unused-variable',
  'duplicate-cache-output',
  'yaml-alias-limit',
  'nesting-too-deep',
  'file-too-large',
  'invalid-character',
  'unsupported-yaml',
  'invalid-trigger',
  'invalid-timezone',
  'invalid-window',
  'unknown-pipeline',
  'chaining-cycle',
  'unknown-executor',
  'invalid-memory',
  'pipeline-recursion',
  'item-outside-foreach',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export interface RelatedInformation {
  span: Span;
  message: string;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span: Span;
  /** A replacement text for the span that would fix the problem ("did you mean"), for quick fixes. */
  suggestion?: string;
  related?: RelatedInformation[];
  /** Marks unused or deprecated code so editors can fade it. */
  tags?: ('unnecessary' | 'deprecated')[];
}

export function diagnostic(
  code: DiagnosticCode,
  severity: Severity,
  span: Span,
  message: string,
  extra?: Pick<Diagnostic, 'suggestion' | 'related' | 'tags'>,
): Diagnostic {
  return { code, severity, message, span: { start: span.start, end: span.end }, ...extra };
}
