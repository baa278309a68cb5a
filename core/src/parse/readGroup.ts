import * as l10n from '@vscode/l10n';
import type { Named } from '../model/pipeline.ts';
import type { YPair } from '../yaml/ast.ts';
import type { NodeReader } from './reader.ts';

/** A group name: words a graph can show as a label (letters, digits, inner spaces, `_ - . /`). */
export const GROUP_NAME_PATTERN = /^[A-Za-z0-9_](?:[A-Za-z0-9_ ./-]*[A-Za-z0-9_./-])?$/;
export const MAX_GROUP_NAME = 60;

/** `group:` of a block: the name of the group the graph collapses it into; `group:` with no value is none. */
export function readGroup(r: NodeReader, pair: YPair | undefined): Named | undefined {
  const value = pair?.value;
  if (pair === undefined || value === undefined || (value.kind === 'scalar' && value.value === null)) return undefined;
  if (value.kind !== 'scalar' || typeof value.value !== 'string') {
    const quoted = value.kind === 'scalar' ? ` (quote it: "${String(value.value)}")` : '';
    r.error('invalid-type', value.span, l10n.t('`group` must be a string{0}.', quoted));
    return undefined;
  }
  const name = value.value;
  if (!GROUP_NAME_PATTERN.test(name) || name.length > MAX_GROUP_NAME) {
    r.error('invalid-value', value.span, l10n.t('Group name \'{0}\' must be letters, digits, _ - . / and inner spaces, starting with a letter, digit or _, at most {1} characters.', name, MAX_GROUP_NAME));
    return undefined;
  }
  return { name, span: value.span };
}
