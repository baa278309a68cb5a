import type { QueryNode } from './ast.ts';
import { QueryError } from './errors.ts';
import { parseTerm } from './terms.ts';
import { tokenize, type Token } from './tokens.ts';

/**
 * Parses a query: terms joined by AND (or just a space), OR, NOT / `-`, and parentheses; AND binds
 * tighter than OR. Throws QueryError (with a column) for anything it cannot read. `now` anchors
 * relative times (today, -7d).
 */
export function parseQuery(query: string, now = Date.now()): QueryNode | undefined {
  const tokens = tokenize(query);
  if (tokens.length === 0) return undefined;
  const parser = new Parser(tokens, now, query.length);
  const node = parser.or();
  const rest = parser.peek();
  if (rest !== undefined) {
    throw rest.kind === 'close'
      ? new QueryError("Unexpected ')': there is no '(' for it to close.", rest.column)
      : new QueryError('Unexpected token here.', rest.column, rest.length);
  }
  return node;
}

class Parser {
  private at = 0;
  private readonly tokens: Token[];
  private readonly now: number;
  private readonly end: number;

  constructor(tokens: Token[], now: number, length: number) {
    this.tokens = tokens;
    this.now = now;
    this.end = length + 1;
  }

  peek(): Token | undefined {
    return this.tokens[this.at];
  }

  or(): QueryNode {
    const items = [this.and()];
    while (this.peek()?.kind === 'or') {
      const or = this.next();
      items.push(this.and(or));
    }
    return items.length === 1 ? (items[0] as QueryNode) : { kind: 'or', items };
  }

  private and(after?: Token): QueryNode {
    const items = [this.unary(after)];
    for (;;) {
      const token = this.peek();
      if (token === undefined || token.kind === 'or' || token.kind === 'close') break;
      if (token.kind === 'and') this.next();
      items.push(this.unary(token.kind === 'and' ? token : undefined));
    }
    return items.length === 1 ? (items[0] as QueryNode) : { kind: 'and', items };
  }

  private unary(after: Token | undefined): QueryNode {
    const token = this.peek();
    if (token === undefined || token.kind === 'close' || token.kind === 'and' || token.kind === 'or') {
      const what = after === undefined ? 'a term' : `a term after ${after.kind === 'not' ? (after.length === 1 ? "'-'" : 'NOT') : after.kind.toUpperCase()}`;
      const column = token?.column ?? this.end;
      if (token === undefined) throw new QueryError(`Expected ${what}, but the query ends here.`, column);
      throw new QueryError(`Expected ${what}, not '${token.kind === 'close' ? ')' : token.kind.toUpperCase()}'.`, column, token.length);
    }
    this.next();
    switch (token.kind) {
      case 'not':
        return { kind: 'not', item: this.unary(token) };
      case 'open': {
        if (this.peek()?.kind === 'close') throw new QueryError("Expected a term inside '( )'.", token.column + 1);
        const inner = this.or();
        const close = this.peek();
        if (close?.kind !== 'close') throw new QueryError(`Expected ')' to close the '(' at column ${token.column}.`, close?.column ?? this.end);
        this.next();
        return inner;
      }
      case 'word': {
        const id = token.quoted ? null : /^#([1-9]\d{0,15})$/.exec(token.text);
        if (id !== null && id !== undefined) return { kind: 'term', term: { key: 'id', id: Number(id[1]) }, column: token.column };
        return { kind: 'term', term: { key: 'text', text: token.text }, column: token.column };
      }
      case 'term': {
        let upto: { text: string; column: number } | undefined;
        const to = this.peek();
        if (token.key.toLowerCase() === 'date' && to?.kind === 'word' && !to.quoted && to.text.toUpperCase() === 'TO') {
          this.next();
          const end = this.peek();
          if (end?.kind !== 'word') throw new QueryError('date: A TO B needs a date after TO.', end?.column ?? this.end);
          this.next();
          upto = { text: end.text, column: end.column };
        }
        const term = parseTerm({ key: token.key, raw: token.raw, column: token.column, valueColumn: token.valueColumn, upto }, this.now);
        return { kind: 'term', term, column: token.column };
      }
    }
  }

  private next(): Token {
    return this.tokens[this.at++] as Token;
  }
}
