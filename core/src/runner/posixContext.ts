import type { HoleContext, HoleScan } from './holeContext.ts';

/**
 * Finds the quoting context of each placeholder in a bash/sh/zsh script with a small lexer: quotes,
 * `$'…'`, command and parameter substitution, heredocs, comments and bash's arithmetic contexts.
 * It does not need to be a full shell parser: a misread context can only make the runner refuse a
 * block or insert a variable reference in a less convenient form, never insert a value as code,
 * because the inserted text never contains the value (see substitute.ts).
 */

type Frame =
  /** The top level, `$( … )` or `` ` … ` ``. */
  | { kind: 'bare'; close: '' | ')' | '`'; depth: number }
  | { kind: 'dq' }
  | { kind: 'sq' }
  | { kind: 'ansi' }
  /** `${ … }`: holes take the context of what encloses it. */
  | { kind: 'param'; inside: Inside; depth: number }
  | { kind: 'arith'; what: string; close: '))' | ']'; depth: number }
  /** `[[ … ]]`: the operands of `-eq` and friends are evaluated as arithmetic by bash. */
  | { kind: 'cond' }
  | { kind: 'heredoc'; delim: string; quoted: boolean; stripTabs: boolean; checkedAt: number }
  | { kind: 'comment' };

/** What encloses a `${ … }`: its holes read like holes there. */
type Inside = 'code' | 'double quotes' | 'heredoc';

interface PendingHeredoc {
  delim: string;
  quoted: boolean;
  stripTabs: boolean;
}

const WORD_BREAK = ' \t\n;&|()<>';
const ARITH_TEST_OPERATORS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
const COMMAND_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);

export interface PosixDialect {
  /** bash and zsh have `(( ))`, `[[ ]]` and array subscripts; plain sh has none of them. */
  bashArithmetic: boolean;
}

