import * as l10n from '@vscode/l10n';
import { diagnostic, type Span } from '../model/diagnostic.ts';
import { readApproval } from './readApproval.ts';
import { readGroup } from './readGroup.ts';
import { readProfiles, readSubPipeline } from './readSubPipeline.ts';
import { readFanOut } from './readForEach.ts';
import {
  SHELLS, VARIABLE_TYPES,
  type Block, type CacheSpec, type Defaults, type EnvEntry, type Pipeline, type RetryPolicy, type ShellName, type VariableDef, type VariableType,
} from '../model/pipeline.ts';
import { BLOCK_ID_PATTERN, VARIABLE_NAME_PATTERN } from '../model/schema.ts';
import type { ScalarValue, YMap, YNode, YPair } from '../yaml/ast.ts';
import { didYouMean } from '../util/didYouMean.ts';
import { parseCron } from '../util/cron.ts';
import { NodeReader } from './reader.ts';
import { readTriggerKeys } from './readTriggers.ts';
import { readExecutorKeys, readExecutorName, readResources } from './readExecutors.ts';

/** Builds the pipeline model from the YAML tree, reporting every shape and value mistake. */
export function buildPipeline(root: YNode | undefined, text: string, fileName: string | undefined, r: NodeReader): Pipeline {
  const pipeline: Pipeline = {
    name: defaultName(fileName),
    nameSpan: undefined,
    description: undefined,
    variables: new Map(),
    env: [],
    defaults: { shell: undefined, cwd: undefined, timeoutMs: undefined, retry: undefined, env: [] },
    concurrency: undefined,
    timeoutMs: undefined,
    schedule: undefined,
    triggers: [],
    overlap: 'skip',
    catchUp: 'none',
    onFailure: undefined,
    executors: new Map(),
    executor: undefined,
    blocks: [],
    blockById: new Map(),
    root: undefined,
    rootNode: root,
  };
  const wholeFile = { start: 0, end: Math.min(text.length, Math.max(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'))) };
  if (root === undefined || (root.kind === 'scalar' && root.value === null)) {
    r.error('no-blocks', wholeFile, l10n.t('This pipeline has no blocks; add a `blocks:` mapping with at least one block.'));
    return pipeline;
  }
  if (root.kind !== 'map') {
    r.error('invalid-type', root.span, l10n.t('A pipeline file must be a YAML mapping with at least a `blocks:` key.'));
    return pipeline;
  }
  pipeline.root = root;
  const top = r.pairs(root, 'top', 'the pipeline');
  const name = top.get('name');
  if (name) {
    const value = r.string(name.value, '`name`', name.key.span);
    if (value !== undefined) {
      pipeline.name = value;
      pipeline.nameSpan = name.value?.span;
    }
  }
  pipeline.description = optional(top.get('description'), (p) => r.string(p.value, '`description`', p.key.span));
  const variables = top.get('variables');
  if (variables) readVariables(r, variables, pipeline.variables);
  pipeline.env = readEnv(r, top.get('env'), '`env`');
  const defaults = top.get('defaults');
  if (defaults) pipeline.defaults = readDefaults(r, defaults);
  pipeline.concurrency = optional(top.get('concurrency'), (p) => r.number(p.value, '`concurrency`', { integer: true, min: 1 }));
  pipeline.timeoutMs = optional(top.get('timeout'), (p) => r.duration(p.value, '`timeout`'));
  const schedule = top.get('schedule');
  if (schedule) {
    const value = r.textValue(schedule.value, '`schedule`', schedule.key.span);
    if (value) {
      const cron = parseCron(value.value);
      if ('error' in cron) r.error('invalid-cron', value.span, cron.error);
      else pipeline.schedule = value;
    }
  }
  const profiles = top.get('profiles');
  if (profiles) pipeline.profiles = readProfiles(r, profiles);
  readTriggerKeys(r, top, pipeline);
  readExecutorKeys(r, top, pipeline);
  const blocks = top.get('blocks');
  const blocksMap = blocks ? r.map(blocks.value, '`blocks`', blocks.key.span) : undefined;
  if (blocksMap) readBlocks(r, blocksMap, pipeline);
  if (pipeline.blocks.length === 0) {
    const at = blocks ? blocks.key.span : wholeFile;
    r.error('no-blocks', at, blocks ? l10n.t('`blocks` is empty; add at least one block with a `run` command.') : l10n.t('This pipeline has no `blocks:`; add at least one block with a `run` command.'));
  }
  return pipeline;
}

function defaultName(fileName: string | undefined): string {
  if (fileName === undefined) return 'pipeline';
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.pipeline\.ya?ml$/i, '').replace(/\.ya?ml$/i, '') || 'pipeline';
}

function optional<T>(pair: YPair | undefined, read: (p: YPair) => T | undefined): T | undefined {
  return pair ? read(pair) : undefined;
}

function readVariables(r: NodeReader, pair: YPair, into: Map<string, VariableDef>): void {
  const map = r.map(pair.value, '`variables`', pair.key.span);
  if (!map) return;
  for (const [name, entry] of r.pairs(map, undefined, '`variables`')) {
    if (!VARIABLE_NAME_PATTERN.test(name)) {
      r.error('invalid-value', entry.key.span, l10n.t('Variable name \'{0}\' must be letters, digits and _ (not starting with a digit), since it also becomes the environment variable PIPELINE_VAR_{1}.', name, name.toUpperCase()));
      continue;
    }
    into.set(name, readVariable(r, name, entry));
  }
}

function readVariable(r: NodeReader, name: string, entry: YPair): VariableDef {
  const def: VariableDef = { name, keySpan: entry.key.span, span: entry.span, default: null, type: undefined, description: undefined, enum: undefined };
  const node = entry.value;
  if (node === undefined) return def;
  if (node.kind === 'scalar') {
    def.default = node.value;
    return def;
  }
  if (node.kind === 'seq') {
    r.error('invalid-type', node.span, `Variable '${name}' must be a value or { default, description, type, enum }, not a list.`);
    return def;
  }
  const spec = r.pairs(node, 'variable', `variable '${name}'`);
  def.description = optional(spec.get('description'), (p) => r.string(p.value, '`description`', p.key.span));
  const type = spec.get('type');
  if (type) {
    const value = r.string(type.value, '`type`', type.key.span);
    if (value !== undefined) {
      if ((VARIABLE_TYPES as readonly string[]).includes(value)) def.type = value as VariableType;
      else r.error('invalid-value', type.value?.span ?? type.key.span, l10n.t('Variable type \'{0}\' is not one of {1}.', value, VARIABLE_TYPES.join(', ')), didYouMean(value, VARIABLE_TYPES));
    }
  }
  const enumPair = spec.get('enum');
  if (enumPair) {
    if (enumPair.value?.kind === 'seq') {
      def.enum = [];
      for (const item of enumPair.value.items) {
        if (item.kind === 'scalar') def.enum.push(item.value);
        else r.error('invalid-type', item.span, l10n.t('Values of `enum` must be strings, numbers or booleans, not {0}.', item.kind === 'map' ? 'a mapping' : 'a list'));
      }
      if (def.enum.length === 0) r.error('invalid-value', enumPair.value.span, l10n.t('`enum` needs at least one value.'));
    } else {
      r.error('invalid-type', enumPair.value?.span ?? enumPair.key.span, l10n.t('`enum` must be a list of allowed values.'));
    }
  }
  const dflt = spec.get('default');
  if (dflt) {
    if (dflt.value === undefined || dflt.value.kind === 'scalar') {
      def.default = dflt.value?.kind === 'scalar' ? dflt.value.value : null;
      checkDefault(r, def, dflt.value?.span ?? dflt.key.span);
    } else {
      r.error('invalid-type', dflt.value.span, l10n.t('The default of variable \'{0}\' must be a string, number or boolean.', name));
    }
  }
  return def;
}

function checkDefault(r: NodeReader, def: VariableDef, span: Span): void {
  const v = def.default;
  if (v === null) return;
  const type = def.type ?? 'string';
  if (type === 'number' && typeof v !== 'number') r.error('invalid-value', span, l10n.t('The default of \'{0}\' must be a number, since its type is number.', def.name));
  else if (type === 'boolean' && typeof v !== 'boolean') r.error('invalid-value', span, l10n.t('The default of \'{0}\' must be true or false, since its type is boolean.', def.name));
  if (def.enum !== undefined && def.enum.length > 0 && !def.enum.some((e) => sameValue(e, v))) {
    r.error('invalid-value', span, l10n.t('The default of \'{0}\' ({1}) is not among its enum values: {2}.', def.name, String(v), def.enum.map(String).join(', ')));
  }
}

function sameValue(a: ScalarValue, b: ScalarValue): boolean {
  return a === b || String(a) === String(b);
}

function readEnv(r: NodeReader, pair: YPair | undefined, what: string): EnvEntry[] {
  if (!pair) return [];
  const map = r.map(pair.value, what, pair.key.span);
  if (!map) return [];
  const out: EnvEntry[] = [];
  for (const [name, entry] of r.pairs(map, undefined, what)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      r.error('invalid-value', entry.key.span, l10n.t('\'{0}\' is not a valid environment variable name (letters, digits and _, not starting with a digit).', name));
      continue;
    }
    if (entry.value !== undefined && entry.value.kind !== 'scalar') {
      r.error('invalid-type', entry.value.span, l10n.t('Environment variable \'{0}\' must be a string, not {1}.', name, entry.value.kind === 'map' ? 'a mapping' : 'a list'));
      continue;
    }
    const value = entry.value ? r.textOf(entry.value) : { value: '', span: entry.key.span, sourceStart: entry.key.span.end, source: '' };
    if (entry.value?.kind === 'scalar' && entry.value.value === null) value.value = '';
    out.push({ name, keySpan: entry.key.span, value });
  }
  return out;
}

function readShell(r: NodeReader, pair: YPair | undefined): ShellName | undefined {
  if (!pair) return undefined;
  const value = r.string(pair.value, '`shell`', pair.key.span);
  if (value === undefined) return undefined;
  if ((SHELLS as readonly string[]).includes(value)) return value as ShellName;
  r.error('invalid-value', pair.value?.span ?? pair.key.span, l10n.t('Unknown shell \'{0}\'; use one of {1}.', value, SHELLS.join(', ')), didYouMean(value, SHELLS));
  return undefined;
}

function readRetry(r: NodeReader, pair: YPair | undefined): RetryPolicy | undefined {
  if (!pair || pair.value === undefined) return undefined;
  const node = pair.value;
  const policy: RetryPolicy = { attempts: 1, delayMs: 0, backoff: 2, maxDelayMs: undefined, span: node.span };
  if (node.kind === 'scalar') {
    if (typeof node.value === 'number' && Number.isInteger(node.value) && node.value >= 1) {
      policy.attempts = node.value;
      return policy;
    }
    r.error('invalid-retry', node.span, `\`retry\` must be a number of attempts (1 or more) or { attempts, delay, backoff, max_delay }, not ${node.value === null ? 'null' : `'${String(node.value)}'`}.`);
    return undefined;
  }
  if (node.kind === 'seq') {
    r.error('invalid-retry', node.span, '`retry` must be a number of attempts or { attempts, delay, backoff, max_delay }, not a list.');
    return undefined;
  }
  const spec = r.pairs(node, 'retry', '`retry`');
  let ok = true;
  const attempts = spec.get('attempts');
  if (attempts) {
    const v = attempts.value;
    if (v?.kind === 'scalar' && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 1) policy.attempts = v.value;
    else {
      r.error('invalid-retry', v?.span ?? attempts.key.span, l10n.t('`attempts` is the total number of tries: a whole number, 1 or more.'));
      ok = false;
    }
  }
  const delay = spec.get('delay');
  if (delay) {
    const ms = r.duration(delay.value, '`delay`');
    if (ms === undefined) ok = false;
    else policy.delayMs = ms;
  }
  const backoff = spec.get('backoff');
  if (backoff) {
    const v = backoff.value;
    if (v?.kind === 'scalar' && typeof v.value === 'number' && v.value >= 1 && Number.isFinite(v.value)) policy.backoff = v.value;
    else {
      r.error('invalid-retry', v?.span ?? backoff.key.span, l10n.t('`backoff` is the factor the delay grows by: a number, 1 or more.'));
      ok = false;
    }
  }
  const maxDelay = spec.get('max_delay');
  if (maxDelay) {
    const ms = r.duration(maxDelay.value, '`max_delay`');
    if (ms === undefined) ok = false;
    else if (ms < policy.delayMs) {
      r.error('invalid-retry', maxDelay.value?.span ?? maxDelay.key.span, l10n.t('`max_delay` is smaller than `delay`, so no try would wait as long as `delay` says.'));
      ok = false;
    } else policy.maxDelayMs = ms;
  }
  return ok ? policy : undefined;
}

function readDefaults(r: NodeReader, pair: YPair): Defaults {
  const defaults: Defaults = { shell: undefined, cwd: undefined, timeoutMs: undefined, retry: undefined, env: [] };
  const map = r.map(pair.value, '`defaults`', pair.key.span);
  if (!map) return defaults;
  const spec = r.pairs(map, 'defaults', '`defaults`');
  defaults.shell = readShell(r, spec.get('shell'));
  defaults.cwd = optional(spec.get('cwd'), (p) => r.textValue(p.value, '`cwd`', p.key.span));
  defaults.timeoutMs = optional(spec.get('timeout'), (p) => r.duration(p.value, '`timeout`'));
  defaults.retry = readRetry(r, spec.get('retry'));
  defaults.env = readEnv(r, spec.get('env'), '`defaults.env`');
  return defaults;
}

function readBlocks(r: NodeReader, map: YMap, pipeline: Pipeline): void {
  for (const [id, entry] of r.pairs(map, undefined, '`blocks`')) {
    if (!BLOCK_ID_PATTERN.test(id)) {
      r.error('invalid-block-id', entry.key.span, l10n.t('Block id \'{0}\' must start with a letter or _ and contain only letters, digits, _ and -.', id));
    }
    const block = readBlock(r, id, entry);
    pipeline.blocks.push(block);
    if (!pipeline.blockById.has(id)) pipeline.blockById.set(id, block);
  }
}

function readBlock(r: NodeReader, id: string, entry: YPair): Block {
  const block: Block = {
    id, idSpan: entry.key.span, span: entry.span, keys: new Map(), run: undefined, description: undefined, dependsOn: [],
    shell: undefined, cwd: undefined, env: [], retry: undefined, timeoutMs: undefined, condition: undefined,
    continueOnError: false, disabled: false, outputs: undefined, cache: undefined, executor: undefined, resources: undefined, approval: undefined,
    foreach: undefined, maxParallel: undefined,
  };
  const node = entry.value;
  if (node === undefined || node.kind !== 'map') {
    if (node !== undefined && !(node.kind === 'scalar' && node.value === null)) {
      r.error('invalid-type', node.span, l10n.t('Block \'{0}\' must be a mapping with at least `run`, not {1}.', id, node.kind === 'seq' ? 'a list' : 'a single value'));
    } else {
      r.error('missing-run', entry.key.span, l10n.t('Block \'{0}\' has no `run` command.', id));
    }
    return block;
  }
  const spec = r.pairs(node, 'block', `block '${id}'`);
  block.keys = spec;
  const run = spec.get('run');
  block.subPipeline = readSubPipeline(r, spec, id);
  if (!run) {
    if (!spec.has('pipeline')) r.error('missing-run', entry.key.span, l10n.t('Block \'{0}\' has no `run` command.', id));
  } else {
    block.run = r.textValue(run.value, '`run`', run.key.span, true);
    if (block.run && block.run.value.trim() === '') r.error('missing-run', run.value?.span ?? run.key.span, l10n.t('The `run` command of block \'{0}\' is empty.', id));
  }
  block.description = optional(spec.get('description'), (p) => r.string(p.value, '`description`', p.key.span));
  const deps = spec.get('depends_on');
  if (deps) {
    for (const item of r.stringList(deps.value, '`depends_on`')) block.dependsOn.push({ name: String(item.value), span: item.span });
  }
  block.shell = readShell(r, spec.get('shell'));
  block.cwd = optional(spec.get('cwd'), (p) => r.textValue(p.value, '`cwd`', p.key.span));
  block.env = readEnv(r, spec.get('env'), `the \`env\` of block '${id}'`);
  block.retry = readRetry(r, spec.get('retry'));
  block.timeoutMs = optional(spec.get('timeout'), (p) => r.duration(p.value, '`timeout`'));
  const condition = spec.get('if');
  if (condition) {
    if (condition.value?.kind === 'scalar' && typeof condition.value.value === 'boolean') block.condition = r.textOf(condition.value);
    else block.condition = r.textValue(condition.value, '`if`', condition.key.span, true);
  }
  block.continueOnError = optional(spec.get('continue_on_error'), (p) => r.boolean(p.value, '`continue_on_error`')) ?? false;
  block.disabled = optional(spec.get('disabled'), (p) => r.boolean(p.value, '`disabled`')) ?? false;
  const outputs = spec.get('outputs');
  if (outputs) {
    block.outputs = [];
    const seen = new Set<string>();
    for (const item of r.stringList(outputs.value, '`outputs`')) {
      const name = String(item.value);
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) r.error('invalid-value', item.span, l10n.t('Output name \'{0}\' must be letters, digits, _ and - (not starting with a digit).', name));
      else if (seen.has(name)) r.diagnostics.push(diagnostic('invalid-value', 'warning', item.span, l10n.t('Output \'{0}\' is declared twice.', name)));
      seen.add(name);
      block.outputs.push({ name, span: item.span });
    }
  }
  const cache = spec.get('cache');
  if (cache) block.cache = readCache(r, cache);
  block.executor = readExecutorName(r, spec.get('executor'));
  const resources = spec.get('resources');
  if (resources) block.resources = readResources(r, resources, `block '${id}'`);
  const approval = spec.get('approval');
  if (approval) block.approval = readApproval(r, approval, id);
  const group = readGroup(r, spec.get('group'));
  if (group !== undefined) block.group = group;
  readFanOut(r, spec, block);
  return block;
}

function readCache(r: NodeReader, pair: YPair): CacheSpec | undefined {
  const map = r.map(pair.value, '`cache`', pair.key.span);
  if (!map) return undefined;
  const spec = r.pairs(map, 'cache', '`cache`');
  const list = (key: string) => r.stringList(spec.get(key)?.value, `\`cache.${key}\``).map((s) => r.textOf(s));
  return { inputs: list('inputs'), outputs: list('outputs'), span: map.span };
}
