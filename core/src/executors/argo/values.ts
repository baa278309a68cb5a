import { classifyReference, hasExpressions, parseExpression, parseTemplate, type Expr, type Value } from '../../expr/index.ts';
import type { Pipeline, TextValue } from '../../model/pipeline.ts';

/**
 * How the values of `${{ }}` reach an Argo workflow. Argo substitutes `{{…}}` in env values and
 * task arguments once and never re-parses the result, so a value placed there stays data; the
 * script only ever reads environment variables.
 */
export type Translated = { ok: true; text: string; status?: boolean } | { ok: false; why: string };

/** Names of tasks in the workflow by block id (Argo names allow letters, digits and `-` only). */
export type TaskNames = ReadonlyMap<string, string>;

/**
 * One `${{ }}` used as a value: a variable, an upstream output, the run id, the pipeline name, a
 * literal, or an `env.NAME` declared in the pipeline as plain text. Anything computed (operators)
 * needs the runner and is refused.
 */
export function valueOf(expr: Expr, pipeline: Pipeline, tasks: TaskNames, staticEnv: ReadonlyMap<string, string>): Translated {
  if (expr.kind === 'group') return valueOf(expr.inner, pipeline, tasks, staticEnv);
  if (expr.kind === 'literal') return literalText(expr.value);
  if (expr.kind !== 'ref') return { ok: false, why: 'Argo cannot compute an expression with operators inside a value; compute it in the script, or make it a variable' };
  const ref = classifyReference(expr);
  switch (ref.kind) {
    case 'var':
      return { ok: true, text: `{{workflow.parameters.${ref.name}}}` };
    case 'blockOutput': {
      const task = tasks.get(ref.block);
      if (task === undefined) return { ok: false, why: `block '${ref.block}' is not in the exported workflow (disabled?)` };
      return { ok: true, text: `{{tasks.${task}.outputs.parameters.${ref.output}}}` };
    }
    case 'run':
      return { ok: true, text: '{{workflow.name}}' };
    case 'item':
      return { ok: false, why: 'a `foreach` block fans out at run time; run it locally, or write the items as an Argo `withItems` by hand' };
    case 'pipeline':
      return literalText(pipeline.name);
    case 'env': {
      const value = staticEnv.get(ref.name);
      if (value === undefined) return { ok: false, why: `env.${ref.name} is read from the machine that starts a local run; a workflow has no such machine, so declare it under \`env\`` };
      return literalText(value);
    }
    case 'blockStatus': {
      // Argo's phase (Succeeded, Failed); the wrapper turns it into the runner's word before the script starts.
      const task = tasks.get(ref.block);
      if (task === undefined) return { ok: false, why: `block '${ref.block}' is not in the exported workflow (disabled?)` };
      return { ok: true, text: `{{tasks.${task}.status}}`, status: true };
    }
    case 'invalid':
      return { ok: false, why: ref.message };
  }
}

function literalText(value: Value): Translated {
  const text = value === null ? '' : String(value);
  // Argo would treat `{{` in the text as a template of its own.
  if (text.includes('{{')) return { ok: false, why: 'the text holds `{{`, which Argo would read as a template' };
  return { ok: true, text };
}

/** Env values of the pipeline written as plain text, which `env.NAME` may read. */
export function staticEnvOf(pipeline: Pipeline): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of [...pipeline.env, ...pipeline.defaults.env]) {
    if (!hasExpressions(entry.value.value)) out.set(entry.name, entry.value.value);
  }
  return out;
}

/** A text with `${{ }}` (an env value): each expression becomes its Argo template, the text around it kept. */
export function textOf(text: string, pipeline: Pipeline, tasks: TaskNames, staticEnv: ReadonlyMap<string, string>): Translated {
  if (!hasExpressions(text)) return text.includes('{{') ? { ok: false, why: 'the text holds `{{`, which Argo would read as a template' } : { ok: true, text };
  let out = '';
  for (const part of parseTemplate(text)) {
    if (part.kind === 'text') {
      if (part.text.includes('{{')) return { ok: false, why: 'the text holds `{{`, which Argo would read as a template' };
      out += part.text;
      continue;
    }
    if (part.expr === undefined) return { ok: false, why: part.error?.message ?? 'invalid expression' };
    const value = valueOf(part.expr, pipeline, tasks, staticEnv);
    if (!value.ok) return value;
    out += value.text;
  }
  return { ok: true, text: out };
}

/** Argo phases for our words in `blocks.X.status == '…'`. */
const STATUS_PHASE: Record<string, string> = { completed: 'Succeeded', cached: 'Succeeded', failed: 'Failed' };

/**
 * A condition as an Argo `when`: one expression tag (`{{=…}}`, Argo's expr language, v3.1+) whose
 * result, `true` or `false`, is all that reaches the `when` text. Inside the tag, variables and
 * outputs are read as values (`workflow.parameters['x']`), never substituted into the expression
 * text, so a value holding quotes or operators stays data. Decidable: comparisons, `&&`, `||`, `!`
 * over variables, upstream outputs and statuses, and literals.
 */
export function whenOf(condition: TextValue, pipeline: Pipeline, tasks: TaskNames, staticEnv: ReadonlyMap<string, string>): Translated {
  const text = condition.value.trim();
  let expr: Expr | undefined;
  if (hasExpressions(text)) {
    const parts = parseTemplate(text);
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only?.kind !== 'expr' || only.expr === undefined) return { ok: false, why: 'the condition mixes text and `${{ }}`' };
    expr = only.expr;
  } else {
    expr = parseExpression(text).expr;
  }
  if (expr === undefined) return { ok: false, why: 'the condition does not parse' };
  const translated = condOf(expr, { pipeline, tasks, staticEnv });
  return translated.ok ? { ok: true, text: `{{=${translated.text}}}` } : translated;
}