export function posixHoleContexts(scan: HoleScan, dialect: PosixDialect): HoleContext[] {
  const s = scan.text;
  const n = s.length;
  const holeIndex = new Map(scan.holes.map((at, k) => [at, k]));
  const out: HoleContext[] = scan.holes.map(() => ({ kind: 'literal', what: 'a place the runner could not make sense of' }));
  const stack: Frame[] = [{ kind: 'bare', close: '', depth: 0 }];
  let pending: PendingHeredoc[] = [];

  const atCommandStart = (i: number): boolean => {
    let j = i - 1;
    while (j >= 0 && (s[j] === ' ' || s[j] === '\t')) j--;
    if (j < 0 || '\n;&|('.includes(s[j] ?? '')) return true;
    let k = j;
    while (k >= 0 && !WORD_BREAK.includes(s[k] ?? '')) k--;
    return COMMAND_KEYWORDS.has(s.slice(k + 1, j + 1));
  };
  const atWordStart = (i: number): boolean => i === 0 || WORD_BREAK.includes(s[i - 1] ?? '');

  /** `$((`, `$(`, `${`: pushes the frame and returns the new position, or -1. */
  const dollar = (i: number, inside: Inside): number => {
    if (s[i] !== '$') return -1;
    if (s.startsWith('$((', i)) {
      stack.push({ kind: 'arith', what: '$(( ))', close: '))', depth: 0 });
      return i + 3;
    }
    if (s[i + 1] === '(') {
      stack.push({ kind: 'bare', close: ')', depth: 0 });
      return i + 2;
    }
    if (s[i + 1] === '{') {
      stack.push({ kind: 'param', inside, depth: 0 });
      return i + 2;
    }
    return -1;
  };

  const contextOf = (at: number): HoleContext => {
    for (let k = stack.length - 1; k >= 0; k--) {
      const frame = stack[k];
      if (frame === undefined) break;
      switch (frame.kind) {
        case 'comment':
          return { kind: 'comment' };
        case 'sq':
          return { kind: 'literal', what: 'single quotes' };
        case 'ansi':
          return { kind: 'literal', what: "$'…' quotes" };
        case 'heredoc':
          return frame.quoted ? { kind: 'literal', what: `a quoted heredoc (<<'${frame.delim}')` } : { kind: 'interpolated', within: 'heredoc' };
        case 'arith':
          return { kind: 'arithmetic', what: frame.what };
        case 'dq':
          return { kind: 'interpolated', within: 'double quotes' };
        case 'param':
          return frame.inside === 'code' ? { kind: 'code' } : { kind: 'interpolated', within: frame.inside };
        case 'cond':
          return arithmeticOperand(s, at) ? { kind: 'arithmetic', what: 'an arithmetic test in [[ ]]' } : { kind: 'code' };
        case 'bare':
          return { kind: 'code' };
      }
    }
    return { kind: 'code' };
  };
  /** Like contextOf, but looks through quotes for an enclosing `[[ ]]` (`[[ "$x" -eq 1 ]]` is arithmetic too). */
  const holeContext = (at: number): HoleContext => {
    const own = contextOf(at);
    if (own.kind !== 'interpolated' || stack[stack.length - 1]?.kind !== 'dq') return own;
    const enclosing = stack[stack.length - 2];
    if (enclosing?.kind === 'cond' && arithmeticOperand(s, at)) return { kind: 'arithmetic', what: 'an arithmetic test in [[ ]]' };
    return own;
  };

  let i = 0;
  while (i < n) {
    const top = stack[stack.length - 1] ?? { kind: 'bare', close: '', depth: 0 };
    if (top.kind === 'heredoc' && (i === 0 || s[i - 1] === '\n') && top.checkedAt !== i) {
      top.checkedAt = i;
      const end = s.indexOf('\n', i) === -1 ? n : s.indexOf('\n', i);
      const line = s.slice(i, end);
      const hasHole = scan.holes.some((h) => h >= i && h < end);
      if (!hasHole && (top.stripTabs ? line.replace(/^\t+/, '') : line) === top.delim) {
        stack.pop();
        i = end + 1;
        continue;
      }
    }
    const hole = holeIndex.get(i);
    if (hole !== undefined) {
      out[hole] = holeContext(i);
      i++;
      continue;
    }
    const c = s[i] ?? '';
    switch (top.kind) {
      case 'comment':
        if (c === '\n') stack.pop();
        else i++;
        continue;
      case 'sq':
        if (c === "'") stack.pop();
        i++;
        continue;
      case 'ansi':
        if (c === '\\') i += 2;
        else {
          if (c === "'") stack.pop();
          i++;
        }
        continue;
      case 'dq':
      case 'heredoc': {
        if (top.kind === 'heredoc' && top.quoted) {
          i++;
          continue;
        }
        if (c === '\\') {
          i += 2;
          continue;
        }
        if (c === '"' && top.kind === 'dq') {
          stack.pop();
          i++;
          continue;
        }
        if (c === '`') {
          stack.push({ kind: 'bare', close: '`', depth: 0 });
          i++;
          continue;
        }
        const next = dollar(i, top.kind === 'heredoc' ? 'heredoc' : 'double quotes');
        i = next === -1 ? i + 1 : next;
        continue;
      }
      case 'arith': {
        if (c === '(') top.depth++;
        else if (top.close === '))' && c === ')') {
          if (top.depth === 0 && s[i + 1] === ')') {
            stack.pop();
            i += 2;
            continue;
          }
          top.depth = Math.max(0, top.depth - 1);
        } else if (top.close === ']' && c === ']' && top.depth === 0) {
          stack.pop();
          i++;
          continue;
        } else if (c === ')') top.depth = Math.max(0, top.depth - 1);
        else if (c === '`') {
          stack.push({ kind: 'bare', close: '`', depth: 0 });
          i++;
          continue;
        } else if (c === '"') {
          stack.push({ kind: 'dq' });
          i++;
          continue;
        } else {
          const next = dollar(i, 'code');
          if (next !== -1) {
            i = next;
            continue;
          }
        }
        i++;
        continue;
      }
      case 'param':
        if (c === '}') {
          if (top.depth === 0) stack.pop();
          else top.depth--;
          i++;
          continue;
        }
        if (c === '{') top.depth++;
        else if (c === '[' && dialect.bashArithmetic) {
          // `${a[…]}`: an indexed array's subscript is arithmetic (an associative one is not, but
          // we cannot tell them apart here, so the stricter reading wins).
          stack.push({ kind: 'arith', what: 'an array subscript', close: ']', depth: 0 });
        } else if (c === '\\') {
          i += 2;
          continue;
        } else if (c === "'" && top.inside === 'code') {
          stack.push({ kind: 'sq' });
        } else if (c === '"') {
          stack.push({ kind: 'dq' });
        } else if (c === '`') {
          stack.push({ kind: 'bare', close: '`', depth: 0 });
        } else {
          const next = dollar(i, top.inside);
          if (next !== -1) {
            i = next;
            continue;
          }
        }
        i++;
        continue;
      case 'cond':
      case 'bare': {
        if (top.kind === 'cond' && s.startsWith(']]', i)) {
          stack.pop();
          i += 2;
          continue;
        }
        if (c === '\\') {
          i += 2;
          continue;
        }
        if (c === "'") {
          stack.push({ kind: 'sq' });
          i++;
          continue;
        }
        if (c === '"') {
          stack.push({ kind: 'dq' });
          i++;
          continue;
        }
        if (c === '$' && s[i + 1] === "'") {
          stack.push({ kind: 'ansi' });
          i += 2;
          continue;
        }
        if (c === '$' && s[i + 1] === '"') {
          stack.push({ kind: 'dq' });
          i += 2;
          continue;
        }
        const next = dollar(i, 'code');
        if (next !== -1) {
          i = next;
          continue;
        }
        if (c === '`') {
          if (top.kind === 'bare' && top.close === '`') stack.pop();
          else stack.push({ kind: 'bare', close: '`', depth: 0 });
          i++;
          continue;
        }
        if (dialect.bashArithmetic && top.kind === 'bare' && s.startsWith('((', i) && atCommandStart(i)) {
          stack.push({ kind: 'arith', what: '(( ))', close: '))', depth: 0 });
          i += 2;
          continue;
        }
        if (dialect.bashArithmetic && top.kind === 'bare' && s.startsWith('[[', i) && atCommandStart(i)) {
          stack.push({ kind: 'cond' });
          i += 2;
          continue;
        }
        if (dialect.bashArithmetic && c === '[' && i > 0 && /[A-Za-z0-9_]/.test(s[i - 1] ?? '') && isNameBefore(s, i)) {
          stack.push({ kind: 'arith', what: 'an array subscript', close: ']', depth: 0 });
          i++;
          continue;
        }
        if (top.kind === 'bare' && c === '(') top.depth++;
        else if (top.kind === 'bare' && c === ')') {
          if (top.depth === 0 && top.close === ')') {
            stack.pop();
            i++;
            continue;
          }
          top.depth = Math.max(0, top.depth - 1);
        } else if (c === '#' && atWordStart(i)) {
          stack.push({ kind: 'comment' });
          i++;
          continue;
        } else if (c === '<' && s[i + 1] === '<') {
          if (s[i + 2] === '<') {
            i += 3;
            continue;
          }
          const heredoc = readHeredocWord(s, i + 2);
          if (heredoc.word !== undefined) pending.push(heredoc.word);
          i = heredoc.end;
          continue;
        } else if (c === '\n' && pending.length > 0) {
          i++;
          for (let k = pending.length - 1; k >= 0; k--) {
            const p = pending[k];
            if (p !== undefined) stack.push({ kind: 'heredoc', ...p, checkedAt: -1 });
          }
          pending = [];
          continue;
        }
        i++;
        continue;
      }
    }
  }
  return out;
}

