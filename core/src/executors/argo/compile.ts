import { posix } from 'node:path';
import { allReferences, classifyReference, hasExpressions, parseTemplate, type Expr } from '../../expr/index.ts';
import { Dag } from '../../graph/dag.ts';
import type { Span } from '../../model/diagnostic.ts';
import { formatMemory, type ExecutorProfile } from '../../model/executors.ts';
import type { Block, Pipeline, RetryPolicy } from '../../model/pipeline.ts';
import { substituteScript, type TemplatePiece } from '../../runner/substitute.ts';
import { OUTPUTS_DIR, wrapperSource } from './wrapper.ts';
import { staticEnvOf, textOf, valueOf, whenOf, type TaskNames } from './values.ts';

export interface ArgoCompileOptions {
  /** The argo profile to use; default: the pipeline's `executor` when it is an argo profile, else the only argo profile. */
  executor?: string;
  /** A WorkflowTemplate (submitted later by name) instead of a Workflow. */
  template?: boolean;
}

export interface ArgoProblem {
  severity: 'error' | 'warning';
  span: Span;
  message: string;
}

export type Manifest = Record<string, unknown>;

export interface ArgoCompiled {
  /** Undefined when there is an error among the problems. */
  manifest: Manifest | undefined;
  problems: ArgoProblem[];
  /** Block id by Argo task name, for following the workflow (empty when nothing compiled). */
  blockOfTask: Map<string, string>;
}

const DAG_TEMPLATE = 'pipeline';
/** Where the pipeline's folder is in each pod (documented: the image or a volume provides it). */
export const POD_PIPELINE_FOLDER = '/pipeline';
/** Placeholder values for substituteScript: not numbers, so a `${{ }}` in bash arithmetic is refused (its value is unknown here). */
const UNKNOWN_VALUE = 'unknown value';

/**
 * The pipeline as one Argo Workflow: a DAG template with one task per block, each task running a
 * script template. Engine features map to Argo's own (retryStrategy, activeDeadlineSeconds, when,
 * parallelism, continueOn, output parameters); what Argo cannot express is refused with a problem
 * at the place in the file that asks for it.
 */
export function compileArgo(pipeline: Pipeline, options: ArgoCompileOptions = {}): ArgoCompiled {
  const problems: ArgoProblem[] = [];
  const error = (span: Span, message: string): void => void problems.push({ severity: 'error', span, message });
  const warn = (span: Span, message: string): void => void problems.push({ severity: 'warning', span, message });
  const profile = chooseProfile(pipeline, options.executor, error);
  if (profile === undefined) return { manifest: undefined, problems, blockOfTask: new Map() };

  const dag = new Dag(pipeline.blocks.map((b) => ({ id: b.id, dependsOn: b.dependsOn.map((d) => d.name) })));
  const left = new Set<string>();
  for (const block of pipeline.blocks) if (block.disabled) for (const id of [block.id, ...dag.downstream(block.id)]) left.add(id);
  const blocks = pipeline.blocks.filter((b) => !left.has(b.id));
  const tasks = taskNames(blocks.map((b) => b.id));
  const staticEnv = staticEnvOf(pipeline);
  const readOutputs = outputsRead(blocks);
  const maySkip = new Set<string>();

  const dagTasks: Manifest[] = [];
  const templates: Manifest[] = [];
  for (const id of dag.topologicalOrder()) {
    const block = pipeline.blockById.get(id);
    const task = tasks.get(id);
    if (block === undefined || task === undefined) continue;
    const blockProfile = profileOf(pipeline, block, profile, warn);
    const built = blockTemplate(pipeline, block, task, blockProfile, { tasks, staticEnv, outputs: readOutputs.get(id) ?? new Set(), error, warn });
    templates.push(built.template);
    const entry: Manifest = { name: task, template: task };
    const deps = block.dependsOn.map((d) => tasks.get(d.name)).filter((t): t is string => t !== undefined);
    if (deps.length > 0) entry['dependencies'] = [...new Set(deps)];
    if (built.arguments.length > 0) entry['arguments'] = { parameters: built.arguments };
    const when: string[] = [];
    // Argo runs a task whose dependency was skipped; the runner skips its dependents too.
    for (const dep of block.dependsOn) if (maySkip.has(dep.name)) when.push(`'{{tasks.${tasks.get(dep.name) ?? ''}.status}}' != 'Skipped'`);
    const condition = block.condition;
    if (condition !== undefined && condition.value.trim() !== 'true') {
      const translated = whenOf(condition, pipeline, tasks, staticEnv);
      if (translated.ok) when.push(when.length > 0 ? `(${translated.text})` : translated.text);
      else error(condition.span, `The condition of block '${id}' cannot be decided by Argo: ${translated.why}.`);
    }
    if (when.length > 0) {
      entry['when'] = when.join(' && ');
      maySkip.add(id);
    }
    if (block.continueOnError) entry['continueOn'] = { failed: true, error: true };
    dagTasks.push(entry);
  }

  if (problems.some((p) => p.severity === 'error')) return { manifest: undefined, problems, blockOfTask: new Map() };
  return { manifest: workflow(pipeline, profile, options.template === true, [{ name: DAG_TEMPLATE, dag: { tasks: dagTasks } }, ...templates]), problems, blockOfTask: new Map([...tasks].map(([id, task]) => [task, id])) };
}

