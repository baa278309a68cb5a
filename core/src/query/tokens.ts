import { QueryError } from './errors.ts';

/**
 * The query's tokens. `key:value` is one token (the value may hold quoted parts: `var:msg="a b"`),
 * so that a value is never mistaken for an operator; bare words and "quoted phrases" are text.
 */
export type Token =
  | { kind: 'open' | 'close' | 'not' | 'and' | 'or'; column: number; length: number }
  | { kind: 'word'; text: string; quoted: boolean; column: number; length: number }
  | { kind: 'term'; key: string; raw: string; column: number; valueColumn: number; length: number };

const KEY = /^[A-Za-z_]+$/;

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < query.length) {
    const c = query[at] as string;
    const column = at + 1;
    if (/\s/.test(c)) {
      at++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', column, length: 1 });
      at++;
    } else if (c === '"') {
      const end = quotedEnd(query, at);
      tokens.push({ kind: 'word', text: unquote(query.slice(at, end)), quoted: true, column, length: end - at });
      at = end;
    } else if (c === '-' && !/[\d-]/.test(query[at + 1] ?? '')) {
      // `-x`, `-"x"`, `-(…)` are NOT; `-7d` (the end of `date:A TO -7d`) and `--` stay words.
      const next = query[at + 1];
      if (next === undefined || /[\s)]/.test(next)) throw new QueryError("'-' (not) needs a term right after it, like -status:failed.", column);
      tokens.push({ kind: 'not', column, length: 1 });
      at++;
    } else {
      const end = wordEnd(query, at);
      const text = query.slice(at, end);
      const colon = text.indexOf(':');
      if (colon > 0 && KEY.test(text.slice(0, colon))) {
        tokens.push({ kind: 'term', key: text.slice(0, colon), raw: text.slice(colon + 1), column, valueColumn: column + colon + 1, length: end - at });
      } else {
        const upper = text.toUpperCase();
        if (upper === 'AND' || upper === 'OR' || upper === 'NOT') tokens.push({ kind: upper === 'AND' ? 'and' : upper === 'OR' ? 'or' : 'not', column, length: text.length });
        else tokens.push({ kind: 'word', text: unquote(text), quoted: false, column, length: text.length });
      }
      at = end;
    }
  }
  return tokens;
}

/** A word or a term's value runs to whitespace or ')' outside quotes. */
function wordEnd(query: string, start: number): number {
  let at = start;
  while (at < query.length) {
    const c = query[at] as string;
    if (/\s/.test(c) || c === ')' || (c === '(' && at > start)) break;
    at = c === '"' ? quotedEnd(query, at) : at + 1;
  }
  return at;
}

/** The index after the closing quote of the quoted part starting at `start`; `\"` and `\\` are escapes. */
function quotedEnd(query: string, start: number): number {
  for (let at = start + 1; at < query.length; at++) {
    if (query[at] === '\\') at++;
    else if (query[at] === '"') return at + 1;
  }
  throw new QueryError('This quote is never closed; add a closing ".', start + 1, query.length - start);
}

/** Removes the quotes of every quoted part and their escapes: `a"b c"` → `ab c`. */
export function unquote(text: string): string {
  let out = '';
  let quoted = false;
  for (let at = 0; at < text.length; at++) {
    const c = text[at] as string;
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && quoted && at + 1 < text.length) out += text[++at];
    else out += c;
  }
  return out;
}
