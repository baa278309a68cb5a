import type { KeyContext } from '../model/schema.ts';

/**
 * What the keys of the mapping at a key path are: a context of the schema (KEYS), or one of the
 * maps whose keys are names the user chooses.
 */
export type MapKind = KeyContext | 'blockIds' | 'variableNames' | 'envNames' | 'triggerNames' | 'executorNames';

/** `['blocks', 'build', 'retry']` → `retry`. Undefined for paths the format does not have. */
export function mapKindOf(path: readonly string[]): MapKind | undefined {
  const [a, b, c, d] = path;
  if (a === undefined) return 'top';
  if (a === 'blocks') {
    if (b === undefined) return 'blockIds';
    if (c === undefined) return 'block';
    if (d !== undefined) return undefined;
    if (c === 'retry') return 'retry';
    if (c === 'cache') return 'cache';
    if (c === 'resources') return 'resources';
    if (c === 'approval') return 'approval';
    if (c === 'foreach') return 'foreach';
    if (c === 'env') return 'envNames';
    return undefined;
  }
  if (a === 'defaults') {
    if (b === undefined) return 'defaults';
    if (c !== undefined) return undefined;
    if (b === 'retry') return 'retry';
    if (b === 'env') return 'envNames';
    return undefined;
  }
  if (a === 'variables') {
    if (b === undefined) return 'variableNames';
    return c === undefined ? 'variable' : undefined;
  }
  if (a === 'env') return b === undefined ? 'envNames' : undefined;
  if (a === 'executors') return b === undefined ? 'executorNames' : c === undefined ? 'executor' : undefined;
  if (a === 'triggers') {
    if (b === undefined) return 'triggerNames';
    if (c === undefined) return 'trigger';
    return c === 'variables' && d === undefined ? 'variableNames' : undefined;
  }
  return undefined;
}

/** The schema context whose KEYS document the key at the end of `path`. */
export function keyContextOfKey(path: readonly string[]): KeyContext | undefined {
  const kind = mapKindOf(path.slice(0, -1));
  return kind === 'blockIds' || kind === 'variableNames' || kind === 'envNames' || kind === 'triggerNames' || kind === 'executorNames' ? undefined : kind;
}

/**
 * Which value holds `${{ }}` expressions that are evaluated, with the environment they see.
 * Elsewhere (`description`, cache paths) `${{` is plain text.
 */
export type ExpressionField =
  | { where: 'block'; block: string; field: 'run' | 'cwd' | 'if' | 'env' | 'foreach' }
  | { where: 'pipeline'; field: 'env' | 'defaults.env' | 'defaults.cwd' };

export function expressionFieldOf(path: readonly string[]): ExpressionField | undefined {
  const [a, b, c, d, e] = path;
  if (a === 'blocks' && b !== undefined && e === undefined) {
    if ((c === 'run' || c === 'cwd' || c === 'if' || c === 'foreach') && d === undefined) return { where: 'block', block: b, field: c };
    if (c === 'env' && d !== undefined) return { where: 'block', block: b, field: 'env' };
    return undefined;
  }
  if (a === 'env' && b !== undefined && c === undefined) return { where: 'pipeline', field: 'env' };
  if (a === 'defaults' && b === 'env' && c !== undefined && d === undefined) return { where: 'pipeline', field: 'defaults.env' };
  if (a === 'defaults' && b === 'cwd' && c === undefined) return { where: 'pipeline', field: 'defaults.cwd' };
  return undefined;
}
