import * as vscode from 'vscode';
import type { VariableValue } from '../../../core/src/runner/variables.ts';

/**
 * Commands are called from menus, code lenses, the history tree, other extensions and tests, each
 * passing its own shape; these read what they can and reject the rest with a message for people.
 */

export interface RunCommandOptions {
  variables?: Record<string, VariableValue>;
  /** Never ask (variables, confirmation); use the given values and the defaults. */
  noPrompt?: boolean;
  /** Resolve when the run has finished instead of when it has started. */
  wait?: boolean;
  concurrency?: number;
  noCache?: boolean;
  /** An executor profile name (`run --executor`): the blocks without their own `executor:` run there. */
  executor?: string;
}

export interface RunReference {
  runId: number;
  storePath?: string;
  pipelineFile?: string;
  block?: string;
}

export class ArgumentError extends Error {}

const OPTION_KEYS = ['variables', 'noPrompt', 'wait', 'concurrency', 'noCache', 'executor'];

function record(arg: unknown): Record<string, unknown> | undefined {
  return typeof arg === 'object' && arg !== null && !Array.isArray(arg) && !(arg instanceof vscode.Uri) ? (arg as Record<string, unknown>) : undefined;
}

/** A pipeline file: a Uri, a path, or an object with `uri`, `resourceUri`, `file` or `pipelineFile`. */
export function fileArgument(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') return arg.includes('://') ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  const r = record(arg);
  if (r === undefined) return undefined;
  for (const key of ['uri', 'resourceUri', 'file', 'pipelineFile']) {
    const found = fileArgument(r[key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A block id: a string, or an object with `block`, `blockId` or `id`. */
export function blockArgument(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg !== '' && !arg.includes('/') && !arg.includes('://')) return arg;
  const r = record(arg);
  if (r === undefined) return undefined;
  for (const key of ['block', 'blockId', 'id']) {
    const value = r[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** A run: its number, `#42`, or an object with `runId` (and `storePath`/`store`, `pipelineFile`, `block`). */
export function runArgument(arg: unknown): RunReference | undefined {
  if (typeof arg === 'number') return Number.isSafeInteger(arg) && arg > 0 ? { runId: arg } : undefined;
  if (typeof arg === 'string' && /^#?[1-9]\d{0,15}$/.test(arg)) return { runId: Number(arg.replace('#', '')) };
  const r = record(arg);
  if (r === undefined) return undefined;
  const id = r.runId ?? (typeof r.run === 'object' ? undefined : r.run);
  const ref = runArgument(id) ?? runArgument(record(r.run));
  if (ref === undefined) return undefined;
  const store = r.storePath ?? r.store;
  if (typeof store === 'string' && store !== '') ref.storePath = store;
  const file = fileArgument(r.pipelineFile ?? r.file);
  if (file !== undefined) ref.pipelineFile = file.fsPath;
  const block = blockArgument(typeof r.block === 'string' ? r.block : undefined);
  if (block !== undefined) ref.block = block;
  return ref;
}

/** The options object among the arguments (the last object with an option key), checked. */
export function optionsArgument(args: readonly unknown[]): RunCommandOptions {
  const found = [...args].reverse().map(record).find((r) => r !== undefined && OPTION_KEYS.some((k) => k in r));
  if (found === undefined) return {};
  const options: RunCommandOptions = {};
  if (found.variables !== undefined) {
    const vars = record(found.variables);
    if (vars === undefined) throw new ArgumentError('`variables` must be an object of names to strings, numbers or booleans.');
    for (const [name, value] of Object.entries(vars)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new ArgumentError(`Variable '${name}' must be a string, number or boolean.`);
    }
    options.variables = vars as Record<string, VariableValue>;
  }
  for (const key of ['noPrompt', 'wait', 'noCache'] as const) {
    const value = found[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new ArgumentError(`\`${key}\` must be true or false.`);
    options[key] = value;
  }
  if (found.concurrency !== undefined) {
    const c = found.concurrency;
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 1) throw new ArgumentError('`concurrency` must be a whole number from 1.');
    options.concurrency = c;
  }
  if (found.executor !== undefined) {
    if (typeof found.executor !== 'string' || found.executor === '') throw new ArgumentError('`executor` must be the name of an executor profile.');
    options.executor = found.executor;
  }
  return options;
}
