import * as l10n from '@vscode/l10n';
import { PRECEDENCE, type BinaryOperator, type Expr, type ExprError, type Segment } from './ast.ts';
import { tokenize, type Token } from './lexer.ts';

/** Parentheses and `!` nested deeper than this are refused: the parser and every tree walk recurse. */
export const MAX_EXPRESSION_DEPTH = 100;
/**
 * `a && b && …` builds a left-leaning tree as deep as the chain is long, and the evaluator and tree
 * walks recurse over it; capping the operators keeps hostile input from exhausting the stack.
 */
export const MAX_EXPRESSION_OPERATORS = 1000;

export interface ParseResult {
  expr: Expr | undefined;
  error: ExprError | undefined;
}

class ParseError extends Error {
  readonly start: number;
  readonly end: number;
  constructor(message: string, start: number, end: number) {
    super(message);
    this.start = start;
    this.end = end;
  }
}

/**
 * Parses one expression by precedence climbing: `||` < `&&` < `== !=` < `< <= > >=` < `!` < primary.
 * Never throws; an error comes back with the exact span to underline. Offsets are `base` plus the
 * position in `src`, so a caller can place the expression in its file without copying the tree.
 */
export function parseExpression(src: string, base = 0): ParseResult {
  const { tokens, error } = tokenize(src, base);
  if (error !== undefined) return { expr: undefined, error };
  if (tokens.length === 1) return { expr: undefined, error: { start: base, end: base + src.length, message: l10n.t('Empty expression.') } };
  const parser = new Parser(src, base, tokens);
  try {
    return { expr: parser.parseAll(), error: undefined };
  } catch (e) {
    if (e instanceof ParseError) return { expr: undefined, error: { start: e.start, end: e.end, message: e.message } };
    throw e;
  }
}

// Words users bring from other languages; naming the real operator saves a trip to the docs.
const WORD_OPERATORS: Record<string, string> = { and: '&&', or: '||', not: '!' };

class Parser {
  private at = 0;
  private operators = 0;
  private readonly src: string;
  private readonly base: number;
  private readonly tokens: Token[];

  constructor(src: string, base: number, tokens: Token[]) {
    this.src = src;
    this.base = base;
    this.tokens = tokens;
  }

  parseAll(): Expr {
    const expr = this.expression(0, 0);
    const rest = this.peek();
    if (rest.kind === 'end') return expr;
    if (isOp(rest, ')')) throw new ParseError("Unexpected ')' without a matching '('.", rest.start, rest.end);
    const word = rest.kind === 'ident' ? WORD_OPERATORS[rest.name] : undefined;
    const hint = word === undefined ? '' : `; use '${word}'`;
    throw new ParseError(`Unexpected token ${this.text(rest)} after the end of the expression${hint}.`, rest.start, rest.end);
  }

  private peek(): Token {
    const end = this.base + this.src.length;
    return this.tokens[this.at] ?? { kind: 'end', start: end, end };
  }

  private next(): Token {
    const t = this.peek();
    if (this.at < this.tokens.length - 1) this.at++;
    return t;
  }

  /** The token as the user wrote it, quoted and shortened for a message. */
  private text(t: Token): string {
    const raw = this.src.slice(t.start - this.base, t.end - this.base);
    return `'${raw.length > 30 ? `${raw.slice(0, 27)}…` : raw}'`;
  }

  private expression(minPrecedence: number, depth: number): Expr {
    let left = this.unary(depth);
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') return left;
      const precedence = PRECEDENCE[t.op as BinaryOperator] as number | undefined;
      if (precedence === undefined || precedence <= minPrecedence) return left;
      this.next();
      if (++this.operators > MAX_EXPRESSION_OPERATORS) {
        throw new ParseError(`Expression is too long: more than ${MAX_EXPRESSION_OPERATORS} operators.`, t.start, t.end);
      }
      this.expectOperand(t);
      const right = this.expression(precedence, depth + 1);
      left = { kind: 'binary', op: t.op as BinaryOperator, left, right, start: left.start, end: right.end };
    }
  }

  /** After an operator or '(' a value must follow; say which token is missing its operand. */
  private expectOperand(after: Token): void {
    const t = this.peek();
    if (t.kind === 'string' || t.kind === 'number' || t.kind === 'ident' || isOp(t, '(') || isOp(t, '!')) return;
    const what = `Expected an expression after ${this.text(after)}`;
    if (t.kind === 'end') throw new ParseError(`${what}.`, after.start, after.end);
    throw new ParseError(`${what}, found ${this.text(t)}.`, t.start, t.end);
  }

  private unary(depth: number): Expr {
    const t = this.peek();
    if (depth > MAX_EXPRESSION_DEPTH) {
      throw new ParseError(`Expression nests too deeply (more than ${MAX_EXPRESSION_DEPTH} levels).`, t.start, t.end);
    }
    if (!isOp(t, '!')) return this.primary(depth);
    this.next();
    this.expectOperand(t);
    const operand = this.unary(depth + 1);
    return { kind: 'unary', op: '!', operand, start: t.start, end: operand.end };
  }

  private primary(depth: number): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'string':
      case 'number':
        return { kind: 'literal', value: t.value, start: t.start, end: t.end };
      case 'ident':
        if (t.name === 'true' || t.name === 'false') return { kind: 'literal', value: t.name === 'true', start: t.start, end: t.end };
        if (t.name === 'null') return { kind: 'literal', value: null, start: t.start, end: t.end };
        return this.reference(t);
      case 'end':
        // Only reachable on an empty token list, which parseExpression reports before parsing.
        throw new ParseError('Empty expression.', t.start, t.end);
      case 'op': {
        if (t.op === '(') {
          this.expectOperand(t);
          const inner = this.expression(0, depth + 1);
          const close = this.peek();
          if (isOp(close, ')')) {
            this.next();
            return { kind: 'group', inner, start: t.start, end: close.end };
          }
          if (close.kind === 'end') throw new ParseError("Missing ')' to close this '('.", t.start, t.end);
          throw new ParseError(`Expected ')' or an operator, found ${this.text(close)}.`, close.start, close.end);
        }
        if (t.op === ')') throw new ParseError("Unexpected ')'.", t.start, t.end);
        if (t.op === '.') throw new ParseError("Unexpected '.'.", t.start, t.end);
        throw new ParseError(`Expected a value before '${t.op}'.`, t.start, t.end);
      }
    }
  }

  /** Dotted names must be written without spaces, as in `blocks.build.outputs.tag`. */
  private reference(first: Extract<Token, { kind: 'ident' }>): Expr {
    const segments: Segment[] = [{ name: first.name, start: first.start, end: first.end }];
    let last: Segment = segments[0] ?? { name: first.name, start: first.start, end: first.end };
    for (;;) {
      const dot = this.peek();
      if (!isOp(dot, '.')) break;
      if (dot.start !== last.end) throw new ParseError("Unexpected space before '.' in a reference.", last.end, dot.end);
      this.next();
      const name = this.peek();
      if (name.kind !== 'ident') throw new ParseError("Expected a name after '.'.", dot.start, dot.end);
      if (name.start !== dot.end) throw new ParseError("Unexpected space after '.' in a reference.", dot.start, name.start);
      this.next();
      last = { name: name.name, start: name.start, end: name.end };
      segments.push(last);
    }
    return { kind: 'ref', segments, start: first.start, end: last.end };
  }
}

function isOp(t: Token, op: string): boolean {
  return t.kind === 'op' && t.op === op;
}
