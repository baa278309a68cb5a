import { BLOCK_ID_PATTERN, validatePipeline, type Block, type Span, type TextEdit, type ValidationResult, type YPair } from '../../../core/src/index.ts';
import { appendToList } from '../../../core/src/language/listEdits.ts';
import type { BlockField, BlockSnippet, GraphGesture } from './gesture.ts';
import { PALETTE } from './palette.ts';
import { applyEdits, blankBefore, blanksAfter, blanksBefore, columnOf, entryLines, lineEndAfter, lineStart, newlineOf } from './textRegions.ts';
import { flowItem, plainInteger, yamlScalar } from './yamlText.ts';

export type GraphEditResult =
  | {
      edits: TextEdit[];
      /** The text once the edits are applied. */
      text: string;
      /** The block to select afterwards (a new block, ready to rename). */
      select?: string;
      /** Errors the edit would add (shown by the side panel as the user types). */
      problems: string[];
    }
  | { error: string };

/**
 * One designer gesture as text edits of the pipeline file. Every edit replaces only the lines or
 * the value it is about, so comments, quoting, list spelling and blank lines elsewhere stay as the
 * user wrote them. Refusals (a cycle, a duplicate, a flow-style mapping that has no line to edit)
 * come back as `error`, in words for the user.
 */
export function computeGraphEdit(text: string, gesture: GraphGesture, fileName?: string): GraphEditResult {
  const before = validatePipeline(text, { fileName });
  if (!before.parsed || before.pipeline.root === undefined) return { error: 'The file cannot be read as YAML; fix it in the text first.' };
  const planned = plan(text, before, gesture);
  if ('error' in planned) return planned;
  const after = applyEdits(text, planned.edits);
  return { edits: planned.edits, text: after, ...(planned.select !== undefined ? { select: planned.select } : {}), problems: newErrors(before, validatePipeline(after, { fileName })) };
}

type Plan = { edits: TextEdit[]; select?: string } | { error: string };

function plan(text: string, analysis: ValidationResult, gesture: GraphGesture): Plan {
  const { pipeline, dag } = analysis;
  const block = (id: string): Block | { error: string } => pipeline.blockById.get(id) ?? { error: `There is no block '${id}' in the file.` };
  switch (gesture.kind) {
    case 'addDependency': {
      const from = block(gesture.from);
      const to = block(gesture.to);
      if ('error' in from) return from;
      if ('error' in to) return to;
      if (from.id === to.id) return { error: `'${to.id}' cannot depend on itself.` };
      if (to.dependsOn.some((d) => d.name === from.id)) return { error: `'${to.id}' already depends on '${from.id}'.` };
      if (dag.needs(from.id, to.id)) return { error: `'${to.id}' cannot depend on '${from.id}': '${from.id}' already depends on '${to.id}', so this would make a cycle.` };
      const edit = addDependency(text, to, from.id);
      return edit === undefined ? flowRefusal(to.id) : { edits: [edit] };
    }
    case 'removeDependency': {
      const to = block(gesture.to);
      if ('error' in to) return to;
      const entry = to.dependsOn.find((d) => d.name === gesture.from);
      const pair = to.keys.get('depends_on');
      if (entry === undefined || pair === undefined) return { error: `'${to.id}' does not depend on '${gesture.from}'.` };
      return { edits: [removeDependency(text, to, pair, entry.span)] };
    }
    case 'addBlock': {
      const entry = PALETTE[gesture.item];
      const id = freeId(analysis, entry.baseId);
      return insertBlock(text, analysis, id, entry.body(id));
    }
    case 'addSnippet':
      return addSnippet(text, analysis, gesture.snippet);
    case 'addSubPipeline':
      return addSubPipeline(text, analysis, gesture.path);
    case 'duplicateBlock': {
      const source = block(gesture.block);
      if ('error' in source) return source;
      return duplicate(text, analysis, source);
    }
    case 'setDisabled': {
      const target = block(gesture.block);
      if ('error' in target) return target;
      return setDisabled(text, target, gesture.disabled);
    }
    case 'deleteBlock': {
      const target = block(gesture.block);
      if ('error' in target) return target;
      return deleteBlock(text, analysis, target);
    }
    case 'setField': {
      const target = block(gesture.block);
      if ('error' in target) return target;
      return setField(text, target, gesture.field, gesture.value);
    }
  }
  // Any LSP client can send a request: an unknown gesture is refused, not guessed at.
  return { error: 'Unknown designer gesture.' };
}

function flowRefusal(id: string): { error: string } {
  return { error: `Block '${id}' is written on one line ({ … }); edit it in the text.` };
}

/** The blocks mapping's entry for a block. */
function entryOf(analysis: ValidationResult, id: string): YPair | undefined {
  const blocks = analysis.pipeline.root?.pairs.find((p) => p.key.value === 'blocks')?.value;
  return blocks?.kind === 'map' ? blocks.pairs.find((p) => p.key.value === id) : undefined;
}

