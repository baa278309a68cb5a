import * as l10n from '@vscode/l10n';
import { CST, Parser, parseAllDocuments } from 'yaml';
import { diagnostic, type Diagnostic, type Span } from '../model/diagnostic.ts';
import type { YMap, YNode, YPair, YScalar, YSeq } from './ast.ts';
import { resolvePlain } from './coreSchema.ts';
import { parseAt, splitChunks, type Chunk, type CstCache } from './chunks.ts';

export interface YamlReadResult {
  root: YNode | undefined;
  diagnostics: Diagnostic[];
}

type Item = CST.CollectionItem;

/** Aliases may expand to at most this many nodes beyond the file's own; more is an alias bomb. */
const ALIAS_EXPANSION_BUDGET = 10_000;
const PIECEWISE_MIN_LENGTH = 48 * 1024;

/**
 * Reads YAML into our small tree straight from the `yaml` package's concrete syntax tree. Its
 * full composer costs a third of the parse and grows quadratically with the number of keys in a
 * map (its duplicate-key check), so the common, well-formed file never goes through it. Anything
 * irregular in the token stream marks the text suspicious, and only then does the composer run,
 * to report the syntax errors exactly as the `yaml` package words and places them.
 *
 * A plainly laid out file is read piece by piece (see chunks.ts), reusing the pieces in `cache`
 * that did not change; any irregularity in a piece falls back to reading the whole text at once.
 */
export function readYaml(text: string, forceStrict = false, cache?: CstCache): YamlReadResult {
  // Below this size one parse is cheaper than many small ones, unless an editor reuses pieces.
  if (!forceStrict && (cache !== undefined || text.length > PIECEWISE_MIN_LENGTH)) {
    const chunked = readChunked(text, cache);
    if (chunked !== undefined) return chunked;
  }
  return readWhole(text, forceStrict);
}

