import type { CodeAction, CompletionItem, CompletionList, DocumentHighlight, DocumentSymbol, FoldingRange, Hover, Location, MarkupContent, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyEdits, showRange, textOf, type Range, type TextEdit } from './fixture.ts';

/**
 * Renders LSP results as short lines of text for the fixtures: what a reviewer needs to judge
 * the result (labels, ranges with the text they cover, edits as a diff), and nothing volatile.
 */

const COMPLETION_KINDS: Record<number, string> = { 5: 'field', 6: 'variable', 9: 'module', 10: 'property', 14: 'keyword', 15: 'snippet', 20: 'enum-member', 21: 'constant' };

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? '';
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}

export function renderCompletion(text: string, result: CompletionList | CompletionItem[] | null): string[] {
  if (result === null) return ['(no completion)'];
  const items = Array.isArray(result) ? result : result.items;
  if (items.length === 0) return ['(empty list)'];
  const ranges = new Set(items.map((i) => (i.textEdit !== undefined && 'range' in i.textEdit ? `${showRange(i.textEdit.range)} ${textOf(text, i.textEdit.range)}` : '(no range)')));
  const lines = [`replaces ${[...ranges].join(' | ')}`];
  const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  for (const item of sorted) {
    const kind = COMPLETION_KINDS[item.kind ?? 0] ?? String(item.kind);
    const newText = item.textEdit?.newText ?? item.insertText ?? item.label;
    const parts = [`${item.label} [${kind}]`];
    if (item.detail !== undefined) parts.push(`detail: ${item.detail}`);
    if (newText !== item.label) parts.push(`inserts${item.insertTextFormat === 2 ? ' snippet' : ''}: ${JSON.stringify(newText)}`);
    if (item.command !== undefined) parts.push('then suggests again');
    lines.push(parts.join(' | '));
    const doc = item.documentation;
    if (doc !== undefined) lines.push(`    doc: ${firstLine(typeof doc === 'string' ? doc : doc.value)}`);
  }
  return lines;
}

/** Schedule times move with the clock: the hover test checks them, the fixture shows their shape. */
export const NEXT_RUN = /^- (Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})$/;

export function renderHover(text: string, hover: Hover | null): string[] {
  if (hover === null) return ['(no hover)'];
  const contents = hover.contents as MarkupContent;
  const lines = [`range ${hover.range === undefined ? '(none)' : `${showRange(hover.range)} ${textOf(text, hover.range)}`} (${contents.kind})`];
  for (const line of contents.value.split('\n')) lines.push(`  ${line.replace(NEXT_RUN, '- <weekday> <date> $3')}`);
  return lines;
}

export function renderLocations(text: string, locations: Location[] | null): string[] {
  if (locations === null || locations.length === 0) return ['(none)'];
  return locations.map((l) => `${showRange(l.range)} ${textOf(text, l.range)}`);
}

export function renderHighlights(text: string, highlights: DocumentHighlight[] | null): string[] {
  if (highlights === null || highlights.length === 0) return ['(none)'];
  return highlights.map((h) => `${showRange(h.range)} ${textOf(text, h.range)} ${h.kind === 3 ? 'write' : h.kind === 2 ? 'read' : 'text'}`);
}

/** The changed lines of an edit, as `-`/`+` lines between the unchanged start and end. */
export function renderDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const lines = [`  @ line ${head + 1}`];
  for (const line of a.slice(head, a.length - tail)) lines.push(`  -${line}`);
  for (const line of b.slice(head, b.length - tail)) lines.push(`  +${line}`);
  return lines;
}

export function renderWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit | null): string[] {
  if (edit === null) return ['(no edit)'];
  const edits: TextEdit[] = edit.changes?.[uri] ?? [];
  const lines = edits.map((e) => `${showRange(e.range)} ${textOf(text, e.range)} → ${JSON.stringify(e.newText)}`);
  return edits.length === 0 ? ['(no change)'] : lines;
}

export function renderCodeActions(text: string, uri: string, actions: CodeAction[] | null): string[] {
  if (actions === null || actions.length === 0) return ['(no code action)'];
  const lines: string[] = [];
  for (const action of actions) {
    const codes = (action.diagnostics ?? []).map((d) => String(d.code)).join(', ');
    lines.push(`${action.title} [${action.kind ?? 'no kind'}${action.isPreferred === true ? ', preferred' : ''}] fixes ${codes}`);
    lines.push(...renderDiff(text, applyEdits(text, action.edit?.changes?.[uri] ?? [])));
  }
  return lines;
}

const SYMBOL_KINDS: Record<number, string> = { 3: 'namespace', 7: 'property', 12: 'function', 13: 'variable', 14: 'constant', 20: 'key' };

export function renderSymbols(text: string, symbols: DocumentSymbol[] | null, depth = 0): string[] {
  if (symbols === null) return ['(none)'];
  const lines: string[] = [];
  for (const s of symbols) {
    const selection: Range = s.selectionRange;
    const detail = s.detail === undefined ? '' : ` — ${s.detail}`;
    lines.push(`${'  '.repeat(depth)}${s.name} [${SYMBOL_KINDS[s.kind] ?? s.kind}]${detail} @ ${showRange(s.range)} select ${textOf(text, selection)}`);
    lines.push(...renderSymbols(text, s.children ?? [], depth + 1));
  }
  return lines;
}

export function renderFolding(text: string, ranges: FoldingRange[] | null): string[] {
  if (ranges === null || ranges.length === 0) return ['(none)'];
  const lines = text.split('\n');
  return ranges.map((r) => `${r.startLine + 1}-${r.endLine + 1}${r.kind === undefined ? '' : ` ${r.kind}`}: ${(lines[r.startLine] ?? '').trim()}`);
}
