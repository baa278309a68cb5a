import { PRECEDENCE, type Expr, type Value } from './ast.ts';

/** A literal as it would be written in an expression (`'it''s'`, `-0`, `null`). */
export function formatValue(v: Value): string {
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  if (typeof v === 'number') {
    // String() loses the sign of -0 and prints words for the non-finite, which would read back as references.
    if (Object.is(v, -0)) return '-0';
    if (v === Infinity) return '1e999';
    if (v === -Infinity) return '-1e999';
    if (Number.isNaN(v)) return '(0 == 1)'; // no NaN literal; never produced by the parser
    return String(v);
  }
  return String(v);
}

/**
 * Prints an expression in a canonical spacing: parentheses the user wrote are kept, and others are
 * added only where a hand-built tree needs them, so parsing the output gives the same tree.
 */
export function formatExpression(expr: Expr): string {
  return print(expr, 0);
}

/** `context` is the precedence an unparenthesised operator must exceed to sit here. */
function print(expr: Expr, context: number): string {
  switch (expr.kind) {
    case 'literal':
      return formatValue(expr.value);
    case 'ref':
      return expr.segments.map((s) => s.name).join('.');
    case 'group':
      return `(${print(expr.inner, 0)})`;
    case 'unary':
      return `!${print(expr.operand, 5)}`;
    case 'binary': {
      const p = PRECEDENCE[expr.op];
      // Operators associate to the left, so a right operand of equal precedence needs parentheses.
      const text = `${print(expr.left, p - 1)} ${expr.op} ${print(expr.right, p)}`;
      return p > context ? text : `(${text})`;
    }
  }
}
