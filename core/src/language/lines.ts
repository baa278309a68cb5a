/**
 * Cheap line-shape reading for features that run on the text being typed, which may not parse
 * yet: completion reads the few lines around the cursor instead of re-validating the document.
 */

export interface LineBounds {
  start: number;
  /** Before the line break (`\r\n` or `\n`). */
  end: number;
  /** Start of the next line, or the text length. */
  next: number;
}

export function lineAt(text: string, offset: number): LineBounds {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  // A byte order mark is not part of the first line's content: `blocks:` after it is a key at column 0.
  if (start === 0 && text.charCodeAt(0) === 0xfeff) start = 1;
  const newline = text.indexOf('\n', offset);
  const next = newline === -1 ? text.length : newline + 1;
  let end = newline === -1 ? text.length : newline;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return { start, end, next };
}

/** The line before the one starting at `lineStart`, or undefined at the first line. */
export function previousLine(text: string, lineStart: number): LineBounds | undefined {
  if (lineStart <= 0 || (lineStart === 1 && text.charCodeAt(0) === 0xfeff)) return undefined;
  return lineAt(text, lineStart - 1);
}

/** The line after `line`, or undefined at the last line. */
export function nextLine(text: string, line: LineBounds): LineBounds | undefined {
  return line.next >= text.length ? undefined : lineAt(text, line.next);
}

/** Leading spaces, counting at most `limit` of them (enough to compare with a column). */
export function indentOf(text: string, line: LineBounds, limit = Number.POSITIVE_INFINITY): number {
  let i = line.start;
  while (i < line.end && text.charCodeAt(i) === 32 && i - line.start < limit) i++;
  return i - line.start;
}

export interface LineShape {
  indent: number;
  /** Offset where content starts after the indentation and any `- ` list markers. */
  contentStart: number;
  /** The line is a list item (`- …`). */
  dash: boolean;
  /** Nothing but spaces. */
  blank: boolean;
  /** A comment line. */
  comment: boolean;
  /** A `key:` on this line. */
  key: { name: string; start: number; end: number; colon: number } | undefined;
  /** Offset of the value after `key: `, when there is a key. */
  valueStart: number;
}

// A key: quoted, or plain up to the first `: ` (or `:` at the end of the line).
const KEY = /^(?:'((?:[^']|'')*)'|"((?:[^"\\]|\\.)*)"|([^\s#'"[\]{},|>][^#]*?))[ \t]*:(?=[ \t]|$)/;

export function shapeOf(text: string, line: LineBounds): LineShape {
  const content = text.slice(line.start, line.end);
  let i = 0;
  while (content.charCodeAt(i) === 32) i++;
  const indent = i;
  let dash = false;
  while (content[i] === '-' && (content[i + 1] === ' ' || i + 1 === content.length)) {
    dash = true;
    i += 1;
    while (content.charCodeAt(i) === 32) i++;
  }
  const contentStart = line.start + i;
  const rest = content.slice(i);
  const shape: LineShape = {
    indent, contentStart, dash, blank: rest.trim() === '' && !dash, comment: rest.startsWith('#'), key: undefined, valueStart: line.end,
  };
  if (shape.blank || shape.comment) return shape;
  const m = KEY.exec(rest);
  if (m) {
    const name = m[1] !== undefined ? m[1].replaceAll("''", "'") : m[2] ?? (m[3] ?? '').trimEnd();
    const keyEnd = contentStart + (m[1] !== undefined || m[2] !== undefined ? (m[1] ?? m[2] ?? '').length + 2 : (m[3] ?? '').trimEnd().length);
    const colon = contentStart + m[0].length - 1;
    let v = colon + 1;
    while (v < line.end && (text.charCodeAt(v) === 32 || text.charCodeAt(v) === 9)) v++;
    shape.key = { name, start: contentStart, end: keyEnd, colon };
    shape.valueStart = v;
  }
  return shape;
}

/** The value written after `key:` on a line, without a trailing comment and anchors or tags. */
export function inlineValue(text: string, shape: LineShape, line: LineBounds): string {
  if (shape.key === undefined) return '';
  let value = text.slice(shape.valueStart, line.end);
  value = value.replace(/^(?:[&!]\S*\s*)+/, '');
  if (value.startsWith('#')) return '';
  return value.replace(/\s+#.*$/, '').trimEnd();
}

const WORD = /[A-Za-z0-9_-]/;

/** The identifier-like word around `offset` (letters, digits, `_`, `-`), maybe empty. */
export function wordAround(text: string, offset: number, lineStart: number, lineEnd: number, extra?: RegExp): { start: number; end: number } {
  const isWord = (c: string | undefined): boolean => c !== undefined && (WORD.test(c) || (extra?.test(c) ?? false));
  let start = offset;
  while (start > lineStart && isWord(text[start - 1])) start--;
  let end = offset;
  while (end < lineEnd && isWord(text[end])) end++;
  return { start, end };
}
