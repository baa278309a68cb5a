/*
 * Semantics, modelled on GitHub Actions expressions (but case-sensitive):
 * - Falsy values are false, 0, -0, NaN, '' and null; everything else is truthy.
 * - `!x` is a boolean: true when x is falsy.
 * - `a && b` and `a || b` short-circuit and return the deciding operand, as in JavaScript:
 *   `vars.tag || 'latest'` gives a default; the right side is not evaluated when not needed, so an
 *   undefined reference there is no error.
 * - `==` / `!=`: values of the same type compare directly (strings case-sensitively, NaN equals
 *   nothing); values of different types are both converted to numbers first: null → 0,
 *   true → 1, false → 0, '' or blanks → 0, a numeric string → its number ('0x1F', '1e3' and ' 42 '
 *   included), any other string → NaN. So `1 == '1'` and `true == 1` hold, `'abc' == 0` does not.
 * - `<` `<=` `>` `>=`: numeric when both sides convert to numbers (so '10' > '9'); otherwise both
 *   are compared as their text (valueToString), by UTF-16 code units.
 * - Substituted text: null → '', booleans → 'true'/'false', numbers as JavaScript prints them.
 */
import type { Expr, Span, Value } from './ast.ts';
import { classifyReference, referenceText, type ValidReference } from './references.ts';
import type { TemplatePart } from './template.ts';

/** Gives a reference's value, or undefined when it has none (then evaluation fails). */
export type Lookup = (ref: ValidReference) => Value | undefined;

export class EvaluationError extends Error {
  readonly span: Span;
  constructor(message: string, span: Span) {
    super(message);
    this.name = 'EvaluationError';
    this.span = { start: span.start, end: span.end };
  }
}

export function isTruthy(v: Value): boolean {
  return !(v === false || v === null || v === '' || v === 0 || Number.isNaN(v));
}

export function valueToString(v: Value): string {
  return v === null ? '' : String(v);
}

/** The number a value converts to when types differ; see the semantics above. */
export function toNumber(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  const t = v.trim();
  return t === '' ? 0 : Number(t);
}

function compare(op: '==' | '!=' | '<' | '<=' | '>' | '>=', a: Value, b: Value): boolean {
  if (op === '==' || op === '!=') {
    const equal = typeof a === typeof b ? a === b : toNumber(a) === toNumber(b);
    return op === '==' ? equal : !equal;
  }
  let x: number | string = toNumber(a);
  let y: number | string = toNumber(b);
  if (Number.isNaN(x) || Number.isNaN(y)) {
    x = valueToString(a);
    y = valueToString(b);
  }
  switch (op) {
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    case '>=': return x >= y;
  }
}

/**
 * Evaluates an expression. Throws EvaluationError, with the span of the reference, when a
 * reference is invalid or the lookup has no value for it.
 */
export function evaluate(expr: Expr, lookup: Lookup): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'group':
      return evaluate(expr.inner, lookup);
    case 'unary':
      return !isTruthy(evaluate(expr.operand, lookup));
    case 'ref': {
      const ref = classifyReference(expr);
      if (ref.kind === 'invalid') throw new EvaluationError(ref.message, ref);
      const value = lookup(ref);
      if (value === undefined) throw new EvaluationError(`${referenceText(expr)} is not defined.`, expr);
      return value;
    }
    case 'binary': {
      const left = evaluate(expr.left, lookup);
      if (expr.op === '&&') return isTruthy(left) ? evaluate(expr.right, lookup) : left;
      if (expr.op === '||') return isTruthy(left) ? left : evaluate(expr.right, lookup);
      return compare(expr.op, left, evaluate(expr.right, lookup));
    }
  }
}

/**
 * Renders a template. Every substituted value goes through `quote`, which the runner sets to the
 * shell's quoting so that a value is always data, never code; literal text is left as written.
 * Throws EvaluationError on the first part with a syntax error or an undefined reference.
 */
export function evaluateTemplate(parts: readonly TemplatePart[], lookup: Lookup, quote: (s: string) => string = (s) => s): string {
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    if (part.error !== undefined) throw new EvaluationError(part.error.message, part.error);
    if (part.expr === undefined) throw new EvaluationError('Invalid expression.', part);
    out += quote(valueToString(evaluate(part.expr, lookup)));
  }
  return out;
}
