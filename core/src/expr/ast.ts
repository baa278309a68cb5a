/** Offsets are positions in the parsed string plus the `base` given to the parser (0 by default). */
export type Value = string | number | boolean | null;

export interface Span {
  start: number;
  end: number;
}

export interface Segment extends Span {
  name: string;
}

export type BinaryOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type Expr =
  | (Span & { kind: 'literal'; value: Value })
  /** `vars.NAME`, `blocks.ID.outputs.NAME`, …: one segment per dotted name, see references.ts. */
  | (Span & { kind: 'ref'; segments: Segment[] })
  | (Span & { kind: 'unary'; op: '!'; operand: Expr })
  | (Span & { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr })
  /** Parentheses are kept so spans and printing reflect what the user wrote. */
  | (Span & { kind: 'group'; inner: Expr });

export type RefExpr = Extract<Expr, { kind: 'ref' }>;

export interface ExprError extends Span {
  message: string;
}

/** Binding strength of binary operators; higher binds tighter. `!` binds tighter than all of them. */
export const PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
};
