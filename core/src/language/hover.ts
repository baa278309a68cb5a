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
    const values = spec.values === undefined ? '' : `\n\nOne of: ${spec.values.map((v) => `\`${v}\``).join(', ')}.`;
    return { contents: `**${spec.name}**\n\n${spec.doc}${values}`, span: last.key.span };
  }
  const executorHover = executorValueHover(pipeline, location.path, location.scalar);
  if (executorHover !== undefined) return executorHover;
  if (location.path.length === 1 && location.path[0] === 'schedule' && location.scalar !== undefined && typeof location.scalar.value === 'string') {
    const cron = describeCron(location.scalar.value, options.now, options.timeZone);
    if (cron === undefined) return undefined;
    const zone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const next = cron.next.map((t) => `- ${t}`).join('\n');
    return { contents: `**Schedule** \`${location.scalar.value}\`: ${cron.words}.\n\nNext runs (${zone}):\n${next}`, span: location.scalar.span };
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
    const contents = name === BUILTIN_EXECUTOR ? '**Executor `local`**: a process on this machine, in the block\'s shell.' : `**Executor \`${name}\`**: no profile has this name under \`executors\`.`;
    return { contents, span: scalar.span };
  }
  const facts = [
    profile.image && `image \`${profile.image}\``, profile.partition && `partition \`${profile.partition}\``, profile.namespace && `namespace \`${profile.namespace}\``,
    profile.cpus !== undefined && `${profile.cpus} CPUs`, profile.memoryMb !== undefined && `memory ${formatMemory(profile.memoryMb, 'slurm')}`,
    profile.gres && `gres \`${profile.gres}\``, profile.timeMs !== undefined && `time limit ${formatDuration(profile.timeMs)}`,
  ].filter((f): f is string => typeof f === 'string' && f !== '');
  return { contents: `**Executor \`${name}\`** (${profile.type})${facts.length > 0 ? `: ${facts.join(', ')}` : ''}.`, span: scalar.span };
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
      return { contents: `**pipeline.name**: the pipeline's name, \`${pipeline.name}\`.`, span };
    case 'run':
      return { contents: '**run.id**: the identifier of the run, also in `$PIPELINE_RUN_ID`. It changes on every run, so a block using it is never cached.', span };
    case 'env': {
      const declared = [...pipeline.env, ...pipeline.defaults.env, ...pipeline.blocks.flatMap((b) => b.env)].filter((e) => e.name === ref.name);
      const where = declared.length === 0 ? 'Not declared in this pipeline: read from the environment of the run, `null` when unset.' : `Declared here as ${[...new Set(declared.map((e) => `\`${e.value.value}\``))].join(', ')}.`;
      return { contents: `**Environment variable \`${ref.name}\`**\n\n${where}`, span };
    }
    case 'item':
      return { contents: ref.member === 'value' ? '**item**: the current item of this `foreach` block (a line, a list entry or a matched path). Substituted as data, never as code.'
        : ref.member === 'index' ? '**item.index**: the position of the current item, from 0 (`resize[3]` has index 3).'
          : '**item.name**: the file name of the current item (the part after the last `/`).', span };
    case 'blockStatus':
      return { contents: `**blocks.${ref.block}.status**: \`completed\`, \`cached\`, or \`failed\` when the block has \`continue_on_error\`.`, span };
    default:
      return undefined;
  }
}

function blockHover(analysis: DocumentAnalysis, id: string): string {
  const { pipeline, dag } = analysis.result;
  const block = pipeline.blockById.get(id);
  if (block === undefined) return `**Block \`${id}\`**: no block has this id in this pipeline.`;
  const lines = [`**Block \`${id}\`**${block.description !== undefined ? `: ${block.description}` : ''}`];
  const command = block.run?.value.replace(/\n+$/, '').split('\n');
  if (command !== undefined && command.length > 0) {
    const shown = command.slice(0, COMMAND_LINES);
    if (command.length > COMMAND_LINES) shown.push('…');
    lines.push(`\`\`\`${fenceLanguage(block, pipeline)}\n${shown.join('\n')}\n\`\`\``);
  }
  const upstream = dag.directUpstream(id);
  const downstream = dag.directDownstream(id);
  lines.push(`Upstream: ${listBlocks(upstream)}  \nDownstream: ${listBlocks(downstream)}`);
  return lines.join('\n\n');
}

function listBlocks(ids: readonly string[]): string {
  if (ids.length === 0) return 'none';
  const shown = ids.slice(0, LISTED_BLOCKS).map((id) => `\`${id}\``).join(', ');
  return ids.length > LISTED_BLOCKS ? `${shown} and ${ids.length - LISTED_BLOCKS} more` : shown;
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
  const facts = [variable.default === null ? 'No default: every run must set it.' : `Default: \`${String(variable.default)}\``];
  if (variable.enum !== undefined) facts.push(`One of: ${variable.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  const parts = [`**Variable \`${variable.name}\`** (${type})`, facts.join('  \n')];
  if (variable.description !== undefined) parts.push(variable.description);
  parts.push(`In commands also \`$PIPELINE_VAR_${variable.name.toUpperCase()}\`.`);
  return parts.join('\n\n');
}

function outputHover(pipeline: Pipeline, blockId: string, name: string): string {
  const block = pipeline.blockById.get(blockId);
  const title = `**Output \`${name}\`** of block \`${blockId}\``;
  if (block === undefined) return title;
  if (block.outputs === undefined) {
    return `${title}\n\nThe block declares no \`outputs\`, so any name may be read; the value is empty unless its command writes \`${name}=…\` to \`$PIPELINE_OUTPUT\`.`;
  }
  if (!block.outputs.some((o) => o.name === name)) return `${title}\n\nNot declared: the block declares ${block.outputs.map((o) => `\`${o.name}\``).join(', ') || 'no outputs'}.`;
  return `${title}\n\nThe command writes it as \`${name}=…\` to \`$PIPELINE_OUTPUT\`; a successful attempt that does not fails.`;
}
