import type { DebugLaunch } from '../../../core/src/debug/index.ts';
import type { Selection } from '../../../core/src/runner/selection.ts';
import type { VariableValue } from '../../../core/src/runner/variables.ts';

/** The `pipeline` launch configuration, as written in launch.json (package.json describes it for people). */
export interface PipelineLaunchArguments {
  pipeline?: unknown;
  variables?: unknown;
  only?: unknown;
  upto?: unknown;
  from?: unknown;
  stopOnEntry?: unknown;
  stopAt?: unknown;
  store?: unknown;
  concurrency?: unknown;
  noCache?: unknown;
}

export class LaunchArgumentError extends Error {}

/**
 * Checks a launch configuration written by hand; every mistake gets a sentence that names the
 * attribute, since the Debug view shows the message as is.
 */
export function readLaunchArguments(args: PipelineLaunchArguments): DebugLaunch {
  const file = args.pipeline;
  if (typeof file !== 'string' || file.trim() === '') throw new LaunchArgumentError('The launch configuration needs "pipeline": the path of a *.pipeline.yaml file.');
  const launch: DebugLaunch = { file, selection: selectionOf(args) };
  if (args.variables !== undefined) launch.variables = variablesOf(args.variables);
  if (args.stopOnEntry !== undefined) launch.stopOnEntry = booleanOf('stopOnEntry', args.stopOnEntry);
  if (args.stopAt !== undefined) {
    const stopAt = args.stopAt;
    if (!Array.isArray(stopAt) || !stopAt.every((b): b is string => typeof b === 'string')) throw new LaunchArgumentError('"stopAt" must be a list of block ids.');
    launch.stopAt = stopAt;
  }
  if (args.noCache !== undefined) launch.noCache = booleanOf('noCache', args.noCache);
  if (args.store !== undefined) {
    if (typeof args.store !== 'string' || args.store === '') throw new LaunchArgumentError('"store" must be the path of a SQLite file.');
    launch.store = args.store;
  }
  if (args.concurrency !== undefined && args.concurrency !== null) {
    const c = args.concurrency;
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 1) throw new LaunchArgumentError('"concurrency" must be a whole number from 1.');
    launch.concurrency = c;
  }
  return launch;
}

function selectionOf(args: PipelineLaunchArguments): Selection {
  const given = (['only', 'upto', 'from'] as const).filter((key) => args[key] !== undefined && args[key] !== null && args[key] !== '');
  if (given.length > 1) throw new LaunchArgumentError(`Use one of "only", "upto" and "from", not ${given.map((g) => `"${g}"`).join(' and ')}.`);
  const key = given[0];
  if (key === undefined) return { mode: 'all' };
  const value = args[key];
  if (key === 'only') {
    const blocks = typeof value === 'string' ? value.split(',').map((b) => b.trim()).filter((b) => b !== '') : value;
    if (!Array.isArray(blocks) || blocks.length === 0 || !blocks.every((b): b is string => typeof b === 'string' && b !== '')) {
      throw new LaunchArgumentError('"only" must be a list of block ids (or one string of ids separated by commas).');
    }
    return { mode: 'only', blocks };
  }
  if (typeof value !== 'string') throw new LaunchArgumentError(`"${key}" must be a block id.`);
  return { mode: key, block: value };
}

function variablesOf(value: unknown): Record<string, VariableValue> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LaunchArgumentError('"variables" must be an object of names to strings, numbers or booleans.');
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new LaunchArgumentError(`Variable "${name}" must be a string, number or boolean.`);
  }
  return value as Record<string, VariableValue>;
}

function booleanOf(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new LaunchArgumentError(`"${name}" must be true or false.`);
  return value;
}
