import { isAbsolute, resolve as resolvePath } from 'node:path';
import {
  evaluate, evaluateTemplate, EvaluationError, hasExpressions, isTruthy, parseExpression, parseTemplate, valueToString,
  type Lookup, type TemplatePart, type Value, type ValidReference,
} from '../expr/index.ts';
import type { Block, EnvEntry, Pipeline, RetryPolicy, ShellName, TextValue } from '../model/pipeline.ts';
import type { BlockStatus } from '../store/types.ts';
import { substituteScript, scriptProblems, type TemplatePiece } from './substitute.ts';
import type { VariableValue } from './variables.ts';

/** What the expressions of one run can see before any block has run. */
export interface RunScope {
  pipeline: Pipeline;
  /** Folder of the pipeline file; relative `cwd` values are resolved against it. */
  folder: string;
  /** Undefined in a dry run, where `run.id` has no value yet. */
  runId: string | undefined;
  variables: Record<string, VariableValue>;
  /** The environment of the process that runs the pipeline. */
  processEnv: Record<string, string>;
  /** Top-level `env`, evaluated. */
  pipelineEnv: Record<string, string>;
  /** `defaults.env`, evaluated. */
  defaultsEnv: Record<string, string>;
}

/** The current item of a fan-out (`foreach`) block, as `${{ item }}`, `${{ item.index }}`, `${{ item.name }}` read it. */
export interface ItemValue {
  value: string;
  index: number;
  /** The file name: what follows the last `/` (or `\\`). */
  name: string;
}

/** Finished upstream blocks as a block's expressions see them (the validator has checked that references are upstream). */
export type Upstream = (id: string) => UpstreamView | undefined;

/** A finished upstream block as its dependents see it. */
export interface UpstreamView {
  status: BlockStatus;
  outputs: Record<string, string>;
  fingerprint: string | undefined;
}

export interface ResolvedBlock {
  block: Block;
  shell: ShellName;
  cwd: string;
  script: string;
  /** The command with values quoted in; shown by a dry run and hashed into the fingerprint. */
  display: string;
  /** The variables the pipeline defines for the block (its layers of env, PIPELINE_NAME, PIPELINE_BLOCK, PIPELINE_VAR_*). */
  definedEnv: Record<string, string>;
  /** PIPELINE_EXPR_<n>: the `${{ }}` values of the script. */
  exprEnv: Record<string, string>;
  timeoutMs: number | undefined;
  retry: RetryPolicy | undefined;
  /** A `pipeline:` block's `with:` values, rendered as text (they become the child run's variables, as data). */
  with?: Record<string, string>;
}

/** Evaluates the top-level `env` and `defaults.env`, each seeing the layers before it. */
export function makeRunScope(base: Omit<RunScope, 'pipelineEnv' | 'defaultsEnv'>): RunScope {
  const { pipeline, processEnv } = base;
  const scope: RunScope = { ...base, pipelineEnv: {}, defaultsEnv: {} };
  const noBlocks: Upstream = () => undefined;
  scope.pipelineEnv = renderEnv(pipeline.env, makeLookup(scope, (name) => processEnv[name], noBlocks));
  const seen = { ...processEnv, ...scope.pipelineEnv };
  scope.defaultsEnv = renderEnv(pipeline.defaults.env, makeLookup(scope, (name) => seen[name], noBlocks));
  return scope;
}

/**
 * The block's command, folder and environment with every expression evaluated. Throws
 * EvaluationError for an expression that cannot be evaluated and ScriptRefused for a script that
 * must not run (an expression in a literal context, see substitute.ts).
 */
export function resolveBlock(scope: RunScope, block: Block, upstream: Upstream, item?: ItemValue): ResolvedBlock {
  const { pipeline } = scope;
  const inherited = { ...scope.processEnv, ...scope.pipelineEnv, ...scope.defaultsEnv };
  const blockEnv = renderEnv(block.env, makeLookup(scope, (name) => inherited[name], upstream, item));
  const definedEnv: Record<string, string> = { ...scope.pipelineEnv, ...scope.defaultsEnv, ...blockEnv, ...pipelineVariables(scope, block), ...itemVariables(item) };
  const full = { ...scope.processEnv, ...definedEnv };
  if (scope.runId !== undefined) full.PIPELINE_RUN_ID = scope.runId;
  const lookup = makeLookup(scope, (name) => full[name], upstream, item);

  const cwdValue = block.cwd ?? pipeline.defaults.cwd;
  const cwdText = cwdValue === undefined ? '.' : renderText(cwdValue.value, lookup);
  const cwd = isAbsolute(cwdText) ? cwdText : resolvePath(scope.folder, cwdText);
  const shell = block.shell ?? pipeline.defaults.shell ?? 'bash';
  const { pieces, values } = evaluatePieces(block.run?.value ?? '', lookup);
  const substituted = substituteScript(shell, pieces, values);
  if ('error' in substituted) throw new ScriptRefused(substituted.error);
  return {
    block, shell, cwd, script: substituted.script, display: substituted.display, definedEnv, exprEnv: substituted.env,
    timeoutMs: block.timeoutMs ?? pipeline.defaults.timeoutMs,
    retry: block.retry ?? pipeline.defaults.retry,
    ...(block.subPipeline === undefined ? {} : { with: renderEnv(block.subPipeline.with, lookup) }),
  };
}

