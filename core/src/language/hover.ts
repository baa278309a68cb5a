import * as l10n from '@vscode/l10n';
import type { Span } from '../model/diagnostic.ts';
import type { Block, Pipeline, VariableDef } from '../model/pipeline.ts';
import { KEYS } from '../model/schema.ts';
import { BUILTIN_EXECUTOR, formatMemory } from '../model/executors.ts';
import { formatDuration } from '../util/duration.ts';
import type { YScalar } from '../yaml/ast.ts';
import { allReferences, classifyReference, type ClassifiedReference } from '../expr/index.ts';
import type { DocumentAnalysis } from './analysis.ts';
import { describeCron } from './cronText.ts';
import { describeTrigger } from './triggerText.ts';
import { keyContextOfKey } from './keyPath.ts';
import { symbolAt, symbolIndex } from './symbols.ts';
import { locate } from './treeLocation.ts';
import type { HoverResult } from './types.ts';

export interface HoverOptions {
  /** For the next times of a schedule; now by default. */
  now?: Date;
  /** Time zone of those times; the machine's by default, as the runner uses. */
  timeZone?: string;
}

const COMMAND_LINES = 6;
const LISTED_BLOCKS = 12;

/**
 * What the cursor is on, explained: a block (its command, upstream and downstream), a variable
 * (type, default, description), an output, a reference member, a key (its documentation) or the
 * schedule (in words, with the next times it fires).
 */
export function hoverAt(analysis: DocumentAnalysis, offset: number, options: HoverOptions = {}): HoverResult | undefined {
  const { pipeline } = analysis.result;
  const symbol = symbolAt(symbolIndex(analysis), offset);
  if (symbol !== undefined) {
    if (symbol.kind === 'block') return { contents: blockHover(analysis, symbol.name), span: symbol.span };
    if (symbol.kind === 'variable') {
      const variable = pipeline.variables.get(symbol.name);
      return variable === undefined ? undefined : { contents: variableHover(variable), span: symbol.span };
    }
    const dot = symbol.name.indexOf('.');
    return { contents: outputHover(pipeline, symbol.name.slice(0, dot), symbol.name.slice(dot + 1)), span: symbol.span };
  }
  const reference = referenceAt(analysis, offset);
  if (reference !== undefined) return referenceHover(pipeline, reference.ref, reference.span);
  const location = locate(pipeline.root, offset);
  const last = location.pairs[location.pairs.length - 1];
  if (last === undefined) return undefined;
  if (location.path.length === 2 && location.path[0] === 'triggers' && location.onKey) {
    const trigger = pipeline.triggers.find((t) => t.name === location.path[1] && !t.short);
    return trigger === undefined ? undefined : { contents: describeTrigger(trigger, options.now, options.timeZone), span: last.key.span };
  }
  if (location.onKey) {
    const context = keyContextOfKey(location.path);
    const spec = context === undefined ? undefined : KEYS[context].get(location.path[location.path.length - 1] ?? '');
    if (spec === undefined) return undefined;
    const values = spec.values === undefined ? '' : `\n\n${l10n.t('One of: {0}.', spec.values.map((v) => `\`${v}\``).join(', '))}`;
    return { contents: `**${spec.name}**\n\n${spec.doc}${values}`, span: last.key.span };
  }
  const executorHover = executorValueHover(pipeline, location.path, location.scalar);
  if (executorHover !== undefined) return executorHover;
  if (location.path.length === 1 && location.path[0] === 'schedule' && location.scalar !== undefined && typeof location.scalar.value === 'string') {
    const cron = describeCron(location.scalar.value, options.now, options.timeZone);
    if (cron === undefined) return undefined;
    const zone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const next = cron.next.map((t) => `- ${t}`).join('\n');
    return { contents: `${l10n.t('**Schedule** `{0}`: {1}.', location.scalar.value, cron.words)}\n\n${l10n.t('Next runs ({0}):', zone)}\n${next}`, span: location.scalar.span };
  }
  return undefined;
}

/** On the value of `executor:` (top-level or a block's): what that profile is. */
function executorValueHover(pipeline: Pipeline, path: readonly string[], scalar: YScalar | undefined): HoverResult | undefined {
  const onExecutor = path[path.length - 1] === 'executor' && (path.length === 1 || (path.length === 3 && path[0] === 'blocks'));
  if (!onExecutor || scalar === undefined || scalar.value === null) return undefined;
  const name = String(scalar.value);
  const profile = pipeline.executors.get(name);
  if (profile === undefined) {
    const contents = name === BUILTIN_EXECUTOR ? l10n.t('**Executor `local`**: a process on this machine, in the block\'s shell.') : l10n.t('**Executor `{0}`**: no profile has this name under `executors`.', name);
    return { contents, span: scalar.span };
  }
  const facts = [
    profile.image && l10n.t('image `{0}`', profile.image), profile.partition && l10n.t('partition `{0}`', profile.partition), profile.namespace && l10n.t('namespace `{0}`', profile.namespace),
    profile.cpus !== undefined && l10n.t('{0} CPUs', profile.cpus), profile.memoryMb !== undefined && l10n.t('memory {0}', formatMemory(profile.memoryMb, 'slurm')),
    profile.gres && l10n.t('gres `{0}`', profile.gres), profile.timeMs !== undefined && l10n.t('time limit {0}', formatDuration(profile.timeMs)),
  ].filter((f): f is string => typeof f === 'string' && f !== '');
  return { contents: `${l10n.t('**Executor `{0}`** ({1})', name, profile.type)}${facts.length > 0 ? `: ${facts.join(', ')}` : ''}.`, span: scalar.span };
}

/** A reference in an expression whose segments hold the offset but name no symbol (`status`, `env.X`, `run.id`). */
function referenceAt(analysis: DocumentAnalysis, offset: number): { ref: ClassifiedReference; span: Span } | undefined {
  for (const found of analysis.result.expressions) {
    if (offset < found.expr.start || offset > found.expr.end) continue;
    for (const ref of allReferences(found.expr)) {
      if (offset >= ref.start && offset <= ref.end) return { ref: classifyReference(ref), span: { start: ref.start, end: ref.end } };
    }
  }
  return undefined;
}

function referenceHover(pipeline: Pipeline, ref: ClassifiedReference, span: Span): HoverResult | undefined {
  switch (ref.kind) {
    case 'pipeline':
      return { contents: l10n.t('**pipeline.name**: the pipeline\'s name, `{0}`.', pipeline.name), span };
    case 'run':
      return { contents: l10n.t('**run.id**: the identifier of the run, also in `$PIPELINE_RUN_ID`. It changes on every run, so a block using it is never cached.'), span };
    case 'env': {
      const declared = [...pipeline.env, ...pipeline.defaults.env, ...pipeline.blocks.flatMap((b) => b.env)].filter((e) => e.name === ref.name);
      const where = declared.length === 0 ? l10n.t('Not declared in this pipeline: read from the environment of the run, `null` when unset.') : l10n.t('Declared here as {0}.', [...new Set(declared.map((e) => `\`${e.value.value}\``))].join(', '));
      return { contents: `${l10n.t('**Environment variable `{0}`**', ref.name)}\n\n${where}`, span };
    }
    case 'item':
      return { contents: ref.member === 'value' ? l10n.t('**item**: the current item of this `foreach` block (a line, a list entry or a matched path). Substituted as data, never as code.')
        : ref.member === 'index' ? l10n.t('**item.index**: the position of the current item, from 0 (`resize[3]` has index 3).')
          : l10n.t('**item.name**: the file name of the current item (the part after the last `/`).'), span };
    case 'blockStatus':
      return { contents: l10n.t('**blocks.{0}.status**: `completed`, `cached`, or `failed` when the block has `continue_on_error`.', ref.block), span };
    default:
      return undefined;
  }
}

