import type { HoleContext, HoleScan } from './holeContext.ts';

/**
 * Finds whether each placeholder of a Python or JavaScript script sits in code, in a string
 * literal, or in a comment. Only strings, comments, f-string replacement fields and template
 * `${ }` are tracked (JavaScript regular expression literals are not): the substituted text holds
 * no value, so a misread cannot turn a value into code.
 */

type PyFrame =
  | { kind: 'code'; fstring: { quote: string; triple: boolean } | undefined; depth: number }
  | { kind: 'string'; quote: string; triple: boolean; f: boolean }
  | { kind: 'comment' };

const PY_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;

export function pythonHoleContexts(scan: HoleScan): HoleContext[] {
  const s = scan.text;
  const holeIndex = new Map(scan.holes.map((at, k) => [at, k]));
  const out: HoleContext[] = scan.holes.map(() => ({ kind: 'literal', what: 'a place the runner could not make sense of' }));
  const stack: PyFrame[] = [{ kind: 'code', fstring: undefined, depth: 0 }];
  let i = 0;
  while (i < s.length) {
    const top = stack[stack.length - 1] ?? { kind: 'code', fstring: undefined, depth: 0 };
    const hole = holeIndex.get(i);
    if (hole !== undefined) {
      if (top.kind === 'comment') out[hole] = { kind: 'comment' };
      else if (top.kind === 'string') out[hole] = { kind: 'literal', what: top.f ? 'the text of an f-string' : 'a string literal' };
      else out[hole] = { kind: 'code', avoidQuote: top.fstring && !top.fstring.triple ? (top.fstring.quote as '"' | "'") : undefined };
      i++;
      continue;
    }
    const c = s[i] ?? '';
    if (top.kind === 'comment') {
      if (c === '\n') stack.pop();
      else i++;
      continue;
    }
    if (top.kind === 'string') {
      const closer = top.triple ? top.quote.repeat(3) : top.quote;
      if (c === '\\') i += 2;
      else if (s.startsWith(closer, i)) {
        stack.pop();
        i += closer.length;
      } else if (c === '\n' && !top.triple) stack.pop();
      else if (top.f && c === '{') {
        if (s[i + 1] === '{') i += 2;
        else {
          stack.push({ kind: 'code', fstring: { quote: top.quote, triple: top.triple }, depth: 0 });
          i++;
        }
      } else i++;
      continue;
    }
    if (c === '#') {
      stack.push({ kind: 'comment' });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let p = i;
      while (p > 0 && p > i - 2 && /[A-Za-z]/.test(s[p - 1] ?? '')) p--;
      const prefix = s.slice(p, i);
      const standalone = p === 0 || !/[A-Za-z0-9_]/.test(s[p - 1] ?? '');
      const f = standalone && PY_PREFIX.test(prefix) && /[fF]/.test(prefix);
      const triple = s.startsWith(c.repeat(3), i);
      stack.push({ kind: 'string', quote: c, triple, f });
      i += triple ? 3 : 1;
      continue;
    }
    if (top.fstring !== undefined) {
      if ('([{'.includes(c)) top.depth++;
      else if (')]'.includes(c)) top.depth = Math.max(0, top.depth - 1);
      else if (c === '}') {
        if (top.depth === 0) stack.pop();
        else top.depth--;
      }
    }
    i++;
  }
  return out;
}

type JsFrame =
  | { kind: 'code'; inTemplate: boolean; depth: number }
  | { kind: 'string'; quote: string }
  | { kind: 'template' }
  | { kind: 'lineComment' }
  | { kind: 'blockComment' };

export function nodeHoleContexts(scan: HoleScan): HoleContext[] {
  const s = scan.text;
  const holeIndex = new Map(scan.holes.map((at, k) => [at, k]));
  const out: HoleContext[] = scan.holes.map(() => ({ kind: 'literal', what: 'a place the runner could not make sense of' }));
  const stack: JsFrame[] = [{ kind: 'code', inTemplate: false, depth: 0 }];
  let i = 0;
  while (i < s.length) {
    const top = stack[stack.length - 1] ?? { kind: 'code', inTemplate: false, depth: 0 };
    const hole = holeIndex.get(i);
    if (hole !== undefined) {
      if (top.kind === 'code') out[hole] = { kind: 'code' };
      else if (top.kind === 'string') out[hole] = { kind: 'literal', what: 'a string literal' };
      else if (top.kind === 'template') out[hole] = { kind: 'literal', what: 'the text of a template literal' };
      else out[hole] = { kind: 'comment' };
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
        if (s.startsWith('*/', i)) {
          stack.pop();
          i += 2;
        } else i++;
        continue;
      case 'string':
        if (c === '\\') i += 2;
        else {
          if (c === top.quote || c === '\n') stack.pop();
          i++;
        }
        continue;
      case 'template':
        if (c === '\\') i += 2;
        else if (c === '`') {
          stack.pop();
          i++;
        } else if (s.startsWith('${', i)) {
          stack.push({ kind: 'code', inTemplate: true, depth: 0 });
          i += 2;
        } else i++;
        continue;
      case 'code':
        if (s.startsWith('//', i)) stack.push({ kind: 'lineComment' });
        else if (s.startsWith('/*', i)) {
          stack.push({ kind: 'blockComment' });
          i += 2;
          continue;
        } else if (c === "'" || c === '"') stack.push({ kind: 'string', quote: c });
        else if (c === '`') stack.push({ kind: 'template' });
        else if (c === '{') top.depth++;
        else if (c === '}') {
          if (top.inTemplate && top.depth === 0) stack.pop();
          else top.depth = Math.max(0, top.depth - 1);
        }
        i++;
        continue;
    }
  }
  return out;
}