function chooseProfile(pipeline: Pipeline, name: string | undefined, error: (span: Span, message: string) => void): ExecutorProfile | undefined {
  const at = pipeline.nameSpan ?? { start: 0, end: 0 };
  const argo = [...pipeline.executors.values()].filter((p) => p.type === 'argo');
  if (name !== undefined) {
    const chosen = pipeline.executors.get(name);
    if (chosen?.type === 'argo') return chosen;
    error(chosen?.nameSpan ?? at, chosen === undefined ? `No executor profile named '${name}'${argo.length > 0 ? `; argo profiles: ${argo.map((p) => p.name).join(', ')}` : ''}.` : `Executor '${name}' is of type ${chosen.type}, not argo.`);
    return undefined;
  }
  const byDefault = pipeline.executor === undefined ? undefined : pipeline.executors.get(pipeline.executor.name);
  if (byDefault?.type === 'argo') return byDefault;
  if (argo.length === 1) return argo[0];
  error(pipeline.executor?.span ?? at, argo.length === 0
    ? 'Exporting to Argo needs an executor profile of type argo (with its `image`) under `executors`.'
    : `Several argo profiles (${argo.map((p) => p.name).join(', ')}): choose one with --executor.`);
  return undefined;
}

function profileOf(pipeline: Pipeline, block: Block, fallback: ExecutorProfile, warn: (span: Span, message: string) => void): ExecutorProfile {
  if (block.executor === undefined) return fallback;
  const own = pipeline.executors.get(block.executor.name);
  if (own?.type === 'argo') return own;
  if (own !== undefined && own.type !== 'local') warn(block.executor.span, `Block '${block.id}' runs on ${own.type} executor '${own.name}' locally; in the workflow it runs on argo profile '${fallback.name}'.`);
  return fallback;
}

/** Argo task and template names: letters, digits and `-`, starting with a letter or digit; unique. */
function taskNames(ids: readonly string[]): TaskNames {
  const names = new Map<string, string>();
  const used = new Set<string>([DAG_TEMPLATE]);
  for (const id of ids) {
    const base = id.replace(/[^A-Za-z0-9-]/g, '-').replace(/^-+/, 'b-') || 'block';
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    used.add(name.toLowerCase());
    names.set(id, name);
  }
  return names;
}

/** Output names each block must hand to Argo: its declared ones, and any a downstream expression reads. */
function outputsRead(blocks: readonly Block[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const block of blocks) out.set(block.id, new Set((block.outputs ?? []).map((o) => o.name)));
  const texts = (b: Block): string[] => [b.run?.value ?? '', b.condition?.value ?? '', ...b.env.map((e) => e.value.value)];
  for (const block of blocks) {
    for (const text of texts(block)) {
      for (const expr of expressionsIn(text)) {
        for (const ref of allReferences(expr)) {
          const c = classifyReference(ref);
          if (c.kind === 'blockOutput') out.get(c.block)?.add(c.output);
        }
      }
    }
  }
  return out;
}

function expressionsIn(text: string): Expr[] {
  if (!hasExpressions(text)) return [];
  return parseTemplate(text).flatMap((p) => (p.kind === 'expr' && p.expr !== undefined ? [p.expr] : []));
}

