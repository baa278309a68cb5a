import * as l10n from '@vscode/l10n';
import type { Block, Pipeline } from '../model/pipeline.ts';
import { KEYS, type KeyContext, type KeySpec } from '../model/schema.ts';
import { BUILTIN_EXECUTOR, keysOfType } from '../model/executors.ts';
import { MAX_VALIDATED_BYTES } from '../text/prescan.ts';
import type { DocumentAnalysis } from './analysis.ts';
import { cursorContext, type CursorContext } from './cursor.ts';
import { expressionAt, type ExpressionCursor } from './expressionCursor.ts';
import { keyContextOfKey, mapKindOf } from './keyPath.ts';
import { indentOf, nextLine, previousLine, shapeOf, type LineBounds } from './lines.ts';
import type { CompletionItem, CompletionResult } from './types.ts';

export interface CompleteOptions {
  /** The character whose typing asked for completion; absent when the user asked explicitly. */
  triggerCharacter?: string;
  /**
   * The pipeline files a `pipeline:` value may name, relative to this file (`./train.pipeline.yaml`),
   * this file left out; listed by the caller, which knows where the file is (core reads no folders).
   */
  pipelineFiles?: () => readonly string[];
}

/**
 * Completion at `offset` of the current `text`. The cursor's place is read from the text itself;
 * the names offered (blocks, variables, outputs, the graph) come from `analysis`, the latest
 * validated version, which may be a keystroke or two behind: that is what keeps this cheap.
 */
export function completeAt(text: string, offset: number, analysis: DocumentAnalysis | undefined, options: CompleteOptions = {}): CompletionResult | undefined {
  if (text.length > MAX_VALIDATED_BYTES || offset < 0 || offset > text.length) return undefined;
  const context = cursorContext(text, offset);
  if (context === undefined) return undefined;
  const expression = expressionAt(text, offset, context);
  if (expression !== undefined) return { span: expression.partial, items: expressionItems(expression, analysis) };
  const trigger = options.triggerCharacter;
  if (trigger === '.' || trigger === '{') return undefined;
  if (context.kind === 'key') {
    if (trigger !== undefined) return undefined; // a space or comma typed at a key is not a request
    return { span: context.word, items: keyItems(text, context, analysis) };
  }
  if (context.kind === 'value' && isPipelineValue(context)) {
    if (trigger !== undefined && trigger !== ' ') return undefined;
    return { span: pathAround(text, offset, context), items: pipelineFileItems(options.pipelineFiles?.() ?? []) };
  }
  if (context.kind === 'value') return { span: context.word, items: valueItems(text, context, analysis) };
  return undefined;
}

// ---- pipeline files

/** A block's `pipeline:` value (a sub-pipeline's file). */
function isPipelineValue(context: CursorContext): boolean {
  return !context.inList && context.path.length === 3 && context.path[0] === 'blocks' && context.path[2] === 'pipeline';
}

const PATH_CHAR = /[\w.\-/~@+]/;

/** The path being typed around the cursor: the whole of `./sub/tr` is replaced, not just `tr`. */
function pathAround(text: string, offset: number, context: CursorContext): { start: number; end: number } {
  let start = offset;
  while (start > context.line.start && PATH_CHAR.test(text[start - 1] ?? '')) start--;
  let end = offset;
  while (end < context.line.end && PATH_CHAR.test(text[end] ?? '')) end++;
  return { start, end };
}

function pipelineFileItems(files: readonly string[]): CompletionItem[] {
  const width = String(files.length).length;
  return files.map((file, i) => ({ label: file, kind: 'value', detail: l10n.t('pipeline file'), sortText: String(i).padStart(width, '0') }));
}

// ---- keys

function keyItems(text: string, context: CursorContext, analysis: DocumentAnalysis | undefined): CompletionItem[] {
  const kind = mapKindOf(context.path);
  if (kind === undefined || kind === 'variableNames' || kind === 'envNames' || kind === 'executorNames') return [];
  const step = indentStep(text);
  if (kind === 'triggerNames') return newTriggerSnippets(step);
  if (kind === 'blockIds') return newBlockSnippets(context, analysis, step);
  const present = context.column < 0 ? flowKeys(text, context.line) : siblingKeys(text, context.line, context.column);
  const items: CompletionItem[] = [];
  const applies = kind === 'executor' ? executorKeyFilter(analysis, context.path[1]) : () => true;
  for (const spec of KEYS[kind].values()) {
    if (present.has(spec.name) || !applies(spec.name)) continue;
    items.push({ label: spec.name, kind: 'key', detail: describeKind(spec), documentation: docOf(spec), ...insertKey(spec, step, context.column < 0) });
  }
  return items;
}

