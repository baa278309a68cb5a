import { Parser, type CST } from 'yaml';
import type { Span } from '../model/diagnostic.ts';
import type { YNode, YPair } from './ast.ts';

export interface Chunk {
  start: number;
  end: number;
  /** `top`: one top-level key; `blocks-head`: the `blocks:` line; `block`: one entry of `blocks`. */
  role: 'top' | 'blocks-head' | 'block';
}

/**
 * Splits a pipeline file into independently parseable pieces: one per top-level key and one per
 * block. Parsing many small pieces keeps the YAML parser's work linear (one 10,000-block document
 * is a garbage-collection storm) and lets an editor re-parse only the block being typed in.
 * Returns undefined whenever the layout is not the plain one (flow style at the top, directives,
 * tabs, odd indentation): the caller then parses the whole text as one document. Anchors are
 * noticed while reading the pieces, since only the tokenizer knows `&&` in a command from `&a`.
 */
export function splitChunks(text: string): Chunk[] | undefined {
  if (text.includes('\t') || /^(?:---|\.\.\.|%)/m.test(text)) return undefined;
  const chunks: Chunk[] = [];
  let blockIndent = -1; // indentation of block ids, once inside `blocks:`
  let inBlocks = false;
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let sawContent = false;
  while (at < text.length) {
    const newline = text.indexOf('\n', at);
    const lineEnd = newline === -1 ? text.length : newline;
    const next = newline === -1 ? text.length : newline + 1;
    let indent = 0;
    while (text.charCodeAt(at + indent) === 32) indent++;
    const first = text.charCodeAt(at + indent);
    const blank = at + indent >= lineEnd || first === 13 || first === 35; /* # */
    if (!blank) {
      if (indent === 0) {
        const key = keyOf(text, at, lineEnd);
        if (key === undefined) return undefined;
        close(chunks, at);
        inBlocks = key.name === 'blocks';
        if (inBlocks && !key.empty) return undefined; // `blocks: {…}` on one line: not split
        chunks.push({ start: at, end: text.length, role: inBlocks ? 'blocks-head' : 'top' });
        blockIndent = -1;
        sawContent = true;
      } else if (!sawContent) {
        return undefined; // indented content before any top-level key
      } else if (inBlocks) {
        if (blockIndent === -1) blockIndent = indent;
        if (indent === blockIndent) {
          if (keyOf(text, at + indent, lineEnd) === undefined) return undefined;
          close(chunks, at);
          chunks.push({ start: at, end: text.length, role: 'block' });
        } else if (indent < blockIndent) {
          return undefined;
        }
      }
    }
    at = next;
  }
  return chunks.length > 0 ? chunks : undefined;
}

function close(chunks: Chunk[], at: number): void {
  const last = chunks[chunks.length - 1];
  if (last !== undefined) last.end = at;
}

// A simple key (plain without ':' or '#', or quoted) followed by ':' and then nothing, a comment or a value.
const KEY_LINE = /^(?:'((?:[^']|'')*)'|"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_$./][^:#]*?))[ ]*:(?:[ ]+(.*))?\r?$/;

/** A `key:` line; `empty` when nothing but a comment follows the colon. */
function keyOf(text: string, from: number, lineEnd: number): { name: string; empty: boolean } | undefined {
  const m = KEY_LINE.exec(text.slice(from, lineEnd));
  if (!m) return undefined;
  const rest = m[4]?.trim();
  return { name: m[1] ?? m[2] ?? m[3] ?? '', empty: rest === undefined || rest === '' || rest.startsWith('#') };
}

interface CachedPiece {
  base: number;
  /** The CST, until the piece is read cleanly; then only `pairs` is kept, which is far smaller. */
  tokens?: CST.Token[];
  /** The tree read from a piece without diagnostics, anchors or anything suspicious. */
  pairs?: YPair[];
}

/**
 * Parsed pieces by their text, so an edit re-parses only the piece it touched. A piece read
 * cleanly keeps its tree rather than its CST: an edit then costs a walk that moves the offsets of
 * the pieces after it, not a re-read of the whole file.
 */
export class CstCache {
  private entries = new Map<string, CachedPiece>();
  private used = new Map<string, CachedPiece>();

  /** The tree of `text` placed at `base`, when an earlier pass read that same text cleanly. */
  reuse(text: string, base: number): YPair[] | undefined {
    const hit = this.entries.get(text);
    if (hit?.pairs === undefined || this.used.has(text)) return undefined;
    this.entries.delete(text);
    if (hit.base !== base) shiftSpans(hit.pairs, base - hit.base);
    hit.base = base;
    this.used.set(text, hit);
    return hit.pairs;
  }

  /** Keeps the clean read of `text` (parsed in this pass) for the next passes. */
  remember(text: string, base: number, pairs: YPair[]): void {
    const entry = this.used.get(text);
    if (entry === undefined || entry.base !== base) return;
    entry.pairs = pairs;
    delete entry.tokens;
  }

  /** The CST of `text` placed at `base` (offsets absolute in the file). */
  parse(text: string, base: number): CST.Token[] {
    const hit = this.entries.get(text);
    if (hit?.tokens !== undefined && !this.used.has(text)) {
      this.entries.delete(text);
      if (hit.base !== base) for (const t of hit.tokens) shiftOffsets(t, base - hit.base);
      hit.base = base;
      this.used.set(text, hit);
      return hit.tokens;
    }
    const tokens = parseAt(text, base);
    if (!this.used.has(text)) this.used.set(text, { tokens, base });
    return tokens;
  }

  /** Forgets the pieces the last pass did not use; call once per pass. */
  endPass(): void {
    this.entries = this.used;
    this.used = new Map();
  }
}

/** Moves every span of a piece's tree; each node has its own span object, so each moves once. */
function shiftSpans(pairs: YPair[], delta: number): void {
  const move = (span: Span): void => {
    span.start += delta;
    span.end += delta;
  };
  const visit = (node: YNode | undefined): void => {
    if (node === undefined) return;
    move(node.span);
    if (node.kind === 'map') for (const pair of node.pairs) visitPair(pair);
    else if (node.kind === 'seq') for (const item of node.items) visit(item);
  };
  const visitPair = (pair: YPair): void => {
    move(pair.span);
    visit(pair.key);
    visit(pair.value);
  };
  for (const pair of pairs) visitPair(pair);
}

export function parseAt(text: string, base: number): CST.Token[] {
  const tokens = [...new Parser().parse(text)];
  if (base !== 0) for (const t of tokens) shiftOffsets(t, base);
  return tokens;
}

/** Moves every offset in a CST subtree; tokens are plain objects, so a generic walk covers all kinds. */
function shiftOffsets(node: unknown, delta: number): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) shiftOffsets(item, delta);
    return;
  }
  const record = node as Record<string, unknown>;
  if (typeof record['offset'] === 'number') record['offset'] += delta;
  for (const key of ['start', 'sep', 'end', 'items', 'props', 'key', 'value']) {
    const child = record[key];
    if (child !== undefined && typeof child === 'object') shiftOffsets(child, delta);
  }
}
