import { readFileSync, writeFileSync } from 'node:fs';

/**
 * A protocol fixture: a pipeline with a cursor marker, then the expected result of one request
 * at the cursor, rendered as text so that a reviewer reads it next to the pipeline:
 *
 *   # request: {"newName": "load"}      optional: extra parameters of the request
 *   # cursor-marker: @                  optional: when the pipeline itself needs `|` (run: |)
 *   blocks:
 *     a:
 *       run: echo ${{ vars.| }}
 *   #---- expected ----
 *   # <one line of the rendered result per line>
 *
 * UPDATE_GOLDEN=1 rewrites the expected part from the actual result; review the diff.
 */
export const EXPECTED_MARKER = '#---- expected ----';

export interface Fixture {
  path: string;
  /** The pipeline text without the cursor marker. */
  text: string;
  /** Where the marker was; -1 when the fixture has none (symbols, folding). */
  offset: number;
  request: Record<string, unknown>;
  expected: string[];
}

export function readFixture(path: string): Fixture {
  const raw = readFileSync(path, 'utf8');
  const at = raw.indexOf(EXPECTED_MARKER);
  const source = at === -1 ? raw : raw.slice(0, at);
  const expected = at === -1 ? [] : raw.slice(at + EXPECTED_MARKER.length).split('\n').map((l) => l.replace(/^# ?/, '').trimEnd());
  while (expected.length > 0 && expected[expected.length - 1] === '') expected.pop();
  if (expected[0] === '') expected.shift();
  const markerLine = /^# cursor-marker: (\S+)$/m.exec(source);
  const marker = markerLine?.[1] ?? '|';
  const requestJson = /^# request: (\{.*\})$/m.exec(source)?.[1];
  const request = requestJson === undefined ? {} : (JSON.parse(requestJson) as Record<string, unknown>);
  // The marker is looked for after the line that names it.
  const from = markerLine === null ? 0 : markerLine.index + markerLine[0].length;
  const offset = source.indexOf(marker, from);
  if (offset !== -1 && source.indexOf(marker, offset + 1) !== -1) throw new Error(`${path}: more than one cursor marker '${marker}'; set another with # cursor-marker:`);
  const text = offset === -1 ? source : source.slice(0, offset) + source.slice(offset + marker.length);
  return { path, text, offset, request, expected };
}

/** With UPDATE_GOLDEN=1, writes `actual` as the fixture's expectation. */
export function updateFixture(fixture: Fixture, actual: string[]): void {
  if (process.env['UPDATE_GOLDEN'] !== '1') return;
  const raw = readFileSync(fixture.path, 'utf8');
  const at = raw.indexOf(EXPECTED_MARKER);
  const source = at === -1 ? raw : raw.slice(0, at);
  const body = actual.map((l) => `# ${l}`.trimEnd()).join('\n');
  writeFileSync(fixture.path, `${source.endsWith('\n') ? source : `${source}\n`}${EXPECTED_MARKER}\n${body}${body ? '\n' : ''}`);
}

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** LSP positions count UTF-16 code units, as JavaScript strings do. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length - 1, character: offset - lineStart };
}

export function offsetAt(text: string, position: Position): number {
  let at = 0;
  for (let line = 0; line < position.line; line++) {
    const newline = text.indexOf('\n', at);
    if (newline === -1) return text.length;
    at = newline + 1;
  }
  return Math.min(text.length, at + position.character);
}

/** `3:5-3:9`, one-based like compiler messages and the golden diagnostics. */
export function showRange(range: Range): string {
  return `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1}`;
}

/** The text a range covers, on one line. */
export function textOf(text: string, range: Range): string {
  return JSON.stringify(text.slice(offsetAt(text, range.start), offsetAt(text, range.end)));
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** Applies LSP edits (non-overlapping, any order) to `text`. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits.map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
