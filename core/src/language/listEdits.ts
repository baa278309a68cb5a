import type { Span } from '../model/diagnostic.ts';
import type { YNode, YPair } from '../yaml/ast.ts';
import type { TextEdit } from './types.ts';

/**
 * Text edits on the lists a pipeline holds (`depends_on`, `outputs`), in whichever of the three
 * spellings the user chose: `key: a`, `key: [a, b]`, or one `- a` per line. Each keeps the
 * spelling and indentation already there.
 */

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

function afterColon(text: string, pair: YPair): number {
  const colon = text.indexOf(':', pair.key.span.end);
  return colon === -1 ? pair.key.span.end : colon + 1;
}

function isEmpty(node: YNode | undefined): boolean {
  return node === undefined || (node.kind === 'scalar' && node.value === null);
}

/** Adds `item` at the end of the list that `pair` holds. Undefined when the value is a mapping. */
export function appendToList(text: string, pair: YPair, item: string): TextEdit | undefined {
  const value = pair.value;
  if (value === undefined || isEmpty(value)) {
    const at = afterColon(text, pair);
    return { span: { start: at, end: value === undefined ? at : Math.max(at, value.span.end) }, newText: ` [${item}]` };
  }
  if (value.kind === 'scalar') return { span: value.span, newText: `[${text.slice(value.span.start, value.span.end)}, ${item}]` };
  if (value.kind === 'map') return undefined;
  const last = value.items[value.items.length - 1];
  if (value.flow) {
    if (last === undefined) return { span: { start: value.span.start + 1, end: value.span.end - 1 }, newText: item };
    return { span: { start: last.span.end, end: last.span.end }, newText: `, ${item}` };
  }
  if (last === undefined) return undefined;
  const lineStart = lineStartOf(text, last.span.start);
  const dash = text.slice(lineStart, last.span.start).indexOf('-');
  return { span: { start: last.span.end, end: last.span.end }, newText: `\n${' '.repeat(Math.max(0, dash))}- ${item}` };
}

/** Removes the entry at `entry` from the list that `pair` holds; an emptied list becomes `[]`. */
export function removeFromList(text: string, pair: YPair, entry: Span): TextEdit | undefined {
  const value = pair.value;
  if (value === undefined) return undefined;
  if (value.kind === 'scalar') return { span: value.span, newText: '[]' };
  if (value.kind === 'map') return undefined;
  const index = value.items.findIndex((item) => item.span.start === entry.start && item.span.end === entry.end);
  const item = value.items[index];
  if (item === undefined) return undefined;
  if (value.flow) {
    if (value.items.length === 1) return { span: { start: value.span.start + 1, end: value.span.end - 1 }, newText: '' };
    const previous = value.items[index - 1];
    const next = value.items[index + 1];
    if (previous !== undefined) return { span: { start: previous.span.end, end: item.span.end }, newText: '' };
    return { span: { start: item.span.start, end: next?.span.start ?? item.span.end }, newText: '' };
  }
  if (value.items.length === 1) return { span: { start: afterColon(text, pair), end: item.span.end }, newText: ' []' };
  return { span: { start: lineStartOf(text, item.span.start), end: nextLineStart(text, item.span.end) }, newText: '' };
}

/** The column where the first key of a block mapping sits, from the text. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** Inserts whole lines before the line that holds `offset`. */
export function insertLinesBefore(text: string, offset: number, lines: string[]): TextEdit {
  const at = lineStartOf(text, offset);
  return { span: { start: at, end: at }, newText: lines.map((l) => `${l}\n`).join('') };
}