/** `name[`: a variable name (not a glob like `file*[ab]`) right before the bracket. */
function isNameBefore(s: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && /[A-Za-z0-9_]/.test(s[k] ?? '')) k--;
  return /[A-Za-z_]/.test(s[k + 1] ?? '') && (k < 0 || WORD_BREAK.includes(s[k] ?? '') || s[k] === '{' || s[k] === '$');
}

/** Whether the word holding offset `at` is an operand of `-eq`, `-lt`, … (the word before or after). */
function arithmeticOperand(s: string, at: number): boolean {
  const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n';
  let start = at;
  while (start > 0 && !isSpace(s[start - 1])) start--;
  let end = at;
  while (end < s.length && !isSpace(s[end])) end++;
  let p = start;
  while (p > 0 && isSpace(s[p - 1])) p--;
  let q = p;
  while (q > 0 && !isSpace(s[q - 1])) q--;
  let r = end;
  while (r < s.length && isSpace(s[r])) r++;
  let t = r;
  while (t < s.length && !isSpace(s[t])) t++;
  return ARITH_TEST_OPERATORS.has(s.slice(q, p)) || ARITH_TEST_OPERATORS.has(s.slice(r, t));
}

/** Reads the delimiter word after `<<`/`<<-`; any quoting in it makes the heredoc body literal. */
function readHeredocWord(s: string, from: number): { word: PendingHeredoc | undefined; end: number } {
  let j = from;
  let stripTabs = false;
  if (s[j] === '-') {
    stripTabs = true;
    j++;
  }
  while (s[j] === ' ' || s[j] === '\t') j++;
  let delim = '';
  let quoted = false;
  while (j < s.length && !WORD_BREAK.includes(s[j] ?? '')) {
    const c = s[j] ?? '';
    if (c === "'" || c === '"') {
      quoted = true;
      const close = s.indexOf(c, j + 1);
      const stop = close === -1 ? s.length : close;
      delim += s.slice(j + 1, stop);
      j = stop + 1;
    } else if (c === '\\') {
      quoted = true;
      delim += s[j + 1] ?? '';
      j += 2;
    } else {
      delim += c;
      j++;
    }
  }
  return { word: delim === '' ? undefined : { delim, quoted, stripTabs }, end: j };
}
