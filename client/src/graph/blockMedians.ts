import type { RunStore } from '../../../core/src/store/types.ts';

/** Earlier runs looked at for the progress estimate. */
const RUNS_LOOKED_AT = 10;

/**
 * Each block's median duration over the last completed runs of a pipeline file (the shown run
 * excluded), from the attempts that completed. VS-Code-free: the progress bar's estimate of the
 * time left is computed from it in the webview.
 */
export function blockMedians(store: RunStore, pipelineFile: string, exceptRun: number | undefined): Record<string, number> {
  const durations = new Map<string, number[]>();
  const runs = store.listRuns({ pipelineFile, limit: RUNS_LOOKED_AT + 1 }).filter((r) => r.id !== exceptRun && r.status === 'completed').slice(0, RUNS_LOOKED_AT);
  for (const run of runs) {
    for (const record of store.blockRuns(run.id)) {
      if (record.status !== 'completed' || record.startedAt === undefined || record.finishedAt === undefined) continue;
      const list = durations.get(record.block) ?? [];
      list.push(Math.max(0, record.finishedAt - record.startedAt));
      durations.set(record.block, list);
    }
  }
  const medians: Record<string, number> = {};
  for (const [block, list] of durations) medians[block] = median(list);
  return medians;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
