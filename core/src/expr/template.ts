import type { Expr, ExprError, RefExpr } from './ast.ts';
import { parseExpression } from './parse.ts';

export type TemplatePart =
  | { kind: 'text'; text: string; start: number; end: number }
  | {
      kind: 'expr';
      /** Of the whole `${{ … }}`. */
      start: number;
      end: number;
      /** Of the text between the braces. */
      innerStart: number;
      innerEnd: number;
      source: string;
      /** Offsets of `expr` and `error` are absolute in the template text. */
      expr: Expr | undefined;
      error: ExprError | undefined;
    };

/** A cheap test before the full split, since most values hold no expression at all. */
export function hasExpressions(text: string): boolean {
  return text.includes('${{');
}

/**
 * Splits text into literal parts and `${{ … }}` parts, in order and covering the whole text. A `}}`
 * inside a quoted string of the expression does not close it. Linear in the length of `text`.
 * Every offset (parts, expressions, errors) is `base` plus the position in `text`.
 */
export function parseTemplate(text: string, base = 0): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('${{', at);
    if (open === -1) break;
    if (open > at) parts.push({ kind: 'text', text: text.slice(at, open), start: base + at, end: base + open });
    const innerStart = open + 3;
    const close = findClose(text, innerStart);
    if (close === -1) {
      parts.push({
        kind: 'expr', start: base + open, end: base + text.length, innerStart: base + innerStart, innerEnd: base + text.length,
        source: text.slice(innerStart), expr: undefined,
        error: { start: base + open, end: base + innerStart, message: "Unterminated expression: missing '}}'." },
      });
      return parts;
    }
    const source = text.slice(innerStart, close);
    const parsed = parseExpression(source, base + innerStart);
    parts.push({
      kind: 'expr', start: base + open, end: base + close + 2, innerStart: base + innerStart, innerEnd: base + close, source,
      expr: parsed.expr, error: parsed.error,
    });
    at = close + 2;
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at), start: base + at, end: base + text.length });
  return parts;
}

/**
 * The `}}` closing an expression, skipping those inside '…' strings. When a quote is left open the
 * first `}}` closes it anyway, so the parser can point at the unterminated string rather than
 * swallowing the rest of the text. Meeting the next `${{` first means the same: a `}}` is missing or
 * quoted by mistake; stopping there also keeps the whole split linear in the length of the text.
 */
function findClose(text: string, from: number): number {
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "'") inString = !inString; // '' (an escaped quote) flips twice
    else if (!inString && c === '}' && text[i + 1] === '}') return i;
    else if (c === '$' && text.startsWith('${{', i)) break;
  }
  return text.indexOf('}}', from);
}

/** The same tree with every offset moved by `by` (the parsers take a `base` instead; this is for trees built elsewhere). */
export function shiftExpr(expr: Expr, by: number): Expr {
  if (by === 0) return expr;
  switch (expr.kind) {
    case 'literal':
      return { ...expr, start: expr.start + by, end: expr.end + by };
    case 'ref':
      return { ...expr, start: expr.start + by, end: expr.end + by, segments: expr.segments.map((s) => ({ ...s, start: s.start + by, end: s.end + by })) };
    case 'unary':
      return { ...expr, start: expr.start + by, end: expr.end + by, operand: shiftExpr(expr.operand, by) };
    case 'group':
      return { ...expr, start: expr.start + by, end: expr.end + by, inner: shiftExpr(expr.inner, by) };
    case 'binary':
      return { ...expr, start: expr.start + by, end: expr.end + by, left: shiftExpr(expr.left, by), right: shiftExpr(expr.right, by) };
  }
}

/** Every reference in the expression, in source order. */
export function allReferences(expr: Expr, into: RefExpr[] = []): RefExpr[] {
  switch (expr.kind) {
    case 'ref':
      into.push(expr);
      break;
    case 'unary':
      allReferences(expr.operand, into);
      break;
    case 'group':
      allReferences(expr.inner, into);
      break;
    case 'binary':
      allReferences(expr.left, into);
      allReferences(expr.right, into);
      break;
    case 'literal':
      break;
  }
  return into;
}