/** The column of a block's keys: that of its first key when on its own line, else the id's plus two. */
function keyColumn(text: string, block: Block): number {
  const first = block.keys.values().next().value;
  const idColumn = columnOf(text, block.idSpan.start);
  if (first !== undefined && lineStart(text, first.key.span.start) > block.idSpan.start) return columnOf(text, first.key.span.start);
  return idColumn + 2;
}

/** Whether every key of the block is on a line of its own (a block-style mapping). */
function onOwnLines(text: string, block: Block): boolean {
  const first = block.keys.values().next().value;
  return first === undefined || lineStart(text, first.key.span.start) > block.idSpan.start;
}

function addDependency(text: string, block: Block, id: string): TextEdit | undefined {
  const pair = block.keys.get('depends_on');
  if (pair !== undefined) return appendToList(text, pair, id);
  if (!onOwnLines(text, block) || block.keys.size === 0) return undefined;
  const first = block.keys.values().next().value as YPair;
  const at = lineStart(text, first.key.span.start);
  return { span: { start: at, end: at }, newText: `${' '.repeat(keyColumn(text, block))}depends_on: [${flowItem(id)}]${newlineOf(text)}` };
}

/** Removes one entry; the last one takes the whole `depends_on` line(s) with it. */
function removeDependency(text: string, block: Block, pair: YPair, entry: Span): TextEdit {
  const value = pair.value;
  const only = value === undefined || value.kind !== 'seq' || value.items.length <= 1;
  if (only && onOwnLines(text, block)) return { span: entryLines(text, pair, false), newText: '' };
  if (value?.kind === 'scalar') return { span: value.span, newText: '[]' };
  if (value?.kind === 'seq') {
    const index = value.items.findIndex((item) => item.span.start === entry.start);
    const item = value.items[index];
    if (value.flow && item !== undefined) {
      const previous = value.items[index - 1];
      const next = value.items[index + 1];
      if (previous !== undefined) return { span: { start: previous.span.end, end: item.span.end }, newText: '' };
      return { span: { start: item.span.start, end: next?.span.start ?? item.span.end }, newText: '' };
    }
    if (item !== undefined) return { span: { start: lineStart(text, item.span.start), end: lineEndAfter(text, item.span.end) }, newText: '' };
  }
  return { span: entry, newText: '' };
}

function freeId(analysis: ValidationResult, base: string): string {
  const taken = analysis.pipeline.blockById;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** A new block after the last one, indented and spaced like the blocks already there. */
function insertBlock(text: string, analysis: ValidationResult, id: string, body: string[]): Plan {
  const blocks = analysis.pipeline.blocks;
  const last = blocks[blocks.length - 1];
  const nl = newlineOf(text);
  const lastEntry = last === undefined ? undefined : entryOf(analysis, last.id);
  if (last === undefined || lastEntry === undefined || !onOwnLines(text, last)) {
    return { error: 'New blocks are added after the last block, which must be written over several lines.' };
  }
  const idColumn = columnOf(text, last.idSpan.start);
  const inner = keyColumn(text, last);
  const region = entryLines(text, lastEntry, true);
  const spaced = blankBefore(text, region.start);
  const lines = [`${' '.repeat(idColumn)}${id}:`, ...body.map((line) => `${' '.repeat(inner)}${line}`)];
  const atEnd = region.end;
  const lead = atEnd > 0 && text[atEnd - 1] !== '\n' ? nl : '';
  return { edits: [{ span: { start: atEnd, end: atEnd }, newText: `${lead}${spaced ? nl : ''}${lines.join(nl)}${nl}` }], select: id };
}

/** A workspace snippet: either a block's keys, or one `id:` entry whose id becomes the new block's base id. */
function addSnippet(text: string, analysis: ValidationResult, snippet: BlockSnippet): Plan {
  const lines = snippet.body.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const header = /^([A-Za-z_][A-Za-z0-9_-]*):\s*$/.exec(lines[0] ?? '');
  const nested = header !== null && lines.slice(1).every((l) => l.trim() === '' || /^\s/.test(l));
  const base = nested ? (header[1] ?? 'snippet') : snippet.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^[^A-Za-z_]+/, '') || 'snippet';
  const keys = nested ? lines.slice(1) : lines;
  const indent = Math.min(...keys.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  const body = keys.map((l) => (l.trim() === '' ? '' : l.slice(Number.isFinite(indent) ? indent : 0)));
  if (!BLOCK_ID_PATTERN.test(base)) return { error: `The snippet '${snippet.name}' does not give a usable block id.` };
  return insertBlock(text, analysis, freeId(analysis, base), body);
}

/**
 * A block running another pipeline file: its id from the file's name, `with:` empty for the child's
 * variables. The path goes in as a YAML double-quoted string when it is more than plain path characters.
 */
function addSubPipeline(text: string, analysis: ValidationResult, path: string): Plan {
  if (!/\.ya?ml$/.test(path) || /[\r\n]/.test(path)) return { error: `'${path}' is not a pipeline file.` };
  const name = path.slice(path.lastIndexOf('/') + 1).replace(/(\.pipeline)?\.ya?ml$/, '');
  const base = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^[^a-z_]+/, '') || 'sub_pipeline';
  const value = /^[A-Za-z0-9._/-]+$/.test(path) ? path : JSON.stringify(path);
  return insertBlock(text, analysis, freeId(analysis, base), [`pipeline: ${value}`, 'with: {}']);
}

