import type { Pipeline, VariableType } from '../model/pipeline.ts';
import { didYouMean } from '../util/didYouMean.ts';

export type VariableValue = string | number | boolean;

/**
 * A run's variable values: each declared variable's default, overridden by the run's values
 * (`--var`, the run form, or a retried run's record), converted to the variable's type and checked
 * against its `enum`. Every problem is reported, not just the first.
 */
export function resolveVariables(pipeline: Pipeline, overrides: Record<string, VariableValue>): { values: Record<string, VariableValue> } | { errors: string[] } {
  const errors: string[] = [];
  const values: Record<string, VariableValue> = {};
  for (const name of Object.keys(overrides)) {
    if (pipeline.variables.has(name)) continue;
    const suggestion = didYouMean(name, pipeline.variables.keys());
    errors.push(`unknown variable '${name}'${suggestion === undefined ? '' : `; did you mean '${suggestion}'?`}${pipeline.variables.size === 0 ? ' (the pipeline declares no variables)' : ''}`);
  }
  for (const def of pipeline.variables.values()) {
    const type: VariableType = def.type ?? (def.default === null ? 'string' : (typeof def.default as VariableType));
    const given = Object.hasOwn(overrides, def.name) ? overrides[def.name] : undefined;
    const raw = given ?? def.default;
    if (raw === null || raw === undefined) {
      errors.push(`variable '${def.name}' has no default; give it with --var ${def.name}=VALUE`);
      continue;
    }
    const value = convert(raw, type);
    if (value === undefined) {
      errors.push(`variable '${def.name}' is a ${type}; ${JSON.stringify(raw)} is not`);
      continue;
    }
    if (def.enum !== undefined && !def.enum.some((allowed) => allowed === value)) {
      errors.push(`variable '${def.name}' must be one of ${def.enum.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(value)}`);
      continue;
    }
    values[def.name] = value;
  }
  return errors.length > 0 ? { errors } : { values };
}

function convert(raw: VariableValue, type: VariableType): VariableValue | undefined {
  switch (type) {
    case 'string':
      return String(raw);
    case 'number': {
      if (typeof raw === 'number') return raw;
      if (typeof raw === 'boolean' || raw.trim() === '') return undefined;
      const n = Number(raw.trim());
      return Number.isFinite(n) ? n : undefined;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      return raw === 'true' ? true : raw === 'false' ? false : undefined;
  }
}

/** `--var k=v` pairs; the value is everything after the first `=`. */
export function parseVarAssignments(assignments: readonly string[]): { values: Record<string, string> } | { error: string } {
  const values: Record<string, string> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) return { error: `--var takes NAME=VALUE, not '${assignment}'` };
    values[assignment.slice(0, eq)] = assignment.slice(eq + 1);
  }
  return { values };
}