interface Scope {
  pipeline: Pipeline;
  tasks: TaskNames;
  staticEnv: ReadonlyMap<string, string>;
}

function condOf(expr: Expr, s: Scope): Translated {
  switch (expr.kind) {
    case 'group': {
      const inner = condOf(expr.inner, s);
      return inner.ok ? { ok: true, text: `(${inner.text})` } : inner;
    }
    case 'unary': {
      const inner = condOf(expr.operand, s);
      return inner.ok ? { ok: true, text: `!(${inner.text})` } : inner;
    }
    case 'binary': {
      if (expr.op === '&&' || expr.op === '||') {
        const left = condOf(expr.left, s);
        if (!left.ok) return left;
        const right = condOf(expr.right, s);
        return right.ok ? { ok: true, text: `${left.text} ${expr.op} ${right.text}` } : right;
      }
      return comparison(expr.op, expr.left, expr.right, s);
    }
    case 'literal':
      return { ok: true, text: isTruthyLiteral(expr.value) ? 'true' : 'false' };
    case 'ref': {
      // Truthiness as the runner decides it: not '', 'false', '0' (as Argo sees text).
      const value = operand(expr, s, false);
      if (!value.ok) return value;
      return { ok: true, text: `(${value.text} != '' && ${value.text} != 'false' && ${value.text} != '0')` };
    }
  }
}

function comparison(op: string, left: Expr, right: Expr, s: Scope): Translated {
  const status = statusComparison(op, left, right, s) ?? statusComparison(op, right, left, s);
  if (status !== undefined) return status;
  const numeric = op !== '==' && op !== '!=' || isNumberLiteral(left) || isNumberLiteral(right);
  const a = operand(left, s, numeric);
  if (!a.ok) return a;
  const b = operand(right, s, numeric);
  return b.ok ? { ok: true, text: `${a.text} ${op} ${b.text}` } : b;
}

function statusComparison(op: string, ref: Expr, literal: Expr, s: Scope): Translated | undefined {
  if (ref.kind !== 'ref' || (op !== '==' && op !== '!=')) return undefined;
  const classified = classifyReference(ref);
  if (classified.kind !== 'blockStatus') return undefined;
  if (literal.kind !== 'literal' || typeof literal.value !== 'string' || STATUS_PHASE[literal.value] === undefined) {
    return { ok: false, why: 'a status is compared in Argo only with \'completed\', \'cached\' or \'failed\'' };
  }
  const task = s.tasks.get(classified.block);
  if (task === undefined) return { ok: false, why: `block '${classified.block}' is not in the exported workflow` };
  return { ok: true, text: `tasks[${exprString(task)}].status ${op} ${exprString(STATUS_PHASE[literal.value] ?? '')}` };
}

/** A side of a comparison in Argo's expr language: a value read by name, or a literal; numbers through asFloat. */
function operand(expr: Expr, s: Scope, numeric: boolean): Translated {
  if (expr.kind === 'group') return operand(expr.inner, s, numeric);
  if (expr.kind === 'literal') {
    if (typeof expr.value === 'number') return { ok: true, text: String(expr.value) };
    if (typeof expr.value === 'boolean') return { ok: true, text: numeric ? (expr.value ? '1' : '0') : exprString(String(expr.value)) };
    const text = expr.value ?? '';
    // Argo finds the end of the tag by its braces before expr parses it.
    if (/[{}]/.test(text)) return { ok: false, why: 'a text holding braces cannot be written in an Argo `when`' };
    return numeric ? (/^-?\d+(\.\d+)?$/.test(text) ? { ok: true, text } : { ok: false, why: `'${text}' is not a number` }) : { ok: true, text: exprString(text) };
  }
  if (expr.kind !== 'ref') return { ok: false, why: 'Argo cannot decide a comparison of computed values' };
  const value = exprValueOf(expr, s);
  if (!value.ok) return value;
  return { ok: true, text: numeric ? `asFloat(${value.text})` : value.text };
}

/** A reference as an expr-language value: read by name inside the tag, never spliced as text. */
function exprValueOf(expr: Extract<Expr, { kind: 'ref' }>, s: Scope): Translated {
  const ref = classifyReference(expr);
  switch (ref.kind) {
    case 'var':
      return { ok: true, text: `workflow.parameters[${exprString(ref.name)}]` };
    case 'blockOutput': {
      const task = s.tasks.get(ref.block);
      if (task === undefined) return { ok: false, why: `block '${ref.block}' is not in the exported workflow (disabled?)` };
      return { ok: true, text: `tasks[${exprString(task)}].outputs.parameters[${exprString(ref.output)}]` };
    }
    case 'run':
      return { ok: true, text: 'workflow.name' };
    default: {
      // The pipeline's name and static env are known now: literals.
      const value = valueOf(expr, s.pipeline, s.tasks, s.staticEnv);
      if (!value.ok) return value;
      if (/[{}]/.test(value.text)) return { ok: false, why: 'a text holding braces cannot be written in an Argo `when`' };
      return { ok: true, text: exprString(value.text) };
    }
  }
}

/** A string literal of Argo's expr language (double-quoted, JSON escapes). */
function exprString(text: string): string {
  return JSON.stringify(text);
}

function isNumberLiteral(expr: Expr): boolean {
  return expr.kind === 'literal' && typeof expr.value === 'number';
}

function isTruthyLiteral(v: Value): boolean {
  return !(v === false || v === null || v === '' || v === 0);
}
