import type { Pipeline } from '../model/pipeline.ts';
import { LineIndex } from '../text/lineIndex.ts';
import { expressionProblem } from './expressions.ts';

/** A breakpoint as the editor sets it: a zero-based line, maybe a condition in the expression language. */
export interface BreakpointRequest {
  line: number;
  condition?: string;
}

export interface MappedBreakpoint {
  line: number;
  verified: boolean;
  /** The block it pauses before. */
  block?: string;
  condition?: string;
  /** Why it is unverified. */
  message?: string;
}

export interface BlockLines {
  block: string;
  /** Zero-based, inclusive: the id line through the block's last line. */
  first: number;
  last: number;
}

/** The lines each block occupies in the file, in file order. */
export function blockLines(pipeline: Pipeline, text: string): BlockLines[] {
  const index = new LineIndex(text);
  return pipeline.blocks.map((block) => {
    let end = block.span.end;
    // The span may run into the next line's indentation; the block ends at its last visible character.
    while (end > block.span.start && /\s/.test(text.charAt(end - 1))) end--;
    return { block: block.id, first: index.positionAt(block.idSpan.start).line, last: index.positionAt(Math.max(block.idSpan.start, end - 1)).line };
  });
}

/**
 * A breakpoint on any line of a block pauses before that block starts; a breakpoint elsewhere
 * (variables, env, comments between blocks) can never be hit, so it is unverified with the reason.
 */
export function mapBreakpoints(lines: readonly BlockLines[], requests: readonly BreakpointRequest[], selected?: ReadonlySet<string>): MappedBreakpoint[] {
  return requests.map((request) => {
    const owner = lines.find((l) => request.line >= l.first && request.line <= l.last);
    const condition = request.condition?.trim() === '' ? undefined : request.condition;
    if (owner === undefined) {
      return { line: request.line, verified: false, message: 'Not on a block: a breakpoint pauses before the block whose lines it is on (its id line or its run lines).' };
    }
    const problem = condition === undefined ? undefined : expressionProblem(condition);
    if (problem !== undefined) return { line: request.line, verified: false, block: owner.block, condition, message: `Condition: ${problem}` };
    if (selected !== undefined && !selected.has(owner.block)) {
      return { line: request.line, verified: false, block: owner.block, condition, message: `Block '${owner.block}' does not run in this debug session (see only/upto/from).` };
    }
    return { line: request.line, verified: true, block: owner.block, ...(condition === undefined ? {} : { condition }) };
  });
}
