import type { ExprError, Span } from './ast.ts';

export type Token =
  | (Span & { kind: 'string'; value: string })
  | (Span & { kind: 'number'; value: number })
  /** Also `true`, `false` and `null`: the parser decides, so they stay usable as reference segments (`vars.null`). */
  | (Span & { kind: 'ident'; name: string })
  | (Span & { kind: 'op'; op: string })
  | (Span & { kind: 'end' });

// Longest first, so `==` is not read as `=` `=`.
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '.'];
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_-]/;
// Sticky, so matching at an offset does not copy the rest of the source (no quadratic work).
const NUMBER = /-?(?:0x[0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;

/**
 * Splits an expression into tokens, or says exactly where it cannot. Linear in the length of `src`.
 * Offsets are `base` plus the position in `src`.
 */
export function tokenize(src: string, base = 0): { tokens: Token[]; error: ExprError | undefined } {
  const tokens: Token[] = [];
  const fail = (start: number, end: number, message: string) => ({ tokens: shift(tokens, base), error: { start: start + base, end: end + base, message } });
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === "'") {
      // GitHub Actions style: '' inside a string is one quote; there are no other escapes.
      let value = '';
      let j = i + 1;
      for (;;) {
        const close = src.indexOf("'", j);
        if (close === -1) return fail(i, src.length, "Unterminated string: a closing ' is missing.");
        value += src.slice(j, close);
        if (src[close + 1] !== "'") {
          j = close + 1;
          break;
        }
        value += "'";
        j = close + 2;
      }
      tokens.push({ kind: 'string', value, start: i, end: j });
      i = j;
      continue;
    }
    const previous = tokens[tokens.length - 1];
    // A '-' starts a negative number only where a value is expected: `a -1` stays an error, not `a - 1`.
    const valueExpected = previous === undefined || (previous.kind === 'op' && previous.op !== ')' && previous.op !== '.');
    const next = src[i + 1] ?? '';
    if (isDigit(c) || (c === '.' && isDigit(next) && valueExpected) || (c === '-' && valueExpected && (isDigit(next) || next === '.'))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(src);
      if (m !== null) {
        const text = m[0];
        const end = i + text.length;
        const after = src[end] ?? '';
        if (IDENT_PART.test(after) || after === '.') {
          // Underline the whole word (`1st`, `1_000`, `1.2.3`), not just the first bad character.
          let stop = end;
          while (stop < src.length && (IDENT_PART.test(src[stop] ?? '') || src[stop] === '.')) stop++;
          return fail(i, stop, `Invalid number '${src.slice(i, stop)}'.`);
        }
        const negative = text.startsWith('-');
        const unsigned = negative ? text.slice(1) : text;
        const magnitude = unsigned.startsWith('0x') ? Number.parseInt(unsigned.slice(2), 16) : Number(unsigned);
        tokens.push({ kind: 'number', value: negative ? -magnitude : magnitude, start: i, end });
        i = end;
        continue;
      }
    }
    if (IDENT_START.test(c)) {
      IDENT.lastIndex = i;
      const name = IDENT.exec(src)?.[0] ?? c;
      tokens.push({ kind: 'ident', name, start: i, end: i + name.length });
      i += name.length;
      continue;
    }
    if (src.startsWith('===', i) || src.startsWith('!==', i)) {
      return fail(i, i + 3, `'${src.slice(i, i + 3)}' is not an operator; use '${c}='.`);
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    if (c === '=') return fail(i, i + 1, "'=' is not an operator; use '==' to compare.");
    if (c === '&' || c === '|') return fail(i, i + 1, `'${c}' is not an operator; use '${c}${c}'.`);
    if (c === '"') return fail(i, i + 1, "Strings use single quotes: 'text'.");
    const point = src.codePointAt(i) ?? 0;
    const width = point > 0xffff ? 2 : 1;
    return fail(i, i + width, `Unexpected character ${describe(point)}.`);
  }
  tokens.push({ kind: 'end', start: src.length, end: src.length });
  return { tokens: shift(tokens, base), error: undefined };
}

/** Moves fresh tokens in place: cheaper than threading `base` through every position above. */
function shift(tokens: Token[], base: number): Token[] {
  if (base !== 0) {
    for (const t of tokens) {
      t.start += base;
      t.end += base;
    }
  }
  return tokens;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Control and invisible characters are named by code point, or the message would show nothing. */
function describe(point: number): string {
  const printable = point > 0x20 && point !== 0x7f && !(point >= 0x80 && point <= 0xa0) && point !== 0xfeff &&
    !(point >= 0x2000 && point <= 0x200f) && !(point >= 0xd800 && point <= 0xdfff);
  const code = `U+${point.toString(16).toUpperCase().padStart(4, '0')}`;
  return printable ? `'${String.fromCodePoint(point)}'` : code;
}
