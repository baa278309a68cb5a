import type { Span } from '../model/diagnostic.ts';
import { indentOf, inlineValue, lineAt, previousLine, shapeOf, wordAround, type LineBounds } from './lines.ts';

/**
 * Where the cursor is in the YAML structure, read from the current text alone: the document may
 * not parse while it is being typed, and completion must answer in a few milliseconds even in a
 * 3,000-block file, so it reads lines around the cursor instead of re-validating.
 */
export interface CursorContext {
  /**
   * For `key`: the keys of the mapping the cursor types a key of (`['blocks', 'build']`).
   * For `value` and `text`: the keys down to the key whose value holds the cursor.
   */
  path: string[];
  /** `key`: a key of a mapping; `value`: a one-line value or a list item; `text`: inside a multi-line string. */
  kind: 'key' | 'value' | 'text';
  /** The word under the cursor that a completion replaces. */
  word: Span;
  /** The value is a list item (`- x`, or inside `[ ]`). */
  inList: boolean;
  /** Column of the keys of the mapping (for `key`); -1 inside a `{ }` flow mapping. */
  column: number;
  line: LineBounds;
}

interface Ancestor {
  name: string;
  /** What follows `name:` on its line: empty when the value is on the following lines. */
  value: string;
}

const VALUE_WORD = /[@.]/;

export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const line = lineAt(text, offset);
  const shape = shapeOf(text, line);
  const column = offset - line.start;
  const base = (kind: CursorContext['kind'], word: Span, col: number): CursorContext => ({ path: [], kind, word, inList: false, column: col, line });
  if (shape.blank) {
    // A new key at the cursor's column.
    return resolve(walkUp(text, line.start, column, false), [], base('key', { start: offset, end: offset }, column));
  }
  if (shape.comment || offset < shape.contentStart) return undefined;
  const key = shape.key;
  if (key !== undefined) {
    const keyColumn = key.start - line.start;
    const owners = walkUp(text, line.start, shape.dash ? shape.indent : keyColumn, shape.dash);
    if (offset <= key.colon) {
      const word = offset <= key.end ? { start: key.start, end: key.end } : { start: offset, end: offset };
      return resolve(owners, [], base('key', word, keyColumn));
    }
    return resolve(owners, [key.name], valueContext(text, offset, shape.valueStart, line, keyColumn));
  }
  const word = wordAround(text, offset, line.start, line.end, VALUE_WORD);
  if (shape.dash) {
    const owners = walkUp(text, line.start, shape.indent, true);
    return resolve(owners, [], { ...base('value', word, shape.indent), inList: true });
  }
  // A word at some indentation: a key being typed, unless it continues a multi-line string.
  const keyWord = wordAround(text, offset, line.start, line.end);
  return resolve(walkUp(text, line.start, shape.indent, false), [], base('key', keyWord, shape.indent));
}

/** The context of a cursor after `key:` on the same line: a plain value, a `[ ]` list or a `{ }` mapping. */
function valueContext(text: string, offset: number, valueStart: number, line: LineBounds, keyColumn: number): CursorContext {
  const before = text.slice(valueStart, offset).replace(/^(?:[&!]\S*\s+)+/, '');
  const word = wordAround(text, offset, line.start, line.end, VALUE_WORD);
  const context: CursorContext = { path: [], kind: 'value', word, inList: false, column: keyColumn, line };
  if (/^[|>]/.test(before)) return { ...context, kind: 'text' };
  if (before.startsWith('[')) return { ...context, inList: openBrackets(before) > 0 };
  if (before.startsWith('{') && openBrackets(before) > 0) {
    // Inside `{ a: 1, b| }`: after the last `{` or `,`, a `:` means a value, else a key.
    const entry = before.slice(Math.max(before.lastIndexOf('{'), before.lastIndexOf(',')) + 1);
    const colon = entry.indexOf(':');
    if (colon === -1) return { ...context, kind: 'key', column: -1, word: wordAround(text, offset, line.start, line.end) };
    return { ...context, path: [entry.slice(0, colon).trim()] };
  }
  return context;
}

/** `[`/`{` minus `]`/`}`, outside quotes. */
function openBrackets(s: string): number {
  let depth = 0;
  let quote = '';
  for (const c of s) {
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth;
}

/**
 * The keys holding a line at `column`, from the nearest one up to a top-level key. A list item
 * (`- x`) may sit at the same column as the key that holds the list.
 */
function walkUp(text: string, lineStart: number, column: number, listItem: boolean): Ancestor[] {
  const found: Ancestor[] = [];
  let col = column;
  let sameColumnParent = listItem;
  let line = previousLine(text, lineStart);
  while (line !== undefined && (col > 0 || sameColumnParent)) {
    // Most lines are deeper than the column we look for; count only as many spaces as needed.
    const indent = indentOf(text, line, col + 1);
    if (indent < col || (sameColumnParent && indent === col)) {
      const shape = shapeOf(text, line);
      if (!shape.blank && !shape.comment) {
        const sibling = indent === col; // only reachable with sameColumnParent
        if (shape.key !== undefined && !(sibling && shape.dash)) {
          found.push({ name: shape.key.name, value: inlineValue(text, shape, line) });
          col = indent;
          sameColumnParent = shape.dash;
        } else if (!sibling) {
          col = indent;
          sameColumnParent = shape.dash;
        }
      }
    }
    line = previousLine(text, line.start);
  }
  return found.reverse();
}

/**
 * Applies what the ancestors say: the outermost one with a value on its own line holds the cursor
 * in that value (a block scalar, a continued plain string, or a multi-line `[ ]` list).
 */
function resolve(ancestors: Ancestor[], own: string[], context: CursorContext): CursorContext {
  for (let i = 0; i < ancestors.length; i++) {
    const value = ancestors[i]?.value ?? '';
    if (value === '') continue;
    const path = ancestors.slice(0, i + 1).map((a) => a.name);
    if (value.startsWith('[') && openBrackets(value) > 0) return { ...context, path, kind: 'value', inList: true };
    return { ...context, path, kind: 'text', inList: false };
  }
  return { ...context, path: [...ancestors.map((a) => a.name), ...own, ...context.path] };
}