function duplicate(text: string, analysis: ValidationResult, source: Block): Plan {
  const entry = entryOf(analysis, source.id);
  if (entry === undefined || !onOwnLines(text, source)) return flowRefusal(source.id);
  const id = freeId(analysis, `${source.id}_copy`);
  const region = entryLines(text, entry, false);
  const nl = newlineOf(text);
  let copy = text.slice(region.start, region.end);
  const idAt = source.idSpan.start - region.start;
  copy = `${copy.slice(0, idAt)}${id}${copy.slice(source.idSpan.end - region.start)}`;
  if (!copy.endsWith('\n')) copy += nl;
  const lead = region.end > 0 && text[region.end - 1] !== '\n' ? nl : '';
  const spaced = blankBefore(text, entryLines(text, entry, true).start);
  return { edits: [{ span: { start: region.end, end: region.end }, newText: `${lead}${spaced ? nl : ''}${copy}` }], select: id };
}

function setDisabled(text: string, block: Block, disabled: boolean): Plan {
  const pair = block.keys.get('disabled');
  if (!onOwnLines(text, block)) return flowRefusal(block.id);
  if (pair !== undefined) {
    if (!disabled) return { edits: [{ span: entryLines(text, pair, false), newText: '' }] };
    return { edits: [{ span: pair.value?.span ?? { start: pair.span.end, end: pair.span.end }, newText: pair.value === undefined ? ' true' : 'true' }] };
  }
  if (!disabled) return { edits: [] };
  const first = block.keys.values().next().value;
  const nl = newlineOf(text);
  const line = `${' '.repeat(keyColumn(text, block))}disabled: true${nl}`;
  if (first === undefined) {
    const end = lineEndAfter(text, block.idSpan.end);
    return { edits: [{ span: { start: end, end }, newText: line }] };
  }
  const at = lineStart(text, first.key.span.start);
  return { edits: [{ span: { start: at, end: at }, newText: line }] };
}

function deleteBlock(text: string, analysis: ValidationResult, target: Block): Plan {
  const entry = entryOf(analysis, target.id);
  if (entry === undefined) return { error: `There is no block '${target.id}' in the file.` };
  if (analysis.pipeline.blocks.length === 1) return { error: 'A pipeline needs at least one block; this is the last one.' };
  const region = entryLines(text, entry, true);
  const after = blanksAfter(text, region.end);
  let span = region;
  if (after.end > after.start) span = { start: region.start, end: after.end };
  else if (after.end === text.length) span = { start: blanksBefore(text, region.start).start, end: after.end };
  const edits: TextEdit[] = [{ span, newText: '' }];
  for (const other of analysis.pipeline.blocks) {
    if (other.id === target.id) continue;
    const dep = other.dependsOn.find((d) => d.name === target.id);
    const pair = other.keys.get('depends_on');
    if (dep !== undefined && pair !== undefined) edits.push(removeDependency(text, other, pair, dep.span));
  }
  return { edits };
}

function setField(text: string, block: Block, field: BlockField, raw: string): Plan {
  if (!onOwnLines(text, block)) return flowRefusal(block.id);
  const value = field === 'run' ? raw.replace(/\r\n/g, '\n') : raw.trim();
  const nl = newlineOf(text);
  const [key, sub] = field.split('.') as [string, string | undefined];
  const pair = block.keys.get(key);
  const column = keyColumn(text, block);
  if (sub === undefined) {
    const encoded = encode(field, value, column, nl);
    const edit = pair === undefined ? insertKey(text, block, key, encoded, column, nl) : replaceValue(text, pair, encoded, value, nl);
    return { edits: edit === undefined ? [] : [edit] };
  }
  // cache.inputs / cache.outputs: a list under `cache:`.
  const list = value === '' ? '' : ` [${value.split(',').map((v) => v.trim()).filter((v) => v !== '').map(flowItem).join(', ')}]`;
  const cache = pair?.value;
  if (pair === undefined) {
    const edit = value === '' ? undefined : insertKey(text, block, 'cache', `${nl}${' '.repeat(column + 2)}${sub}:${list}`, column, nl);
    return { edits: edit === undefined ? [] : [edit] };
  }
  if (cache?.kind !== 'map' || cache.flow) return { error: `Block '${block.id}' has a cache written on one line; edit it in the text.` };
  const inner = cache.pairs.find((p) => p.key.value === sub);
  if (inner !== undefined) {
    if (value !== '') return { edits: [replaceValue(text, inner, list, value, nl)] };
    return { edits: [{ span: cache.pairs.length === 1 ? entryLines(text, pair, false) : entryLines(text, inner, false), newText: '' }] };
  }
  if (value === '') return { edits: [] };
  const last = cache.pairs[cache.pairs.length - 1];
  const at = last === undefined ? lineEndAfter(text, pair.span.end) : lineEndAfter(text, last.span.end);
  const innerColumn = last === undefined ? column + 2 : columnOf(text, last.key.span.start);
  return { edits: [{ span: { start: at, end: at }, newText: `${' '.repeat(innerColumn)}${sub}:${list}${nl}` }] };
}