function readChunked(text: string, cache: CstCache | undefined): YamlReadResult | undefined {
  const chunks = splitChunks(text);
  if (chunks === undefined) return undefined;
  const reader = new CstReader(text);
  const top: YPair[] = [];
  const blocks: YPair[] = [];
  let blocksPair: YPair | undefined;
  let ok = true;
  for (const piece of groupBlocks(chunks)) {
    const source = text.slice(piece.start, piece.end);
    // The `blocks:` pair is completed below with the blocks, so its tree is never reused.
    const reusable = cache !== undefined && piece.role !== 'blocks-head';
    let pairs = reusable ? cache.reuse(source, piece.start) : undefined;
    if (pairs === undefined) {
      const tokens = cache ? cache.parse(source, piece.start) : parseAt(source, piece.start);
      const reported = reader.diagnostics.length;
      pairs = reader.mapPairs(tokens);
      if (pairs === undefined || reader.suspicious || reader.sawAnchors || (piece.role !== 'block' && pairs.length !== 1)) {
        ok = false;
        break;
      }
      if (reusable && reader.diagnostics.length === reported) cache.remember(source, piece.start, pairs);
    } else if (piece.role !== 'block' && pairs.length !== 1) {
      ok = false;
      break;
    }
    if (piece.role === 'block') blocks.push(...pairs);
    else top.push(...pairs);
    if (piece.role === 'blocks-head') blocksPair = pairs[0];
  }
  cache?.endPass();
  if (!ok || (blocksPair !== undefined && blocksPair.value !== undefined)) return undefined;
  const firstBlock = blocks[0];
  const lastBlock = blocks[blocks.length - 1];
  if (blocksPair !== undefined && firstBlock !== undefined && lastBlock !== undefined) {
    blocksPair.value = { kind: 'map', pairs: blocks, flow: false, span: { start: firstBlock.span.start, end: lastBlock.span.end } };
    blocksPair.span = { start: blocksPair.span.start, end: lastBlock.span.end };
  }
  const first = top[0];
  const last = top[top.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const root: YMap = { kind: 'map', pairs: top, flow: false, span: { start: first.span.start, end: last.span.end } };
  return { root, diagnostics: reader.diagnostics };
}

/** Parsing each block alone costs a parser setup per block; a few dozen at a time amortize it. */
const BLOCKS_PER_PIECE = 24;

function groupBlocks(chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  let run = 0;
  for (const chunk of chunks) {
    const last = out[out.length - 1];
    if (chunk.role === 'block' && last?.role === 'block' && run < BLOCKS_PER_PIECE) {
      last.end = chunk.end;
      run++;
    } else {
      out.push({ ...chunk });
      run = 1;
    }
  }
  return out;
}

/** Reads the text as one document (exported for the test that compares it with the piecewise read). */
export function readWhole(text: string, forceStrict = false): YamlReadResult {
  const reader = new CstReader(text);
  let root: YNode | undefined;
  let documents = 0;
  for (const token of new Parser().parse(text)) {
    if (token.type === 'document') {
      documents++;
      if (documents === 1) {
        if (token.start.some((t) => t.type !== 'doc-start' && !reader.trivial(t))) reader.suspicious = true;
        root = token.value ? reader.node(token.value) : undefined;
        if (token.end?.some((t) => !reader.trivial(t) && t.type !== 'doc-start')) reader.suspicious = true;
      } else {
        reader.suspicious = true; // the ignored documents may still hold syntax errors worth showing
        reader.diagnostics.push(diagnostic('unsupported-yaml', 'warning', { start: token.offset, end: token.offset + 3 },
          l10n.t('A pipeline file holds one YAML document; everything after the first is ignored.')));
      }
    } else if (!isOutsideTrivia(token)) {
      reader.suspicious = true; // errors, directives and stray tokens outside a document
    }
  }
  const diagnostics = reader.diagnostics;
  if (reader.suspicious || forceStrict) diagnostics.push(...composerErrors(text));
  return { root, diagnostics };
}

function isOutsideTrivia(token: CST.Token): boolean {
  return token.type === 'doc-end' || token.type === 'comment' || token.type === 'newline' || token.type === 'space' || token.type === 'byte-order-mark';
}

function composerErrors(text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    for (const error of doc.errors) {
      const start = error.pos[0];
      const end = Math.max(error.pos[1], start + 1);
      const key = `${start}:${error.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(diagnostic('yaml-syntax', 'error', { start, end: Math.min(end, text.length) }, l10n.t('YAML: {0}', firstLine(error.message))));
    }
  }
  return out;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

function isTrivia(t: CST.SourceToken): boolean {
  return t.type === 'space' || t.type === 'newline' || t.type === 'comment' || t.type === 'byte-order-mark';
}

class CstReader {
  readonly diagnostics: Diagnostic[] = [];
  suspicious = false;
  private readonly anchors = new Map<string, YNode>();
  private readonly sizes = new WeakMap<YNode, number>();
  private aliasExpansion = 0;
  private aliasBombReported = false;
  /** Anchors and aliases may cross pieces, so a piecewise read gives up when it meets one. */
  sawAnchors = false;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /** Whitespace and comments; a comment glued to the token before it is a syntax error. */
  trivial(t: CST.SourceToken): boolean {
    if (t.type === 'comment' && t.offset > 0) {
      const before = this.text.charCodeAt(t.offset - 1);
      if (before !== 32 && before !== 9 && before !== 10 && before !== 13) this.suspicious = true;
    }
    return isTrivia(t);
  }

  /** The pairs of the one block mapping a piece holds, or undefined if it holds anything else. */
  mapPairs(tokens: CST.Token[]): YPair[] | undefined {
    let pairs: YPair[] | undefined;
    for (const token of tokens) {
      if (token.type !== 'document') {
        if (!isOutsideTrivia(token)) return undefined;
        continue;
      }
      if (pairs !== undefined || token.value?.type !== 'block-map' || token.start.some((t) => !this.trivial(t))) return undefined;
      if (token.end?.some((t) => !this.trivial(t))) return undefined;
      const map = this.node(token.value);
      if (map?.kind !== 'map') return undefined;
      pairs = map.pairs;
    }
    return pairs;
  }

  node(token: CST.Token, props: CST.SourceToken[] = []): YNode | undefined {
    const anchor = this.properties(props);
    if (token.type === 'block-map' || token.type === 'block-seq') {
      // `&a - x` or `!t k: v`: properties of a block collection must end their line.
      let lastProp = -1;
      props.forEach((p, i) => {
        if (p.type === 'anchor' || p.type === 'tag') lastProp = i;
      });
      if (lastProp >= 0 && !props.slice(lastProp).some((p) => p.type === 'newline')) this.suspicious = true;
    }
    let node: YNode | undefined;
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        node = this.scalar(token);
        break;
      case 'block-map':
        node = this.blockMap(token);
        break;
      case 'block-seq':
        node = this.blockSeq(token);
        break;
      case 'flow-collection':
        node = this.flowCollection(token);
        break;
      case 'alias':
        this.sawAnchors = true;
        return this.alias(token);
      default:
        this.suspicious = true;
        return undefined;
    }
    if (anchor !== undefined && node !== undefined) this.anchors.set(anchor, node);
    return node;
  }

  /** Anchors are remembered; tags are reported since nothing in the format needs them. */
  private properties(props: CST.SourceToken[]): string | undefined {
    let anchor: string | undefined;
    let tags = 0;
    for (const p of props) {
      if (p.type === 'anchor') {
        this.sawAnchors = true;
        if (anchor !== undefined) this.suspicious = true;
        anchor = p.source.slice(1);
        if (anchor === '' || anchor.endsWith(':')) this.suspicious = true;
      } else if (p.type === 'tag') {
        if (++tags > 1) this.suspicious = true;
        this.diagnostics.push(diagnostic('unsupported-yaml', 'warning', span(p.offset, p.source.length),
          l10n.t('YAML tags such as {0} are not supported in pipeline files and are ignored.', p.source)));
      } else if (!this.trivial(p) && p.type !== 'seq-item-ind' && p.type !== 'map-value-ind' && p.type !== 'comma') {
        this.suspicious = true;
      }
    }
    return anchor;
  }

  private alias(token: CST.FlowScalar): YNode | undefined {
    const name = token.source.slice(1);
    const target = this.anchors.get(name);
    const where = span(token.offset, token.source.length);
    if (target === undefined) {
      this.diagnostics.push(diagnostic('yaml-syntax', 'error', where, l10n.t('YAML: unknown anchor \'{0}\' (an alias must follow its anchor).', name)));
      return undefined;
    }
    this.aliasExpansion += this.size(target);
    if (this.aliasExpansion > ALIAS_EXPANSION_BUDGET) {
      // One diagnostic is enough: every later alias of a bomb is over the budget too.
      if (this.aliasBombReported) return undefined;
      this.aliasBombReported = true;
      this.diagnostics.push(diagnostic('yaml-alias-limit', 'error', where,
        l10n.t('YAML aliases expand to more than {0} nodes from here on (an "alias bomb"); this alias and the ones after it are ignored.', ALIAS_EXPANSION_BUDGET)));
      return undefined;
    }
    return target;
  }

  private size(node: YNode): number {
    if (node.kind === 'scalar') return 1;
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    let total = 1;
    if (node.kind === 'map') for (const p of node.pairs) total += 1 + (p.value ? this.size(p.value) : 0);
    else for (const item of node.items) total += this.size(item);
    this.sizes.set(node, total);
    return total;
  }

  scalar(token: CST.FlowScalar | CST.BlockScalar): YScalar {
    const source = token.source;
    if ('end' in token && token.end?.some((t) => !this.trivial(t))) this.suspicious = true;
    if (token.type === 'scalar' && source.length > 0 && ',[]{}@`|>!%&*'.includes(source[0] ?? '')) {
      this.suspicious = true; // a plain value cannot start with a flow or reserved indicator
    }
    if (token.type === 'scalar' && !source.includes('\n')) {
      return { kind: 'scalar', value: resolvePlain(source), style: 'plain', span: span(token.offset, source.length) };
    }
    const onError = (): void => {
      this.suspicious = true;
    };
    const resolved = CST.resolveAsScalar(token, true, onError);
    const style = token.type === 'scalar' ? 'plain' : token.type === 'single-quoted-scalar' ? 'single' : token.type === 'double-quoted-scalar' ? 'double' : 'block';
    if (style === 'plain' && source.includes('\n') && /^\s*[^\s#]+.*:\s/m.test(source.slice(source.indexOf('\n')))) {
      // A plain scalar continued by a line that looks like `key: value` is a mis-indented key.
      this.suspicious = true;
    }
    const value = style === 'plain' ? resolvePlain(resolved.value) : resolved.value;
    return { kind: 'scalar', value, style, span: { start: resolved.range[0], end: resolved.range[1] } };
  }

  private blockMap(token: CST.BlockMap): YMap {
    const pairs: YPair[] = [];
    const column = this.column(token.offset);
    for (const item of token.items) {
      const pair = this.pair(item, false, column);
      if (pair) pairs.push(pair);
    }
    return { kind: 'map', pairs, flow: false, span: { start: token.offset, end: endOf(pairs, token.offset) } };
  }

  private pair(item: Item, flow: boolean, column: number): YPair | undefined {
    let sawNewline = false;
    for (const t of item.start) {
      if (t.type === 'newline') sawNewline = true;
      else if (t.type === 'comma' && flow) continue;
      else if (!this.trivial(t)) this.suspicious = true;
    }
    if ('explicitKey' in item || !item.key || !item.sep) {
      this.suspicious = true;
      if (!item.key) return undefined;
    }
    const keyToken = item.key;
    if (keyToken.type !== 'scalar' && keyToken.type !== 'single-quoted-scalar' && keyToken.type !== 'double-quoted-scalar') {
      this.suspicious = true;
      return undefined;
    }
    if (keyToken.source.includes('\n') || keyToken.source.length > 1024) this.suspicious = true;
    if (!flow && column >= 0 && this.column(keyToken.offset) !== column) this.suspicious = true;
    const key = this.scalar(keyToken);
    if (key.value !== null && typeof key.value !== 'string') key.value = String(key.value);
    const sep = item.sep ?? [];
    let colon = -1;
    let newlineBeforeValue = false;
    for (const t of sep) {
      if ((t.type === 'anchor' || t.type === 'tag') && colon < 0) this.suspicious = true; // props before ':'
      if (t.type === 'map-value-ind') {
        if (colon >= 0) this.suspicious = true;
        colon = t.offset;
      } else if (t.type !== 'anchor' && t.type !== 'tag' && !this.trivial(t)) this.suspicious = true;
      else if (t.type === 'newline' && colon >= 0) newlineBeforeValue = true;
    }
    if (colon < 0) this.suspicious = true;
    let value: YNode | undefined;
    if (item.value) {
      const blockCollection = item.value.type === 'block-map' || item.value.type === 'block-seq';
      if (blockCollection && !newlineBeforeValue) this.suspicious = true; // `a: b: c`
      if (flow && blockCollection) this.suspicious = true;
      value = this.node(item.value, sep);
    } else {
      this.properties(sep);
    }
    void sawNewline;
    const end = value ? value.span.end : Math.max(colon + 1, key.span.end);
    return { key, value, span: { start: key.span.start, end } };
  }

  private blockSeq(token: CST.BlockSequence): YSeq {
    const items: YNode[] = [];
    const column = this.column(token.offset);
    for (const item of token.items) {
      const dash = item.start.find((t) => t.type === 'seq-item-ind');
      if (!dash || this.column(dash.offset) !== column) this.suspicious = true;
      if (!item.value) this.properties(item.start);
      const value = item.value ? this.node(item.value, item.start) : this.emptyScalar(dash ? dash.offset + 1 : token.offset);
      if (value) items.push(value);
    }
    return { kind: 'seq', items, flow: false, span: { start: token.offset, end: endOf(items, token.offset) } };
  }

  private flowCollection(token: CST.FlowCollection): YNode {
    const isMap = token.start.type === 'flow-map-start';
    const closed = token.end.some((t) => t.type === (isMap ? 'flow-map-end' : 'flow-seq-end'));
    if (!closed) this.suspicious = true;
    let closers = 0;
    for (const t of token.end) {
      if (t.type === 'flow-map-end' || t.type === 'flow-seq-end') closers++;
      else if (!this.trivial(t)) this.suspicious = true;
    }
    if (closers > 1) this.suspicious = true;
    const endToken = token.end.find((t) => t.type === 'flow-map-end' || t.type === 'flow-seq-end');
    const end = endToken ? endToken.offset + 1 : token.offset + 1;
    let index = 0;
    // Exactly one comma between items: none before the first, none doubled.
    const commas = (item: Item): number => item.start.filter((t) => t.type === 'comma').length;
    token.items.forEach((item, i) => {
      if (commas(item) !== (i === 0 ? 0 : 1)) this.suspicious = true;
    });
    if (isMap) {
      const pairs: YPair[] = [];
      for (const item of token.items) {
        if (index++ > 0 && !item.start.some((t) => t.type === 'comma')) this.suspicious = true;
        const pair = this.pair(item, true, -1);
        if (pair) pairs.push(pair);
      }
      return { kind: 'map', pairs, flow: true, span: { start: token.offset, end } };
    }
    const items: YNode[] = [];
    for (const item of token.items) {
      if (index++ > 0 && !item.start.some((t) => t.type === 'comma')) this.suspicious = true;
      if (item.key !== undefined || item.sep !== undefined) this.suspicious = true; // `[a: b]` pairs
      for (const t of item.start) if (t.type !== 'comma' && !this.trivial(t) && t.type !== 'anchor' && t.type !== 'tag') this.suspicious = true;
      if (!item.value) {
        this.suspicious = true;
        continue;
      }
      if (item.value.type === 'block-map' || item.value.type === 'block-seq') this.suspicious = true;
      const value = this.node(item.value, item.start);
      if (value) items.push(value);
    }
    return { kind: 'seq', items, flow: true, span: { start: token.offset, end } };
  }

  private emptyScalar(offset: number): YScalar {
    return { kind: 'scalar', value: null, style: 'plain', span: { start: offset, end: offset } };
  }

  private column(offset: number): number {
    const lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    const bom = lineStart === 0 && this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return offset - lineStart - bom;
  }
}

function span(start: number, length: number): Span {
  return { start, end: start + length };
}

function endOf(children: { span: Span }[], fallback: number): number {
  const last = children[children.length - 1];
  return last ? last.span.end : fallback;
}