function docOf(spec: KeySpec): string {
  return spec.values === undefined ? spec.doc : `${spec.doc}\n\n${l10n.t('One of: {0}.', spec.values.map((v) => `\`${v}\``).join(', '))}`;
}

function describeKind(spec: KeySpec): string {
  switch (spec.kind) {
    case 'ids':
      return l10n.t('block ids');
    case 'text':
      return l10n.t('command');
    case 'map':
    case 'variables':
    case 'blocks':
      return l10n.t('mapping');
    case 'retry':
      return l10n.t('attempts or mapping');
    case 'cron':
      return l10n.t('cron schedule');
    case 'expression':
      return l10n.t('condition');
    default:
      return spec.values === undefined ? spec.kind : spec.values.join(' | ');
  }
}

function insertKey(spec: KeySpec, step: string, flow: boolean): Pick<CompletionItem, 'insertText' | 'snippet' | 'retrigger'> {
  const name = spec.name;
  if (flow) return { insertText: `${name}: ` };
  if (spec.values !== undefined) return { insertText: `${name}: `, retrigger: true };
  switch (spec.kind) {
    case 'map':
    case 'variables':
    case 'blocks':
      return { insertText: `${name}:\n${step}$0`, snippet: true };
    case 'ids':
      return { insertText: `${name}: [$0]`, snippet: true, retrigger: true };
    case 'list':
      return { insertText: `${name}: [$0]`, snippet: true };
    case 'boolean':
      return { insertText: `${name}: \${1|true,false|}`, snippet: true };
    case 'text':
      return { insertText: `${name}: $0`, snippet: true };
    default:
      return { insertText: `${name}: ` };
  }
}

/** Keys already written in the mapping whose keys sit at `column` around the cursor line. */
function siblingKeys(text: string, line: LineBounds, column: number): Set<string> {
  const keys = new Set<string>();
  const visit = (l: LineBounds): boolean => {
    const indent = indentOf(text, l, column + 1);
    const first = text[l.start + indent];
    if (l.start + indent >= l.end || first === '#' || first === '\r') return true;
    if (indent < column) return false;
    if (indent === column) {
      const shape = shapeOf(text, l);
      if (shape.key !== undefined && !shape.dash) keys.add(shape.key.name);
    }
    return true;
  };
  for (let l = previousLine(text, line.start); l !== undefined && visit(l); l = previousLine(text, l.start));
  for (let l = nextLine(text, line); l !== undefined && visit(l); l = nextLine(text, l));
  return keys;
}

function flowKeys(text: string, line: LineBounds): Set<string> {
  return new Set([...text.slice(line.start, line.end).matchAll(/[{,]\s*([A-Za-z_][A-Za-z0-9_-]*)\s*:/g)].map((m) => m[1] ?? ''));
}

/** The file's indentation unit, from its first indented line. */
function indentStep(text: string): string {
  const m = /\n( +)\S/.exec(text.slice(0, 4096));
  return m?.[1] ?? '  ';
}

function newBlockSnippets(context: CursorContext, analysis: DocumentAnalysis | undefined, step: string): CompletionItem[] {
  const items: CompletionItem[] = [{
    label: l10n.t('new block'), kind: 'snippet', detail: l10n.t('a block with a command'),
    documentation: l10n.t('Inserts a block: an id and the `run` command.'), insertText: `\${1:id}:\n${step}run: \${2:echo hello}$0`, snippet: true,
  }];
  const above = analysis?.result.pipeline.blocks.filter((b) => b.idSpan.start < context.line.start).pop();
  if (above !== undefined) {
    items.push({
      label: l10n.t('new block after {0}', above.id), kind: 'snippet', detail: l10n.t('a block that depends on {0}', above.id),
      documentation: l10n.t('Inserts a block that runs once `{0}` has finished.', above.id),
      insertText: `\${1:id}:\n${step}depends_on: [${above.id}]\n${step}run: \${2:echo hello}$0`, snippet: true,
    });
  }
  return items;
}

function newTriggerSnippets(step: string): CompletionItem[] {
  const snippet = (label: string, detail: string, body: string): CompletionItem => ({
    label, kind: 'snippet', detail, documentation: l10n.t('Inserts a trigger that {0}.', detail), insertText: `\${1:${label}}:\n${step}${body}$0`, snippet: true,
  });
  return [
    snippet('nightly', l10n.t('runs on a cron schedule'), 'cron: "${2:0 3 * * *}"'),
    snippet('office-hours', l10n.t('runs at an interval inside business hours'), `every: \${2:30m}\n${step}between: "\${3:09:00-17:30}"\n${step}days: \${4:mon-fri}`),
    snippet('on-data', l10n.t('runs when files change'), `files: ["\${2:data/**/*.csv}"]`),
    snippet('after-upstream', l10n.t('runs when another pipeline\'s run ends'), 'after: ${2:upstream.pipeline.yaml}'),
    snippet('keep-fresh', l10n.t('runs again as soon as the previous run ended'), `always: true\n${step}min_gap: \${2:1m}`),
  ];
}

// ---- values

const BOOLEANS = ['true', 'false'];
const SCHEDULES = ['@hourly', '@daily', '@weekly', '@monthly', '@yearly'];

function valueItems(text: string, context: CursorContext, analysis: DocumentAnalysis | undefined): CompletionItem[] {
  const path = context.path;
  const last = path[path.length - 1] ?? '';
  if (path.length === 3 && path[0] === 'blocks' && last === 'depends_on') {
    if (analysis === undefined) return [];
    const typed = text.slice(context.word.start, context.word.end);
    return dependencyItems(analysis.result, path[1] ?? '', typed);
  }
  if (context.inList) return [];
  if (last === 'executor' && (path.length === 1 || (path.length === 3 && path[0] === 'blocks'))) return executorNameItems(analysis);
  if (last === 'group' && path.length === 3 && path[0] === 'blocks') return groupNameItems(analysis);
  const keyContext: KeyContext | undefined = keyContextOfKey(path);
  const spec = keyContext === undefined ? undefined : KEYS[keyContext].get(last);
  if (spec?.values !== undefined) return spec.values.map((v) => ({ label: v, kind: 'value', detail: spec.name }));
  if (spec?.kind === 'boolean') return BOOLEANS.map((v) => ({ label: v, kind: 'value' }));
  if (keyContext === 'variable' && last === 'default') return defaultItems(analysis, path[1] ?? '');
  if ((path.length === 1 && last === 'schedule') || (path.length === 3 && path[0] === 'triggers' && last === 'cron')) return SCHEDULES.map((v) => ({ label: v, kind: 'value', insertText: `"${v}"` }));
  return [];
}

/** In a profile whose `type` is known, only the keys that type takes. */
function executorKeyFilter(analysis: DocumentAnalysis | undefined, profile: string | undefined): (key: string) => boolean {
  const type = profile === undefined ? undefined : analysis?.result.pipeline.executors.get(profile)?.type;
  if (type === undefined) return () => true;
  const allowed = new Set(keysOfType(type));
  return (key) => allowed.has(key);
}

function executorNameItems(analysis: DocumentAnalysis | undefined): CompletionItem[] {
  const profiles = [...(analysis?.result.pipeline.executors.values() ?? [])];
  const items: CompletionItem[] = profiles.map((p) => ({ label: p.name, kind: 'value', detail: l10n.t('{0} executor', p.type) }));
  if (!profiles.some((p) => p.name === BUILTIN_EXECUTOR)) items.unshift({ label: BUILTIN_EXECUTOR, kind: 'value', detail: l10n.t('a process on this machine') });
  return items;
}

/** The group names other blocks of the file already use, with how many blocks each holds. */
function groupNameItems(analysis: DocumentAnalysis | undefined): CompletionItem[] {
  const counts = new Map<string, number>();
  for (const block of analysis?.result.pipeline.blocks ?? []) if (block.group !== undefined) counts.set(block.group.name, (counts.get(block.group.name) ?? 0) + 1);
  return [...counts].map(([name, n]) => ({ label: name, kind: 'value', detail: n === 1 ? l10n.t('group of 1 block') : l10n.t('group of {0} blocks', n) }));
}

/** A variable's default: its enum values, or true/false for a boolean. */
function defaultItems(analysis: DocumentAnalysis | undefined, name: string): CompletionItem[] {
  const variable = analysis?.result.pipeline.variables.get(name);
  if (variable?.enum !== undefined) return variable.enum.map((v) => ({ label: String(v), kind: 'value', detail: l10n.t('enum of {0}', name) }));
  if (variable?.type === 'boolean') return BOOLEANS.map((v) => ({ label: v, kind: 'value' }));
  return [];
}

/**
 * Blocks `self` may depend on: not itself, not one already listed, and not one downstream of it,
 * since that would close a cycle. In file order, which is how the user thinks of upstream.
 */
function dependencyItems(result: DocumentAnalysis['result'], self: string, typed: string): CompletionItem[] {
  const { pipeline, dag } = result;
  const excluded = dag.downstream(self);
  excluded.add(self);
  for (const dep of pipeline.blockById.get(self)?.dependsOn ?? []) if (dep.name !== typed) excluded.add(dep.name);
  const items: CompletionItem[] = [];
  const width = String(pipeline.blocks.length).length;
  pipeline.blocks.forEach((block, i) => {
    if (excluded.has(block.id)) return;
    items.push({ label: block.id, kind: 'block', detail: summary(block), sortText: String(i).padStart(width, '0') });
  });
  return items;
}

function summary(block: Block): string {
  const text = block.description ?? block.run?.value.trim().split('\n')[0] ?? '';
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

// ---- expressions

/** A function, not a constant: the texts are in the language the server was initialised with. */
const rootDocs = (): Record<string, string> => ({
  vars: l10n.t('A variable of the run: `vars.NAME`.'),
  env: l10n.t('An environment variable: `env.NAME` (`null` when unset).'),
  blocks: l10n.t('An upstream block: `blocks.ID.outputs.NAME` or `blocks.ID.status`.'),
  pipeline: l10n.t('The pipeline: `pipeline.name`.'),
  run: l10n.t('The run: `run.id`.'),
  item: l10n.t('In a `foreach` block: the current item; `item.index` (from 0) and `item.name` (its file name).'),
});

function expressionItems(expression: ExpressionCursor, analysis: DocumentAnalysis | undefined): CompletionItem[] {
  const [root, second, third, ...rest] = expression.segments;
  const field = expression.field;
  const self = field.where === 'block' ? field.block : undefined;
  if (root === undefined) {
    return Object.entries(rootDocs())
      .filter(([name]) => (name !== 'blocks' || self !== undefined) && (name !== 'item' || (self !== undefined && analysis?.result.pipeline.blockById.get(self)?.foreach !== undefined)))
      .map(([name, doc]) => name === 'item'
        ? { label: name, kind: 'root', documentation: doc, retrigger: false }
        : { label: name, kind: 'root', documentation: doc, retrigger: true, insertText: `${name}.`, filterText: name });
  }
  if (rest.length > 0 || analysis === undefined) return [];
  const { pipeline, dag } = analysis.result;
  if (second === undefined) {
    switch (root) {
      case 'vars':
        return [...pipeline.variables.values()].map((v) => ({
          label: v.name, kind: 'variable', detail: v.default === null ? v.type ?? 'string' : `${v.type ?? typeof v.default} = ${String(v.default)}`,
          ...(v.description === undefined ? {} : { documentation: v.description }),
        }));
      case 'env':
        return envItems(pipeline, field);
      case 'blocks':
        if (self === undefined) return [];
        return [...dag.upstream(self)].map((id) => {
          const block = pipeline.blockById.get(id);
          return { label: id, kind: 'block', detail: block === undefined ? '' : summary(block), insertText: `${id}.`, filterText: id, retrigger: true };
        });
      case 'pipeline':
        return [{ label: 'name', kind: 'member', detail: pipeline.name }];
      case 'run':
        return [{ label: 'id', kind: 'member', detail: l10n.t('the run identifier') }];
      case 'item':
        return [{ label: 'index', kind: 'member', detail: l10n.t('position of the item, from 0') }, { label: 'name', kind: 'member', detail: l10n.t('file name of the item') }];
      default:
        return [];
    }
  }
  if (root !== 'blocks') return [];
  if (third === undefined) {
    return [
      { label: 'outputs', kind: 'member', detail: l10n.t('values the block wrote'), insertText: 'outputs.', filterText: 'outputs', retrigger: true },
      { label: 'status', kind: 'member', detail: l10n.t('completed, cached or failed') },
    ];
  }
  if (third !== 'outputs') return [];
  return (pipeline.blockById.get(second)?.outputs ?? []).map((o) => ({ label: o.name, kind: 'output', detail: l10n.t('output of {0}', second) }));
}

/** The names `env.` can see at this place, each with the value it has there. */
function envItems(pipeline: Pipeline, field: ExpressionCursor['field']): CompletionItem[] {
  const layers = [];
  if (field.where === 'block' || field.field !== 'env') layers.push(pipeline.env);
  if (field.where === 'block' || field.field === 'defaults.cwd') layers.push(pipeline.defaults.env);
  if (field.where === 'block' && field.field !== 'env') layers.push(pipeline.blockById.get(field.block)?.env ?? []);
  const values = new Map<string, string>();
  for (const layer of layers) for (const entry of layer) values.set(entry.name, entry.value.value);
  return [...values].map(([name, value]) => ({ label: name, kind: 'env', detail: value }));
}
