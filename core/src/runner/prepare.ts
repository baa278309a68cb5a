import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { Dag } from '../graph/dag.ts';
import { EvaluationError } from '../expr/index.ts';
import type { RunStore } from '../store/types.ts';
import { validatePipeline } from '../validate/validate.ts';
import { DEFAULT_HASH_LIMIT_BYTES } from './fingerprint.ts';
import { makeRunScope, type RunScope } from './resolve.ts';
import { planSelection, SelectionRefused, type Selection, type SelectionPlan } from './selection.ts';
import { resolveVariables, type VariableValue } from './variables.ts';

/** Why a run did not start: a message for people, and the diagnostics when the file has errors. */
export class RunRefused extends Error {
  readonly problems: string[];
  readonly diagnostics: Diagnostic[];
  constructor(problems: string[], diagnostics: Diagnostic[] = []) {
    super(problems.join('\n'));
    this.name = 'RunRefused';
    this.problems = problems;
    this.diagnostics = diagnostics;
  }
}

export interface PrepareOptions {
  /** The pipeline file; made absolute. */
  file: string;
  /** Its text, when the caller has it (an editor buffer); read from the file otherwise. */
  text?: string;
  variables?: Record<string, VariableValue>;
  selection?: Selection;
  concurrency?: number;
  /** Base environment of the block processes; default this process's. */
  env?: Record<string, string | undefined>;
  /** Files over this size are fingerprinted by size and mtime, not read (default 1 GiB; the hashLimit setting). */
  hashLimitBytes?: number;
  /** A `profiles:` entry to apply: its variables under `variables`, its env over the pipeline's `env`. */
  profile?: string;
}

export interface PreparedRun {
  file: string;
  folder: string;
  pipeline: Pipeline;
  dag: Dag;
  plan: SelectionPlan;
  variables: Record<string, VariableValue>;
  processEnv: Record<string, string>;
  concurrency: number;
  hashLimitBytes: number;
}

/** Everything decided before a run exists: the file is valid, variables resolve, the selection holds. */
export function prepareRun(options: PrepareOptions, store: RunStore | undefined): PreparedRun {
  const file = resolve(options.file);
  let text = options.text;
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new RunRefused([`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`]);
    }
  }
  const { pipeline, dag, diagnostics } = validatePipeline(text, { fileName: file });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new RunRefused([`${file} has ${errors.length} error(s); fix them before running`], errors);
  let plan: SelectionPlan;
  try {
    plan = planSelection(pipeline, dag, options.selection ?? { mode: 'all' }, file, store);
  } catch (error) {
    if (error instanceof SelectionRefused) throw new RunRefused([error.message]);
    throw error;
  }
  const profileVariables = applyProfile(pipeline, options.profile);
  const resolved = resolveVariables(pipeline, { ...plan.baseVariables, ...profileVariables, ...(options.variables ?? {}) });
  if ('errors' in resolved) throw new RunRefused(resolved.errors);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? pipeline.concurrency ?? availableParallelism()));
  return { file, folder: dirname(file), pipeline, dag, plan, variables: resolved.values, processEnv: cleanEnv(options.env ?? process.env), concurrency, hashLimitBytes: options.hashLimitBytes ?? DEFAULT_HASH_LIMIT_BYTES };
}

/**
 * Applies a profile (issue 17): its env entries replace the pipeline's of the same name (expressions
 * in them are evaluated like the pipeline's), its variables are returned as run values (explicit
 * `--var`s still win). An unknown profile refuses the run, naming the ones there are.
 */
function applyProfile(pipeline: Pipeline, name: string | undefined): Record<string, VariableValue> {
  if (name === undefined) return {};
  const profile = pipeline.profiles?.get(name);
  if (profile === undefined) {
    const known = [...(pipeline.profiles?.keys() ?? [])];
    throw new RunRefused([`there is no profile '${name}' in ${pipeline.name}${known.length > 0 ? `; its profiles: ${known.join(', ')}` : ' (it has no `profiles:`)'}`]);
  }
  const overridden = new Set(profile.env.map((e) => e.name));
  pipeline.env = [...pipeline.env.filter((e) => !overridden.has(e.name)), ...profile.env];
  return Object.fromEntries(profile.variables.map((v) => [v.name, v.value.value]));
}

/** The run-wide expression scope; a top-level or defaults `env` that cannot be evaluated refuses the run. */
export function scopeFor(prepared: PreparedRun, runId: string | undefined): RunScope {
  try {
    return makeRunScope({
      pipeline: prepared.pipeline, folder: prepared.folder, runId, variables: prepared.variables, processEnv: prepared.processEnv,
    });
  } catch (error) {
    if (error instanceof EvaluationError) throw new RunRefused([`the pipeline's env cannot be evaluated: ${error.message}`]);
    throw error;
  }
}

/**
 * Values of our own from an enclosing run (a pipeline started by a block of another) would leak
 * into this one's blocks: expression values and the sweep tag are per attempt, so drop them.
 */
function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || name.startsWith('PIPELINE_EXPR_') || name === 'PIPELINE_PROCESS_TAG') continue;
    out[name] = value;
  }
  return out;
}
