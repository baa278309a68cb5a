import * as l10n from '@vscode/l10n';
import {
  CONTAINER_ENGINES, EXECUTOR_TYPES, keysOfType, parseMemory,
  type ContainerEngineChoice, type ExecutorProfile, type ExecutorType, type Resources,
} from '../model/executors.ts';
import type { Named, Pipeline } from '../model/pipeline.ts';
import { EXECUTOR_NAME_PATTERN } from '../model/schema.ts';
import { didYouMean } from '../util/didYouMean.ts';
import { describeNode, type YNode, type YPair } from '../yaml/ast.ts';
import type { NodeReader } from './reader.ts';

/** `executors:` and the top-level `executor:`. Names are checked against profiles in validate/executorChecks.ts. */
export function readExecutorKeys(r: NodeReader, top: Map<string, YPair>, pipeline: Pipeline): void {
  pipeline.executor = readExecutorName(r, top.get('executor'));
  readProfiles(r, top.get('executors'), pipeline.executors);
}

/** The profiles under an `executors:` key (of a pipeline, or of .pipelines/executors.yaml), the valid ones into `into`. */
export function readProfiles(r: NodeReader, pair: YPair | undefined, into: Map<string, ExecutorProfile>): void {
  const map = pair === undefined ? undefined : r.map(pair.value, '`executors`', pair.key.span);
  if (map === undefined) return;
  for (const [name, entry] of r.pairs(map, undefined, '`executors`')) {
    if (!EXECUTOR_NAME_PATTERN.test(name)) {
      r.error('invalid-value', entry.key.span, l10n.t('Executor name \'{0}\' must start with a letter or _ and contain only letters, digits, _ and -.', name));
      continue;
    }
    const profile = readProfile(r, name, entry);
    if (profile !== undefined) into.set(name, profile);
  }
}

export function readExecutorName(r: NodeReader, pair: YPair | undefined): Named | undefined {
  if (pair === undefined) return undefined;
  const value = r.textValue(pair.value, '`executor`', pair.key.span);
  return value === undefined ? undefined : { name: value.value, span: value.span };
}

function readProfile(r: NodeReader, name: string, entry: YPair): ExecutorProfile | undefined {
  const node = entry.value;
  if (node === undefined || node.kind !== 'map') {
    const what = node === undefined || (node.kind === 'scalar' && node.value === null) ? 'nothing' : describeNode(node);
    r.error('invalid-type', node?.span ?? entry.key.span, `Executor '${name}' must be a mapping like { type: slurm, partition: gpu }, not ${what}.`);
    return undefined;
  }
  const spec = r.pairs(node, undefined, `executor '${name}'`);
  const typePair = spec.get('type');
  const typeText = typePair === undefined ? undefined : r.string(typePair.value, '`type`', typePair.key.span);
  if (typePair === undefined || typePair.value === undefined || (typePair.value.kind === 'scalar' && typePair.value.value === null)) {
    r.error('invalid-value', entry.key.span, l10n.t('Executor \'{0}\' needs a `type`: one of {1}.', name, EXECUTOR_TYPES.join(', ')));
    return undefined;
  }
  if (typeText === undefined) return undefined;
  if (!(EXECUTOR_TYPES as readonly string[]).includes(typeText)) {
    r.error('invalid-value', typePair.value?.span ?? typePair.key.span, l10n.t('Executor type \'{0}\' is not one of {1}.', typeText, EXECUTOR_TYPES.join(', ')), didYouMean(typeText, EXECUTOR_TYPES));
    return undefined;
  }
  const type = typeText as ExecutorType;
  const allowed = keysOfType(type);
  let ok = true;
  for (const [key, pair] of spec) {
    if (allowed.includes(key)) continue;
    const suggestion = didYouMean(key, allowed);
    const hint = suggestion === undefined ? ` A ${type} executor takes: ${allowed.join(', ')}.` : l10n.t(' Did you mean \'{0}\'?', suggestion);
    r.error('unknown-key', pair.key.span, l10n.t('Unknown key \'{0}\' in executor \'{1}\' (type {2}).{3}', key, name, type, hint), suggestion);
  }
  const text = (key: string): string | undefined => {
    const pair = spec.get(key);
    return pair === undefined ? undefined : r.string(pair.value, `\`${key}\``, pair.key.span);
  };
  const profile: ExecutorProfile = {
    name, nameSpan: entry.key.span, type, image: text('image'), engine: 'auto', partition: text('partition'), timeMs: undefined,
    cpus: undefined, memoryMb: undefined, gres: text('gres'), extra: [], namespace: text('namespace'), serviceAccount: text('service_account'),
  };
  if ((type === 'container' || type === 'argo') && profile.image === undefined) {
    r.error('invalid-value', entry.key.span, l10n.t('Executor \'{0}\' (type {1}) needs an `image`, like python:3.12-slim.', name, type));
    ok = false;
  }
  const engine = text('engine');
  if (engine !== undefined) {
    if ((CONTAINER_ENGINES as readonly string[]).includes(engine)) profile.engine = engine as ContainerEngineChoice;
    else {
      const pair = spec.get('engine');
      r.error('invalid-value', pair?.value?.span ?? entry.key.span, l10n.t('`engine` is one of {0}, not \'{1}\'.', CONTAINER_ENGINES.join(', '), engine), didYouMean(engine, CONTAINER_ENGINES));
    }
  }
  const time = spec.get('time');
  if (time !== undefined) profile.timeMs = r.duration(time.value, '`time`');
  const cpus = spec.get('cpus');
  if (cpus !== undefined) profile.cpus = r.number(cpus.value, '`cpus`', { integer: true, min: 1 });
  const memory = spec.get('memory');
  if (memory !== undefined) profile.memoryMb = readMemory(r, memory);
  const extra = spec.get('extra');
  if (extra !== undefined) profile.extra = r.stringList(extra.value, '`extra`').map((s) => r.textOf(s).value);
  return ok ? profile : undefined;
}

export function readMemory(r: NodeReader, pair: YPair): number | undefined {
  const node: YNode | undefined = pair.value;
  if (node === undefined || (node.kind === 'scalar' && node.value === null)) return undefined;
  if (node.kind !== 'scalar') {
    r.error('invalid-type', node.span, l10n.t('`memory` must be an amount like 16G, not {0}.', describeNode(node)));
    return undefined;
  }
  const parsed = parseMemory(node.value);
  if ('error' in parsed) {
    r.error('invalid-memory', node.span, l10n.t('`memory`: {0}', parsed.error));
    return undefined;
  }
  return parsed.mb;
}

export function readResources(r: NodeReader, pair: YPair, where: string): Resources | undefined {
  const map = r.map(pair.value, '`resources`', pair.key.span);
  if (map === undefined) return undefined;
  const spec = r.pairs(map, 'resources', `the \`resources\` of ${where}`);
  const number = (key: string, min: number): number | undefined => {
    const p = spec.get(key);
    return p === undefined ? undefined : r.number(p.value, `\`${key}\``, { integer: true, min });
  };
  const memory = spec.get('memory');
  return { cpus: number('cpus', 1), memoryMb: memory === undefined ? undefined : readMemory(r, memory), gpus: number('gpus', 0), span: map.span };
}
