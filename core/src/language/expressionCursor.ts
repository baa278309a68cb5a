import type { Span } from '../model/diagnostic.ts';
import type { CursorContext } from './cursor.ts';
import { expressionFieldOf, type ExpressionField } from './keyPath.ts';

export interface ExpressionCursor {
  field: ExpressionField;
  /** The dotted names before the one being typed: `blocks.build.` → `['blocks', 'build']`. */
  segments: string[];
  /** The name being typed (maybe empty), which a completion replaces. */
  partial: Span;
}

/** How far back an open `${{` is looked for: expressions are short, and this bounds the work. */
const WINDOW = 4096;
const CHAIN = /(?:[A-Za-z_][A-Za-z0-9_-]*\.)*[A-Za-z0-9_-]*$/;
const NAME_PART = /[A-Za-z0-9_-]/;

/**
 * The reference being typed at `offset`, when the cursor is inside a `${{ }}` of a field whose
 * expressions are evaluated (or anywhere in an `if:` value, which is one expression).
 */
export function expressionAt(text: string, offset: number, context: CursorContext): ExpressionCursor | undefined {
  if (context.kind === 'key') return undefined;
  const field = expressionFieldOf(context.path);
  if (field === undefined) return undefined;
  const floor = context.kind === 'value' ? context.line.start : Math.max(0, offset - WINDOW);
  const open = text.lastIndexOf('${{', offset - 1);
  let start: number;
  if (open >= floor && open + 3 <= offset) start = open + 3;
  else if (field.where === 'block' && field.field === 'if' && context.kind === 'value') start = valueStartOf(text, context);
  else return undefined;
  const inside = text.slice(start, offset);
  if (closesBefore(inside)) return undefined;
  const chain = CHAIN.exec(inside)?.[0] ?? '';
  const before = inside[inside.length - chain.length - 1];
  if (/^[0-9]/.test(chain) || before === '.' || before === "'") return undefined;
  const segments = chain.split('.');
  const partial = segments.pop() ?? '';
  let end = offset;
  while (end < text.length && NAME_PART.test(text[end] ?? '')) end++;
  return { field, segments, partial: { start: offset - partial.length, end } };
}

/** Whether the expression text is already closed by `}}`, or the cursor sits in a '…' string. */
function closesBefore(inside: string): boolean {
  let inString = false;
  for (let i = 0; i < inside.length; i++) {
    const c = inside[i];
    if (c === "'") inString = !inString;
    else if (!inString && c === '}' && inside[i + 1] === '}') return true;
  }
  return inString;
}

function valueStartOf(text: string, context: CursorContext): number {
  const colon = text.indexOf(':', context.line.start);
  let at = colon === -1 ? context.line.start : colon + 1;
  while (text[at] === ' ') at++;
  return at;
}