function encode(field: BlockField, value: string, column: number, nl: string): string {
  if (value === '') return '';
  if (field === 'retry') return ` ${plainInteger(value) ?? JSON.stringify(value)}`;
  return yamlScalar(value, column, nl);
}

/** `key: value` as the block's last key; nothing for an empty value. */
function insertKey(text: string, block: Block, key: string, encoded: string, column: number, nl: string): TextEdit | undefined {
  if (encoded === '') return undefined;
  const keys = [...block.keys.values()];
  const last = keys[keys.length - 1];
  const at = last === undefined ? lineEndAfter(text, block.idSpan.end) : lineEndAfter(text, last.span.end);
  const lead = at > 0 && text[at - 1] !== '\n' ? nl : '';
  const body = `${' '.repeat(column)}${key}:${encoded}`;
  return { span: { start: at, end: at }, newText: `${lead}${body}${body.endsWith('\n') ? '' : nl}` };
}

/** Replaces a key's value; an empty value removes the key's lines. */
function replaceValue(text: string, pair: YPair, encoded: string, value: string, nl: string): TextEdit {
  if (value === '') return { span: entryLines(text, pair, false), newText: '' };
  const old = pair.value;
  if (old === undefined || (old.kind === 'scalar' && old.value === null && old.span.start === old.span.end)) {
    const colon = text.indexOf(':', pair.key.span.end) + 1;
    return { span: { start: colon, end: colon }, newText: encoded.endsWith('\n') ? encoded.slice(0, -nl.length) : encoded };
  }
  const colon = text.indexOf(':', pair.key.span.end) + 1;
  // A literal block's span ends after its last newline; the replacement keeps the line break.
  const oldEndsLine = text[old.span.end - 1] === '\n';
  if (!oldEndsLine && encoded.startsWith(' |')) {
    // One line becomes a literal block: a comment after the old value stays on the `|` line, where
    // YAML still reads it as a comment (after the body it would become part of the script).
    const end = lineEndAfter(text, old.span.end);
    const rest = text.slice(old.span.end, end).replace(/\r?\n$/, '');
    return { span: { start: colon, end }, newText: ` |${rest}${encoded.slice(2)}` };
  }
  let replacement = encoded;
  if (oldEndsLine && !replacement.endsWith('\n')) replacement += nl;
  if (!oldEndsLine && replacement.endsWith('\n')) replacement = replacement.slice(0, -nl.length);
  return { span: { start: colon, end: old.span.end }, newText: replacement };
}

/** Error messages the new text has that the old one did not. */
function newErrors(before: ValidationResult, after: ValidationResult): string[] {
  const old = new Set(before.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message));
  return after.diagnostics.filter((d) => d.severity === 'error' && !old.has(d.message)).map((d) => d.message);
}

/** A block's side-panel fields as text, read from the file (the text is the source of truth). */
export function blockFields(text: string, id: string, fileName?: string): Record<BlockField, string> | undefined {
  const block = validatePipeline(text, { fileName }).pipeline.blockById.get(id);
  if (block === undefined) return undefined;
  const raw = (key: string): string => {
    const v = block.keys.get(key)?.value;
    if (v === undefined) return '';
    if (v.kind === 'scalar') return v.value === null ? '' : String(v.value);
    return text.slice(v.span.start, v.span.end);
  };
  return {
    run: block.run?.value.replace(/\n$/, '') ?? '',
    shell: raw('shell'),
    cwd: block.cwd?.value ?? '',
    retry: raw('retry'),
    timeout: raw('timeout'),
    if: block.condition?.source.trim() ?? '',
    'cache.inputs': block.cache?.inputs.map((i) => i.value).join(', ') ?? '',
    'cache.outputs': block.cache?.outputs.map((i) => i.value).join(', ') ?? '',
    group: raw('group'),
  };
}
