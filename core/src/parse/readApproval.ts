import * as l10n from '@vscode/l10n';
import { diagnostic } from '../model/diagnostic.ts';
import type { ApprovalSpec } from '../model/pipeline.ts';
import type { YPair } from '../yaml/ast.ts';
import { didYouMean } from '../util/didYouMean.ts';
import type { NodeReader } from './reader.ts';

const ON_TIMEOUT = ['rejected', 'approved'] as const;

/** `approval:` of a block; an empty `approval:` is a gate with the default prompt and no timeout. */
export function readApproval(r: NodeReader, pair: YPair, blockId: string): ApprovalSpec | undefined {
  const empty = pair.value === undefined || (pair.value.kind === 'scalar' && pair.value.value === null);
  const spec: ApprovalSpec = { prompt: undefined, timeoutMs: undefined, onTimeout: 'rejected', span: pair.value?.span ?? pair.key.span };
  if (empty) return spec;
  const map = r.map(pair.value, '`approval`', pair.key.span);
  if (map === undefined) return undefined;
  const keys = r.pairs(map, 'approval', `the \`approval\` of block '${blockId}'`);
  const prompt = keys.get('prompt');
  if (prompt) spec.prompt = r.textValue(prompt.value, '`prompt`', prompt.key.span);
  const timeout = keys.get('timeout');
  if (timeout) spec.timeoutMs = r.duration(timeout.value, '`timeout`');
  const onTimeout = keys.get('on_timeout');
  if (onTimeout) {
    const value = r.string(onTimeout.value, '`on_timeout`', onTimeout.key.span);
    if (value !== undefined && (ON_TIMEOUT as readonly string[]).includes(value)) spec.onTimeout = value as ApprovalSpec['onTimeout'];
    else if (value !== undefined) {
      r.error('invalid-value', onTimeout.value?.span ?? onTimeout.key.span, l10n.t('`on_timeout` is one of {0}, not \'{1}\'.', ON_TIMEOUT.join(', '), value), didYouMean(value, ON_TIMEOUT));
    }
    if (timeout === undefined) {
      r.diagnostics.push(diagnostic('invalid-value', 'warning', onTimeout.key.span, l10n.t('`on_timeout` has no effect without a `timeout` in the approval of block \'{0}\'.', blockId)));
    }
  }
  return spec;
}