/** Problems a dry run can report without values: expressions in literal contexts of `run`. */
export function staticScriptProblems(pipeline: Pipeline, block: Block): string[] {
  const text = block.run?.value ?? '';
  if (!hasExpressions(text)) return [];
  return scriptProblems(block.shell ?? pipeline.defaults.shell ?? 'bash', toPieces(parseTemplate(text)));
}

export class ScriptRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptRefused';
  }
}

/**
 * The block's `if`, seeing the block's full environment: true/false, or undefined when the block
 * has none. Throws EvaluationError when it cannot be evaluated.
 */
export function evaluateCondition(scope: RunScope, block: Block, upstream: Upstream): boolean | undefined {
  const condition = block.condition;
  if (condition === undefined) return undefined;
  const text = condition.value.trim();
  if (text === 'true') return true;
  if (text === 'false') return false;
  const inherited = { ...scope.processEnv, ...scope.pipelineEnv, ...scope.defaultsEnv };
  const blockEnv = renderEnv(block.env, makeLookup(scope, (name) => inherited[name], upstream));
  const full: Record<string, string> = { ...inherited, ...blockEnv, ...pipelineVariables(scope, block) };
  if (scope.runId !== undefined) full.PIPELINE_RUN_ID = scope.runId;
  return isTruthy(evaluateWhole(condition, makeLookup(scope, (name) => full[name], upstream)));
}

function evaluateWhole(condition: TextValue, lookup: Lookup): Value {
  const text = condition.value;
  if (hasExpressions(text)) {
    const expr = parseTemplate(text).find((p) => p.kind === 'expr');
    if (expr === undefined || expr.kind !== 'expr') throw new EvaluationError('Invalid condition.', { start: 0, end: text.length });
    if (expr.error !== undefined) throw new EvaluationError(expr.error.message, expr.error);
    if (expr.expr === undefined) throw new EvaluationError('Invalid condition.', expr);
    return evaluate(expr.expr, lookup);
  }
  const parsed = parseExpression(text);
  if (parsed.error !== undefined) throw new EvaluationError(parsed.error.message, parsed.error);
  if (parsed.expr === undefined) throw new EvaluationError('Invalid condition.', { start: 0, end: text.length });
  return evaluate(parsed.expr, lookup);
}

export function makeLookup(scope: RunScope, env: (name: string) => string | undefined, upstream: Upstream, item?: ItemValue): Lookup {
  return (ref: ValidReference): Value | undefined => {
    switch (ref.kind) {
      case 'var':
        return scope.variables[ref.name];
      case 'env':
        return env(ref.name) ?? null;
      case 'blockOutput': {
        const up = upstream(ref.block);
        if (up === undefined) return undefined;
        return Object.hasOwn(up.outputs, ref.output) ? (up.outputs[ref.output] ?? null) : null;
      }
      case 'blockStatus':
        return upstream(ref.block)?.status;
      case 'pipeline':
        return scope.pipeline.name;
      case 'run':
        return scope.runId;
      case 'item':
        // Outside a fan-out's item there is no item (the validator reports such a use).
        if (item === undefined) return undefined;
        return ref.member === 'value' ? item.value : ref.member === 'index' ? item.index : item.name;
    }
  };
}

function pipelineVariables(scope: RunScope, block: Block): Record<string, string> {
  const out: Record<string, string> = { PIPELINE_NAME: scope.pipeline.name, PIPELINE_BLOCK: block.id };
  for (const [name, value] of Object.entries(scope.variables)) out[`PIPELINE_VAR_${name.toUpperCase()}`] = String(value);
  return out;
}

/** An item also reaches its process as PIPELINE_ITEM, PIPELINE_ITEM_INDEX and PIPELINE_ITEM_NAME (data in the environment). */
function itemVariables(item: ItemValue | undefined): Record<string, string> {
  if (item === undefined) return {};
  return { PIPELINE_ITEM: item.value, PIPELINE_ITEM_INDEX: String(item.index), PIPELINE_ITEM_NAME: item.name };
}

function renderEnv(entries: readonly EnvEntry[], lookup: Lookup): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) out[entry.name] = renderText(entry.value.value, lookup);
  return out;
}

/** `env` and `cwd` values: expressions become plain text, since no shell parses them. */
export function renderText(text: string, lookup: Lookup): string {
  if (!hasExpressions(text)) return text;
  return evaluateTemplate(parseTemplate(text), lookup);
}

function evaluatePieces(text: string, lookup: Lookup): { pieces: TemplatePiece[]; values: string[] } {
  if (!hasExpressions(text)) return { pieces: [{ kind: 'text', text }], values: [] };
  const parts = parseTemplate(text);
  const values: string[] = [];
  for (const part of parts) {
    if (part.kind !== 'expr') continue;
    if (part.error !== undefined) throw new EvaluationError(part.error.message, part.error);
    if (part.expr === undefined) throw new EvaluationError('Invalid expression.', part);
    values.push(valueToString(evaluate(part.expr, lookup)));
  }
  return { pieces: toPieces(parts), values };
}

function toPieces(parts: readonly TemplatePart[]): TemplatePiece[] {
  return parts.map((p) => (p.kind === 'text' ? { kind: 'text', text: p.text } : { kind: 'expr', text: `\${{${p.source}}}` }));
}
