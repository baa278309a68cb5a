import type { BlockRunRecord, RunRecord, RunStore } from '../../../core/src/store/types.ts';
import { stripAnsi } from './logText.ts';

export interface RunExport {
  format: 'pipeline-studio.run';
  version: 1;
  exportedAt: string;
  run: RunRecord;
  blockRuns: (BlockRunRecord & { log: string })[];
}

/** Everything the store knows of a run, logs included (as plain text), for sharing or bug reports. */
export function exportRun(store: RunStore, runId: number, now = Date.now()): RunExport | undefined {
  const run = store.getRun(runId);
  if (run === undefined) return undefined;
  const blockRuns = store.blockRuns(runId).map((blockRun) => ({
    ...blockRun,
    log: stripAnsi(store.readLogs(blockRun.id).map((chunk) => chunk.text).join('')),
  }));
  return { format: 'pipeline-studio.run', version: 1, exportedAt: new Date(now).toISOString(), run, blockRuns };
}