interface BlockContext {
  tasks: TaskNames;
  staticEnv: ReadonlyMap<string, string>;
  outputs: ReadonlySet<string>;
  error: (span: Span, message: string) => void;
  warn: (span: Span, message: string) => void;
}

function blockTemplate(pipeline: Pipeline, block: Block, name: string, profile: ExecutorProfile, c: BlockContext): { template: Manifest; arguments: Manifest[] } {
  const args: Manifest[] = [];
  const inputs: Manifest[] = [];
  /** A value known only when the task starts (an upstream output) goes through a task argument. */
  const dynamic = (param: string, value: string): string => {
    if (!value.includes('{{tasks.')) return value;
    args.push({ name: param, value });
    inputs.push({ name: param });
    return `{{inputs.parameters.${param}}}`;
  };
  const env: Manifest[] = [
    { name: 'PIPELINE_NAME', value: pipeline.name },
    { name: 'PIPELINE_BLOCK', value: block.id },
    { name: 'PIPELINE_RUN_ID', value: '{{workflow.name}}' },
    ...[...pipeline.variables.keys()].map((v) => ({ name: `PIPELINE_VAR_${v.toUpperCase()}`, value: `{{workflow.parameters.${v}}}` })),
  ];
  const layered = new Map<string, string>();
  for (const entry of [...pipeline.env, ...pipeline.defaults.env, ...block.env]) {
    const translated = textOf(entry.value.value, pipeline, c.tasks, c.staticEnv);
    if (translated.ok) layered.set(entry.name, translated.text);
    else c.error(entry.value.span, `Environment variable '${entry.name}' cannot be exported to Argo: ${translated.why}.`);
  }
  for (const [key, value] of layered) env.push({ name: key, value: dynamic(`env-${key}`, value) });

  const shell = block.shell ?? pipeline.defaults.shell ?? 'bash';
  const text = block.run?.value ?? '';
  const parts = hasExpressions(text) ? parseTemplate(text) : [{ kind: 'text' as const, text, start: 0, end: text.length }];
  const pieces: TemplatePiece[] = parts.map((p) => (p.kind === 'text' ? { kind: 'text', text: p.text } : { kind: 'expr', text: `\${{${p.source}}}` }));
  const exprParts = parts.flatMap((p) => (p.kind === 'expr' ? [p] : []));
  const runSpan = block.run?.span ?? block.idSpan;
  const substituted = substituteScript(shell, pieces, exprParts.map(() => UNKNOWN_VALUE));
  let script = text;
  const statusVariables: string[] = [];
  if ('error' in substituted) c.error(runSpan, `Block '${block.id}' cannot be exported: ${substituted.error}.`);
  else {
    script = substituted.script;
    exprParts.forEach((part, k) => {
      const value = part.expr === undefined ? { ok: false as const, why: part.error?.message ?? 'invalid expression' } : valueOf(part.expr, pipeline, c.tasks, c.staticEnv);
      if (!value.ok) c.error(runSpan, `\${{${part.source}}} in the \`run\` of block '${block.id}' cannot be exported to Argo: ${value.why}.`);
      else {
        env.push({ name: `PIPELINE_EXPR_${k + 1}`, value: dynamic(`expr-${k + 1}`, value.text) });
        if (value.status === true) statusVariables.push(`PIPELINE_EXPR_${k + 1}`);
      }
    });
  }
  if (!('error' in substituted) && script.includes('{{')) c.warn(runSpan, `The \`run\` of block '${block.id}' holds \`{{\`, which Argo reads as its own template syntax.`);
  if (block.cache !== undefined) c.warn(block.cache.span, `Block '${block.id}' has a \`cache\`; the workflow runs it every time (Argo has no equivalent of the fingerprint cache).`);
  const cwd = block.cwd ?? pipeline.defaults.cwd;
  const container: Manifest = { name: 'main', image: profile.image ?? '', command: ['sh'], source: wrapperSource(shell, script, statusVariables), env };
  // The pipeline's folder is /pipeline in the pod (baked into the image or mounted), as the folder of the file is locally.
  if (cwd !== undefined && hasExpressions(cwd.value)) c.error(cwd.span, `\`cwd\` of block '${block.id}' holds \`\${{ }}\`, which a workflow cannot resolve before the pod starts.`);
  else container['workingDir'] = posix.resolve(POD_PIPELINE_FOLDER, cwd?.value ?? '.');
  const resources = resourcesOf(block);
  if (resources !== undefined) container['resources'] = resources;

  const template: Manifest = { name };
  if (inputs.length > 0) template['inputs'] = { parameters: inputs };
  if (c.outputs.size > 0) {
    template['outputs'] = { parameters: [...c.outputs].map((o) => ({ name: o, valueFrom: { path: `${OUTPUTS_DIR}/${o}`, default: '' } })) };
  }
  const timeoutMs = block.timeoutMs ?? pipeline.defaults.timeoutMs;
  // On a template the deadline is per pod, so per attempt, as the block's `timeout` is.
  if (timeoutMs !== undefined) template['activeDeadlineSeconds'] = Math.max(1, Math.ceil(timeoutMs / 1000));
  const retry = retryStrategy(block.retry ?? pipeline.defaults.retry);
  if (retry !== undefined) template['retryStrategy'] = retry;
  template['script'] = container;
  return { template, arguments: args };
}

