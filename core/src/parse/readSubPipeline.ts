import * as l10n from '@vscode/l10n';
import type { EnvEntry, ProfileDef, SubPipelineSpec } from '../model/pipeline.ts';
import type { YPair } from '../yaml/ast.ts';
import type { NodeReader } from './reader.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `pipeline:` and `with:` of a block (issue 17); undefined without `pipeline:`. */
export function readSubPipeline(r: NodeReader, spec: Map<string, YPair>, blockId: string): SubPipelineSpec | undefined {
  const file = spec.get('pipeline');
  const given = spec.get('with');
  if (file === undefined) {
    if (given !== undefined) r.error('invalid-value', given.key.span, l10n.t('`with` of block \'{0}\' has no effect without `pipeline`.', blockId));
    return undefined;
  }
  const path = r.textValue(file.value, '`pipeline`', file.key.span);
  if (path === undefined) return undefined;
  if (path.value.trim() === '') {
    r.error('invalid-value', path.span, l10n.t('The `pipeline` of block \'{0}\' is empty: name a pipeline file, e.g. ./train.pipeline.yaml.', blockId));
    return undefined;
  }
  if (spec.has('run')) r.error('invalid-value', file.key.span, l10n.t('Block \'{0}\' has both `pipeline` and `run`: a block runs a command or another pipeline, not both.', blockId));
  return { file: path, with: readScalarMap(r, given, `the \`with\` of block '${blockId}'`) };
}

/** `profiles:` at the top level: name → `{ variables, env }`. */
export function readProfiles(r: NodeReader, pair: YPair | undefined): Map<string, ProfileDef> {
  const profiles = new Map<string, ProfileDef>();
  if (pair === undefined) return profiles;
  const map = r.map(pair.value, '`profiles`', pair.key.span);
  if (map === undefined) return profiles;
  for (const [name, entry] of r.pairs(map, undefined, '`profiles`')) {
    if (!NAME.test(name)) {
      r.error('invalid-value', entry.key.span, l10n.t('Profile name \'{0}\' must start with a letter or _ and contain only letters, digits, _ and -.', name));
      continue;
    }
    const body = r.map(entry.value, `profile '${name}'`, entry.key.span);
    const profile: ProfileDef = { name, keySpan: entry.key.span, variables: [], env: [] };
    if (body !== undefined) {
      for (const [key, item] of r.pairs(body, undefined, `profile '${name}'`)) {
        if (key === 'variables') profile.variables = readScalarMap(r, item, `the \`variables\` of profile '${name}'`);
        else if (key === 'env') profile.env = readScalarMap(r, item, `the \`env\` of profile '${name}'`);
        else r.error('unknown-key', item.key.span, l10n.t('Unknown key \'{0}\' in profile \'{1}\': a profile has `variables` and `env`.', key, name));
      }
    }
    profiles.set(name, profile);
  }
  return profiles;
}

/** A map of names to scalars (kept as text, with positions, so `${{ }}` inside can be checked). */
function readScalarMap(r: NodeReader, pair: YPair | undefined, what: string): EnvEntry[] {
  if (pair === undefined) return [];
  const map = r.map(pair.value, what, pair.key.span);
  if (map === undefined) return [];
  const out: EnvEntry[] = [];
  for (const [name, entry] of r.pairs(map, undefined, what)) {
    if (!NAME.test(name)) {
      r.error('invalid-value', entry.key.span, l10n.t('\'{0}\' in {1} is not a valid name (letters, digits, _ and -, not starting with a digit).', name, what));
      continue;
    }
    if (entry.value !== undefined && entry.value.kind !== 'scalar') {
      r.error('invalid-type', entry.value.span, l10n.t('\'{0}\' in {1} must be a single value, not {2}.', name, what, entry.value.kind === 'map' ? 'a mapping' : 'a list'));
      continue;
    }
    const value = entry.value ? r.textOf(entry.value) : { value: '', span: entry.key.span, sourceStart: entry.key.span.end, source: '' };
    if (entry.value?.kind === 'scalar' && entry.value.value === null) value.value = '';
    out.push({ name, keySpan: entry.key.span, value });
  }
  return out;
}
