import * as l10n from '@vscode/l10n';
import type { RefExpr, Segment, Span } from './ast.ts';
import { didYouMean } from '../util/didYouMean.ts';

// Exported for completion in the language server; the order is the one shown to users.
export const REFERENCE_ROOTS = ['vars', 'env', 'blocks', 'pipeline', 'run', 'item'] as const;
export const PIPELINE_MEMBERS = ['name'] as const;
export const RUN_MEMBERS = ['id'] as const;
export const BLOCK_MEMBERS = ['outputs', 'status'] as const;
/** `item` alone is the item's value; these are its other members (in a `foreach` block). */
export const ITEM_MEMBERS = ['index', 'name'] as const;

export type ReferenceRoot = (typeof REFERENCE_ROOTS)[number];

export type ClassifiedReference =
  | { kind: 'var'; name: string; nameSpan: Span }
  | { kind: 'env'; name: string; nameSpan: Span }
  | { kind: 'blockOutput'; block: string; blockSpan: Span; output: string; outputSpan: Span }
  | { kind: 'blockStatus'; block: string; blockSpan: Span }
  | { kind: 'pipeline'; member: 'name'; span: Span }
  | { kind: 'run'; member: 'id'; span: Span }
  /** The current item of a `foreach` block: its value, its index (from 0), or its file name. */
  | { kind: 'item'; member: 'value' | 'index' | 'name'; span: Span }
  | { kind: 'invalid'; message: string; start: number; end: number };

export type ValidReference = Exclude<ClassifiedReference, { kind: 'invalid' }>;

/** `a, b or c`, as messages list the valid choices. */
function choices(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

function suggest(word: string, candidates: readonly string[]): string {
  const s = didYouMean(word, candidates);
  return s === undefined ? '' : l10n.t(' Did you mean \'{0}\'?', s);
}

function span(s: Span): Span {
  return { start: s.start, end: s.end };
}

/**
 * Tells what a dotted reference points at, or precisely why it points at nothing. The span of an
 * invalid reference covers the offending segments, or the whole reference when one is missing.
 */
export function classifyReference(ref: RefExpr): ClassifiedReference {
  const segments = ref.segments;
  const [root, second, third, fourth] = segments;
  const last: Segment | undefined = segments[segments.length - 1];
  const invalid = (message: string, from: Span = ref, to: Span = ref): ClassifiedReference => ({ kind: 'invalid', message, start: from.start, end: to.end });
  /** Everything from `extra` on is one segment too many. */
  const tooLong = (prefix: string, extra: Segment): ClassifiedReference =>
    invalid(`'${prefix}' is a value and has no members; remove '.${segments.slice(segments.indexOf(extra)).map((s) => s.name).join('.')}'.`, extra, last ?? extra);
  if (root === undefined) return invalid('Empty reference.');
  switch (root.name) {
    case 'vars':
    case 'env': {
      const noun = root.name === 'vars' ? 'a variable name' : 'an environment variable name';
      if (second === undefined) return invalid(`'${root.name}' needs ${noun}: ${root.name}.NAME.`);
      if (third !== undefined) return tooLong(`${root.name}.${second.name}`, third);
      return root.name === 'vars' ? { kind: 'var', name: second.name, nameSpan: span(second) } : { kind: 'env', name: second.name, nameSpan: span(second) };
    }
    case 'blocks': {
      if (second === undefined) return invalid("'blocks' needs a block id: blocks.ID.outputs.NAME or blocks.ID.status.");
      const id = second.name;
      if (third === undefined) return invalid(`Expected blocks.${id}.outputs.NAME or blocks.${id}.status.`);
      if (third.name === 'status') {
        if (fourth !== undefined) return tooLong(`blocks.${id}.status`, fourth);
        return { kind: 'blockStatus', block: id, blockSpan: span(second) };
      }
      if (third.name !== 'outputs') {
        return invalid(`Unknown member '${third.name}' of a block; expected ${choices(BLOCK_MEMBERS.map((m) => `'${m}'`))}.${suggest(third.name, BLOCK_MEMBERS)}`, third, third);
      }
      if (fourth === undefined) return invalid(`'blocks.${id}.outputs' needs an output name: blocks.${id}.outputs.NAME.`);
      const fifth = segments[4];
      if (fifth !== undefined) return tooLong(`blocks.${id}.outputs.${fourth.name}`, fifth);
      return { kind: 'blockOutput', block: id, blockSpan: span(second), output: fourth.name, outputSpan: span(fourth) };
    }
    case 'pipeline':
    case 'run': {
      const members: readonly string[] = root.name === 'pipeline' ? PIPELINE_MEMBERS : RUN_MEMBERS;
      const valid = choices(members.map((m) => `${root.name}.${m}`));
      if (second === undefined) return invalid(`'${root.name}' needs a member: ${valid}.`);
      if (!members.includes(second.name)) return invalid(`'${second.name}' is not a member of '${root.name}'; use ${valid}.${suggest(second.name, members)}`, second, second);
      if (third !== undefined) return tooLong(`${root.name}.${second.name}`, third);
      return root.name === 'pipeline' ? { kind: 'pipeline', member: 'name', span: span(ref) } : { kind: 'run', member: 'id', span: span(ref) };
    }
    case 'item': {
      if (second === undefined) return { kind: 'item', member: 'value', span: span(ref) };
      if (!(ITEM_MEMBERS as readonly string[]).includes(second.name)) {
        return invalid(`'${second.name}' is not a member of 'item'; use item, item.index or item.name.${suggest(second.name, ITEM_MEMBERS)}`, second, second);
      }
      if (third !== undefined) return tooLong(`item.${second.name}`, third);
      return { kind: 'item', member: second.name as 'index' | 'name', span: span(ref) };
    }
    default:
      return invalid(`Unknown context '${root.name}'; expected ${choices(REFERENCE_ROOTS)}.${suggest(root.name, REFERENCE_ROOTS)}`, root, root);
  }
}

/** The reference as written, e.g. `blocks.build.outputs.tag`, for messages. */
export function referenceText(ref: RefExpr): string {
  return ref.segments.map((s) => s.name).join('.');
}