function retryStrategy(policy: RetryPolicy | undefined): Manifest | undefined {
  if (policy === undefined || policy.attempts <= 1) return undefined;
  const strategy: Manifest = { limit: policy.attempts - 1, retryPolicy: 'Always' };
  if (policy.delayMs > 0) {
    const backoff: Manifest = { duration: goDuration(policy.delayMs), factor: Number.isInteger(policy.backoff) ? policy.backoff : String(policy.backoff) };
    if (policy.maxDelayMs !== undefined) backoff['cap'] = goDuration(policy.maxDelayMs);
    strategy['backoff'] = backoff;
  }
  return strategy;
}

function goDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function resourcesOf(block: Block): Manifest | undefined {
  const r = block.resources;
  if (r === undefined) return undefined;
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (r.cpus !== undefined) requests['cpu'] = String(r.cpus);
  if (r.memoryMb !== undefined) {
    requests['memory'] = formatMemory(r.memoryMb, 'kubernetes');
    limits['memory'] = requests['memory'];
  }
  // Kubernetes takes extended resources (GPUs) as limits only.
  if (r.gpus !== undefined && r.gpus > 0) limits['nvidia.com/gpu'] = String(r.gpus);
  const out: Manifest = {};
  if (Object.keys(requests).length > 0) out['requests'] = requests;
  if (Object.keys(limits).length > 0) out['limits'] = limits;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A Kubernetes object name (DNS subdomain, kept short for generateName's suffix). */
export function kubernetesName(text: string): string {
  const name = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
  return name === '' ? 'pipeline' : name;
}

function workflow(pipeline: Pipeline, profile: ExecutorProfile, template: boolean, templates: Manifest[]): Manifest {
  const name = kubernetesName(pipeline.name);
  const metadata: Manifest = template ? { name } : { generateName: `${name}-` };
  if (profile.namespace !== undefined) metadata['namespace'] = profile.namespace;
  metadata['labels'] = { 'pipeline-studio/pipeline': name };
  const spec: Manifest = { entrypoint: DAG_TEMPLATE };
  if (profile.serviceAccount !== undefined) spec['serviceAccountName'] = profile.serviceAccount;
  if (pipeline.concurrency !== undefined) spec['parallelism'] = pipeline.concurrency;
  if (pipeline.timeoutMs !== undefined) spec['activeDeadlineSeconds'] = Math.max(1, Math.ceil(pipeline.timeoutMs / 1000));
  const parameters = [...pipeline.variables.values()].map((v) => {
    const p: Manifest = { name: v.name };
    if (v.default !== null) p['value'] = String(v.default);
    if (v.enum !== undefined) p['enum'] = v.enum.map(String);
    if (v.description !== undefined) p['description'] = v.description;
    return p;
  });
  if (parameters.length > 0) spec['arguments'] = { parameters };
  spec['templates'] = templates;
  return { apiVersion: 'argoproj.io/v1alpha1', kind: template ? 'WorkflowTemplate' : 'Workflow', metadata, spec };
}
