import { dirname, resolve } from 'node:path';
import type { RunStatus } from '../store/types.ts';
import type { TriggerEntry } from './pipelineState.ts';

/**
 * The `after:` triggers among `entries` that a run of the pipeline in `file`, ending as `status`,
 * fires: those naming that file (relative to their own) and wanting that status or `any`.
 */
export function chainedBy(entries: readonly TriggerEntry[], file: string, status: RunStatus): TriggerEntry[] {
  return entries.filter((entry) => {
    const after = entry.trigger.after;
    if (entry.trigger.kind !== 'after' || after === undefined) return false;
    if (resolve(dirname(entry.file), after.value.trim()) !== file) return false;
    const wanted = entry.trigger.afterStatus;
    return wanted === 'any' || status === wanted;
  });
}
