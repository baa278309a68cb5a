import * as l10n from '@vscode/l10n';
import type { Diagnostic, Span } from '../model/diagnostic.ts';
import type { Block, Pipeline } from '../model/pipeline.ts';
import { BLOCK_ID_PATTERN } from '../model/schema.ts';
import type { DocumentAnalysis } from './analysis.ts';
import { appendToList, columnOf, insertLinesBefore, removeFromList } from './listEdits.ts';
import { symbolAt, symbolIndex } from './symbols.ts';
import type { TextEdit } from './types.ts';

export interface QuickFix {
  title: string;
  /** The diagnostic it fixes. */
  diagnostic: Diagnostic;
  edits: TextEdit[];
  /** The fix an editor may apply without asking (the did-you-mean). */
  preferred?: boolean;
}

/**
 * Fixes for the diagnostics that touch `span`: take the did-you-mean, create the block a
 * `depends_on` names, drop a self or duplicate dependency, declare an output that is read but
 * not declared, and add a block that is read but not upstream to `depends_on`.
 */
export function quickFixes(analysis: DocumentAnalysis, span: Span): QuickFix[] {
  const fixes: QuickFix[] = [];
  for (const d of analysis.result.diagnostics) {
    if (d.span.start > span.end || d.span.end < span.start) continue;
    const add = (title: string, edits: (TextEdit | undefined)[], preferred = false): void => {
      const defined = edits.filter((e): e is TextEdit => e !== undefined);
      if (defined.length > 0) fixes.push({ title, diagnostic: d, edits: defined, ...(preferred ? { preferred } : {}) });
    };
    // not-upstream carries the block to add to depends_on, not a replacement for its span.
    if (d.suggestion !== undefined && d.code !== 'not-upstream') add(l10n.t('Change to \'{0}\'', d.suggestion), [{ span: d.span, newText: d.suggestion }], true);
    switch (d.code) {
      case 'unknown-dependency': {
        const name = symbolAt(symbolIndex(analysis), d.span.start)?.name;
        const dependent = blockAt(analysis.result.pipeline, d.span.start);
        if (name !== undefined && dependent !== undefined && BLOCK_ID_PATTERN.test(name)) add(l10n.t('Create block \'{0}\'', name), [createBlock(analysis.text, dependent, name)]);
        break;
      }
      case 'self-dependency':
      case 'duplicate-dependency': {
        const block = blockAt(analysis.result.pipeline, d.span.start);
        const pair = block?.keys.get('depends_on');
        if (pair !== undefined) add(d.code === 'self-dependency' ? l10n.t('Remove the dependency on itself') : l10n.t('Remove the duplicate dependency'), [removeFromList(analysis.text, pair, d.span)]);
        break;
      }
      case 'unknown-output': {
        const symbol = symbolAt(symbolIndex(analysis), d.span.start);
        if (symbol?.kind !== 'output') break;
        const dot = symbol.name.indexOf('.');
        const target = analysis.result.pipeline.blockById.get(symbol.name.slice(0, dot));
        const output = symbol.name.slice(dot + 1);
        const pair = target?.keys.get('outputs');
        if (target !== undefined && pair !== undefined) add(l10n.t('Declare output \'{0}\' in block \'{1}\'', output, target.id), [appendToList(analysis.text, pair, output)]);
        break;
      }
      case 'not-upstream': {
        const needed = symbolAt(symbolIndex(analysis), d.span.start);
        const block = blockAt(analysis.result.pipeline, d.span.start);
        if (needed?.kind !== 'block' || block === undefined || needed.name === block.id) break;
        // Depending on a block that already depends on this one would close a cycle.
        if (!analysis.result.pipeline.blockById.has(needed.name) || analysis.result.dag.needs(needed.name, block.id)) break;
        add(l10n.t('Add \'{0}\' to depends_on of \'{1}\'', needed.name, block.id), [addDependency(analysis.text, block, needed.name)]);
        break;
      }
      default:
        break;
    }
  }
  return fixes;
}

/** The block whose entry holds `offset`; blocks are in file order, so a binary search. */
function blockAt(pipeline: Pipeline, offset: number): Block | undefined {
  const blocks = pipeline.blocks;
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const block = blocks[mid];
    if (block === undefined) return undefined;
    if (offset < block.span.start) hi = mid - 1;
    else if (offset > block.span.end) lo = mid + 1;
    else return block;
  }
  return undefined;
}

/** The indentation one level inside `block`, as the block itself is written. */
function innerIndent(text: string, block: Block): string {
  const first = block.keys.values().next().value;
  const column = columnOf(text, block.idSpan.start);
  const inner = first === undefined || !onLaterLine(text, block.idSpan.start, first.key.span.start) ? column + 2 : columnOf(text, first.key.span.start);
  return ' '.repeat(inner > column ? inner : column + 2);
}

function onLaterLine(text: string, from: number, offset: number): boolean {
  return text.lastIndexOf('\n', offset) >= from;
}

/**
 * A new block just before the one that needs it, so the file still reads upstream first. Its
 * placeholder script has no `: `, which would make the plain YAML scalar a syntax error.
 */
function createBlock(text: string, dependent: Block, name: string): TextEdit {
  const indent = ' '.repeat(columnOf(text, dependent.idSpan.start));
  const lines = [`${indent}${name}:`, `${innerIndent(text, dependent)}run: echo "TODO write the ${name} block"`];
  const lineStart = text.lastIndexOf('\n', dependent.idSpan.start - 1) + 1;
  const previousBlank = lineStart >= 2 && /\n[ \t]*\r?\n$/.test(text.slice(Math.max(0, lineStart - 200), lineStart));
  if (previousBlank) lines.push('');
  return insertLinesBefore(text, dependent.idSpan.start, lines);
}

function addDependency(text: string, block: Block, id: string): TextEdit | undefined {
  const pair = block.keys.get('depends_on');
  if (pair !== undefined) return appendToList(text, pair, id);
  const first = block.keys.values().next().value;
  // A block written as one `{ … }` line has no line to add; its author can add the key there.
  if (first === undefined || !onLaterLine(text, block.idSpan.start, first.key.span.start)) return undefined;
  return insertLinesBefore(text, first.key.span.start, [`${innerIndent(text, block)}depends_on: [${id}]`]);
}