function blockHover(analysis: DocumentAnalysis, id: string): string {
  const { pipeline, dag } = analysis.result;
  const block = pipeline.blockById.get(id);
  if (block === undefined) return l10n.t('**Block `{0}`**: no block has this id in this pipeline.', id);
  const lines = [`${l10n.t('**Block `{0}`**', id)}${block.description !== undefined ? `: ${block.description}` : ''}`];
  const command = block.run?.value.replace(/\n+$/, '').split('\n');
  if (command !== undefined && command.length > 0) {
    const shown = command.slice(0, COMMAND_LINES);
    if (command.length > COMMAND_LINES) shown.push('…');
    lines.push(`\`\`\`${fenceLanguage(block, pipeline)}\n${shown.join('\n')}\n\`\`\``);
  }
  const upstream = dag.directUpstream(id);
  const downstream = dag.directDownstream(id);
  lines.push(`${l10n.t('Upstream: {0}', listBlocks(upstream))}  \n${l10n.t('Downstream: {0}', listBlocks(downstream))}`);
  return lines.join('\n\n');
}

function listBlocks(ids: readonly string[]): string {
  if (ids.length === 0) return l10n.t('none');
  const shown = ids.slice(0, LISTED_BLOCKS).map((id) => `\`${id}\``).join(', ');
  return ids.length > LISTED_BLOCKS ? l10n.t('{0} and {1} more', shown, ids.length - LISTED_BLOCKS) : shown;
}

function fenceLanguage(block: Block, pipeline: Pipeline): string {
  switch (block.shell ?? pipeline.defaults.shell ?? 'bash') {
    case 'pwsh':
      return 'powershell';
    case 'python':
      return 'python';
    case 'node':
      return 'javascript';
    default:
      return 'sh';
  }
}

function variableHover(variable: VariableDef): string {
  const type = variable.type ?? (variable.default === null ? 'string' : typeof variable.default);
  const facts = [variable.default === null ? l10n.t('No default: every run must set it.') : l10n.t('Default: `{0}`', String(variable.default))];
  if (variable.enum !== undefined) facts.push(l10n.t('One of: {0}', variable.enum.map((v) => `\`${String(v)}\``).join(', ')));
  const parts = [l10n.t('**Variable `{0}`** ({1})', variable.name, type), facts.join('  \n')];
  if (variable.description !== undefined) parts.push(variable.description);
  parts.push(l10n.t('In commands also `{0}`.', `$PIPELINE_VAR_${variable.name.toUpperCase()}`));
  return parts.join('\n\n');
}

function outputHover(pipeline: Pipeline, blockId: string, name: string): string {
  const block = pipeline.blockById.get(blockId);
  const title = l10n.t('**Output `{0}`** of block `{1}`', name, blockId);
  if (block === undefined) return title;
  if (block.outputs === undefined) {
    return `${title}\n\n${l10n.t('The block declares no `outputs`, so any name may be read; the value is empty unless its command writes `{0}=…` to `$PIPELINE_OUTPUT`.', name)}`;
  }
  if (!block.outputs.some((o) => o.name === name)) return `${title}\n\n${block.outputs.length === 0 ? l10n.t('Not declared: the block declares no outputs.') : l10n.t('Not declared: the block declares {0}.', block.outputs.map((o) => `\`${o.name}\``).join(', '))}`;
  return `${title}\n\n${l10n.t('The command writes it as `{0}=…` to `$PIPELINE_OUTPUT`; a successful attempt that does not fails.', name)}`;
}
