import { evaluate, EvaluationError, formatValue, isTruthy, parseExpression, type Lookup, type Value } from '../expr/index.ts';
import type { BlockGate } from '../runner/gate.ts';

/** The text of an expression, with an optional `${{ }}` around it (people paste both forms). */
export function unwrapExpression(text: string): string {
  const trimmed = text.trim();
  const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(trimmed);
  return (wrapped?.[1] ?? trimmed).trim();
}

/** A syntax problem of a condition or Debug Console expression, or undefined when it parses. */
export function expressionProblem(text: string): string | undefined {
  const parsed = parseExpression(unwrapExpression(text));
  return parsed.error?.message;
}

/**
 * What the expressions of a paused block see, exactly as the engine resolved them: `blocks.X` is
 * only defined for finished upstream blocks, as in the pipeline itself.
 */
export function gateLookup(gate: BlockGate): Lookup {
  return (ref) => {
    switch (ref.kind) {
      case 'var':
        return gate.variables[ref.name];
      case 'env':
        return gate.env[ref.name] ?? null;
      case 'blockOutput': {
        const up = gate.upstream[ref.block];
        if (up === undefined) return undefined;
        return Object.hasOwn(up.outputs, ref.output) ? (up.outputs[ref.output] ?? null) : null;
      }
      case 'blockStatus':
        return gate.upstream[ref.block]?.status;
      case 'pipeline':
        return gate.pipelineName;
      case 'run':
        return String(gate.runId);
      case 'item':
        // The debugger holds blocks, not the items of a fan-out.
        return undefined;
    }
  };
}

export type Evaluation = { value: Value; text: string } | { error: string };

/** Evaluates an expression of the pipeline language for the Debug Console or a condition. */
export function evaluateAtGate(text: string, gate: BlockGate): Evaluation {
  const parsed = parseExpression(unwrapExpression(text));
  if (parsed.error !== undefined) return { error: parsed.error.message };
  if (parsed.expr === undefined) return { error: 'Empty expression.' };
  try {
    const value = evaluate(parsed.expr, gateLookup(gate));
    return { value, text: formatValue(value) };
  } catch (error) {
    if (error instanceof EvaluationError) return { error: explain(error.message, gate) };
    throw error;
  }
}

/** A breakpoint condition: true/false, or the reason it cannot be evaluated (then the debugger stops, as others do). */
export function conditionHolds(condition: string, gate: BlockGate): boolean | { error: string } {
  const result = evaluateAtGate(condition, gate);
  return 'error' in result ? result : isTruthy(result.value);
}

function explain(message: string, gate: BlockGate): string {
  if (!/^blocks\./.test(message)) return message;
  const finished = Object.keys(gate.upstream);
  return `${message} Only finished upstream blocks of '${gate.block}' are visible${finished.length > 0 ? ` (${finished.join(', ')})` : ' (it has none)'}.`;
}
