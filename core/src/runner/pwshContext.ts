import type { HoleContext, HoleScan } from './holeContext.ts';

/**
 * Finds the quoting context of each placeholder in a PowerShell script: single- and double-quoted
 * strings (PowerShell also takes the typographic quotes ‘ ’ ‚ ‛ and “ ” „ as quotes), here-strings,
 * `$( … )` inside strings, and comments. As for the POSIX lexer, a misread only costs convenience.
 */

type Frame =
  | { kind: 'bare'; close: boolean; depth: number }
  | { kind: 'sq' }
  | { kind: 'dq' }
  | { kind: 'hereSq' }
  | { kind: 'hereDq' }
  | { kind: 'lineComment' }
  | { kind: 'blockComment' };

const SINGLE = "'\u2018\u2019\u201A\u201B";
const DOUBLE = '"\u201C\u201D\u201E';

export function pwshHoleContexts(scan: HoleScan): HoleContext[] {
  const s = scan.text;
  const n = s.length;
  const holeIndex = new Map(scan.holes.map((at, k) => [at, k]));
  const out: HoleContext[] = scan.holes.map(() => ({ kind: 'literal', what: 'a place the runner could not make sense of' }));
  const stack: Frame[] = [{ kind: 'bare', close: false, depth: 0 }];
  const lineStart = (i: number): boolean => i === 0 || s[i - 1] === '\n';

  let i = 0;
  while (i < n) {
    const top = stack[stack.length - 1] ?? { kind: 'bare', close: false, depth: 0 };
    const hole = holeIndex.get(i);
    if (hole !== undefined) {
      out[hole] = contextOf(top);
      i++;
      continue;
    }
    const c = s[i] ?? '';
    switch (top.kind) {
      case 'lineComment':
        if (c === '\n') stack.pop();
        else i++;
        continue;
      case 'blockComment':
        if (s.startsWith('#>', i)) {
          stack.pop();
          i += 2;
        } else i++;
        continue;
      case 'sq':
        if (SINGLE.includes(c)) {
          if (SINGLE.includes(s[i + 1] ?? '\0')) i += 2;
          else {
            stack.pop();
            i++;
          }
        } else i++;
        continue;
      case 'hereSq':
      case 'hereDq': {
        const closer = top.kind === 'hereSq' ? SINGLE : DOUBLE;
        if (lineStart(i) && closer.includes(c) && s[i + 1] === '@') {
          stack.pop();
          i += 2;
          continue;
        }
        if (top.kind === 'hereDq' && c === '`') i += 2;
        else if (top.kind === 'hereDq' && c === '$' && s[i + 1] === '(') {
          stack.push({ kind: 'bare', close: true, depth: 0 });
          i += 2;
        } else i++;
        continue;
      }
      case 'dq':
        if (c === '`') i += 2;
        else if (DOUBLE.includes(c)) {
          if (DOUBLE.includes(s[i + 1] ?? '\0')) i += 2;
          else {
            stack.pop();
            i++;
          }
        } else if (c === '$' && s[i + 1] === '(') {
          stack.push({ kind: 'bare', close: true, depth: 0 });
          i += 2;
        } else i++;
        continue;
      case 'bare':
        if (c === '`') {
          i += 2;
          continue;
        }
        if (c === '@' && SINGLE.includes(s[i + 1] ?? '\0') && /^[ \t]*\r?\n/.test(s.slice(i + 2, i + 200))) {
          stack.push({ kind: 'hereSq' });
          i += 2;
          continue;
        }
        if (c === '@' && DOUBLE.includes(s[i + 1] ?? '\0') && /^[ \t]*\r?\n/.test(s.slice(i + 2, i + 200))) {
          stack.push({ kind: 'hereDq' });
          i += 2;
          continue;
        }
        if (SINGLE.includes(c)) stack.push({ kind: 'sq' });
        else if (DOUBLE.includes(c)) stack.push({ kind: 'dq' });
        else if (c === '<' && s[i + 1] === '#') {
          stack.push({ kind: 'blockComment' });
          i += 2;
          continue;
        } else if (c === '#' && (i === 0 || /[\s;(){}|&]/.test(s[i - 1] ?? ''))) stack.push({ kind: 'lineComment' });
        else if (c === '(') top.depth++;
        else if (c === ')') {
          if (top.close && top.depth === 0) stack.pop();
          else top.depth = Math.max(0, top.depth - 1);
        }
        i++;
        continue;
    }
  }
  return out;
}

function contextOf(frame: Frame): HoleContext {
  switch (frame.kind) {
    case 'bare':
      return { kind: 'code' };
    case 'dq':
    case 'hereDq':
      return { kind: 'interpolated', within: frame.kind === 'dq' ? 'double quotes' : 'heredoc' };
    case 'sq':
      return { kind: 'literal', what: 'single quotes' };
    case 'hereSq':
      return { kind: 'literal', what: "a single-quoted here-string (@' … '@)" };
    case 'lineComment':
    case 'blockComment':
      return { kind: 'comment' };
  }
}
