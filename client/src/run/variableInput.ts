import type { Pipeline, VariableDef, VariableType } from '../../../core/src/model/pipeline.ts';
import type { VariableValue } from '../../../core/src/runner/variables.ts';

/** A variable as the run prompt shows it: its type, allowed values, and the value to prefill. */
export interface PromptVariable {
  name: string;
  type: VariableType;
  description: string | undefined;
  enum: VariableValue[] | undefined;
  /** The last value used for this pipeline when it is still valid, else the default; undefined when there is neither. */
  initial: VariableValue | undefined;
  /** Where `initial` came from, for the prompt's label. */
  source: 'last' | 'default' | 'none';
}

/** The type a variable's values take: its `type`, else its default's, else string (as the runner decides). */
export function variableType(def: VariableDef): VariableType {
  if (def.type !== undefined) return def.type;
  const d = def.default;
  return typeof d === 'number' ? 'number' : typeof d === 'boolean' ? 'boolean' : 'string';
}

/**
 * Reads what was typed into the prompt as the variable's value, by the rules the runner applies
 * to `--var` (so a value accepted here is never refused when the run starts).
 */
export function parseVariableText(variable: Pick<PromptVariable, 'name' | 'type' | 'enum'>, text: string): { value: VariableValue } | { error: string } {
  let value: VariableValue;
  switch (variable.type) {
    case 'string':
      value = text;
      break;
    case 'number': {
      const n = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(n)) return { error: `${variable.name} is a number; '${text}' is not one.` };
      value = n;
      break;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') return { error: `${variable.name} is true or false, not '${text}'.` };
      value = text === 'true';
      break;
  }
  if (variable.enum !== undefined && !variable.enum.some((allowed) => allowed === value)) {
    return { error: `${variable.name} must be one of ${variable.enum.map((v) => String(v)).join(', ')}.` };
  }
  return { value };
}

/** Whether a remembered value still fits the variable (the file may have changed since). */
export function stillValid(variable: Pick<PromptVariable, 'name' | 'type' | 'enum'>, value: unknown): value is VariableValue {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
  if (typeof value !== variable.type) return false;
  return 'value' in parseVariableText(variable, String(value));
}

/** The pipeline's variables, prefilled with the last values used for it where they still fit. */
export function promptVariables(pipeline: Pipeline, lastUsed: Record<string, unknown>): PromptVariable[] {
  return [...pipeline.variables.values()].map((def) => {
    const type = variableType(def);
    const allowed = def.enum?.filter((v): v is VariableValue => v !== null);
    const base = { name: def.name, type, description: def.description, enum: allowed };
    const last = lastUsed[def.name];
    if (Object.hasOwn(lastUsed, def.name) && stillValid(base, last)) return { ...base, initial: last, source: 'last' };
    const fallback = def.default;
    if (fallback === null) return { ...base, initial: undefined, source: 'none' };
    const parsed = parseVariableText(base, String(fallback));
    return { ...base, initial: 'value' in parsed ? parsed.value : undefined, source: 'value' in parsed ? 'default' : 'none' };
  });
}

/** The values to send: every variable with a value; the runner fills and checks the rest. */
export function chosenValues(variables: readonly PromptVariable[], chosen: ReadonlyMap<string, VariableValue>): Record<string, VariableValue> {
  const values: Record<string, VariableValue> = {};
  for (const v of variables) {
    const value = chosen.get(v.name) ?? v.initial;
    if (value !== undefined) values[v.name] = value;
  }
  return values;
}
