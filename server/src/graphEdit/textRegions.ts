import type { Span, TextEdit, YMap, YPair } from '../../../core/src/index.ts';

/** Line arithmetic for whole-line edits that keep everything around them byte for byte. */

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The start of the line after the one holding `offset - 1`: a span ending just after a newline stays put. */
export function lineEndAfter(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const newline = text.indexOf('\n', end);
  return newline === -1 ? text.length : newline + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

export function newlineOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** The lines of the line starting at `start` (without its newline). */
function lineAt(text: string, start: number): string {
  const newline = text.indexOf('\n', start);
  return text.slice(start, newline === -1 ? text.length : newline).replace(/\r$/, '');
}

/** The start of the line before the one starting at `start`, or undefined at the top. */
function previousLine(text: string, start: number): number | undefined {
  return start === 0 ? undefined : lineStart(text, start - 1);
}

/**
 * The whole lines a mapping entry occupies: its comment lines directly above it (same column, no
 * blank line between) through the end of its value's last line.
 */
export function entryLines(text: string, pair: YPair, withComments: boolean): Span {
  let start = lineStart(text, pair.key.span.start);
  const column = pair.key.span.start - start;
  if (withComments) {
    for (let previous = previousLine(text, start); previous !== undefined; previous = previousLine(text, previous)) {
      const line = lineAt(text, previous);
      if (!line.trimStart().startsWith('#') || line.length - line.trimStart().length !== column) break;
      start = previous;
    }
  }
  return { start, end: lineEndAfter(text, pair.span.end) };
}

/** Whether the entry before `start` is separated from it by a blank line (the file's spacing between blocks). */
export function blankBefore(text: string, start: number): boolean {
  const previous = previousLine(text, start);
  return previous !== undefined && isBlank(lineAt(text, previous));
}

/** Blank lines directly after `end` (a line start), as a span. */
export function blanksAfter(text: string, end: number): Span {
  let at = end;
  while (at < text.length) {
    const newline = text.indexOf('\n', at);
    const lineEnd = newline === -1 ? text.length : newline;
    if (!isBlank(text.slice(at, lineEnd))) break;
    at = newline === -1 ? text.length : newline + 1;
  }
  return { start: end, end: at };
}

/** Blank lines directly before `start` (a line start), as a span. */
export function blanksBefore(text: string, start: number): Span {
  let at = start;
  for (let previous = previousLine(text, at); previous !== undefined && isBlank(lineAt(text, previous)); previous = previousLine(text, previous)) at = previous;
  return { start: at, end: start };
}

/** Whether a block-style mapping's entries sit on their own lines (not `{ … }` or `key: {…}`). */
export function isBlockMap(map: YMap | undefined): map is YMap {
  return map !== undefined && !map.flow;
}

/** Deletes whole lines. */
export function deleteLines(span: Span): TextEdit {
  return { span, newText: '' };
}

/** Applies non-overlapping edits (any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.span.start) + edit.newText + out.slice(edit.span.end);
  return out;
}
