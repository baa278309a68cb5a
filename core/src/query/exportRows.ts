import { isFinalStatus } from '../model/status.ts';
import type { BlockStatus, RunColumns, RunSummary } from '../store/types.ts';
import { csvRow } from './csv.ts';

/** The fixed CSV columns of an export, then `var.NAME` and `property.BLOCK.NAME` for what the runs have. */
export const CSV_COLUMNS = [
  'id', 'pipeline', 'file', 'status', 'trigger', 'created', 'started', 'finished', 'duration_ms', 'blocks_total', 'blocks_completed', 'blocks_failed', 'commit', 'branch', 'dirty',
] as const;

export function csvHeader(columns: RunColumns): string {
  return csvRow([...CSV_COLUMNS, ...columns.variables.map((v) => `var.${v}`), ...columns.properties.map((p) => `property.${p}`)]);
}

/** One run as a CSV record; block counts (from the listing) and outputs are of the latest attempt of each block. */
export function csvRecord(run: RunSummary, outputs: ReadonlyMap<string, string>, columns: RunColumns): string {
  const count = (status: BlockStatus): number => run.counts[status] ?? 0;
  const total = Object.values(run.counts).reduce((a: number, b) => a + (b ?? 0), 0);
  const iso = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toISOString());
  const duration = run.startedAt !== undefined && run.finishedAt !== undefined && isFinalStatus(run.status) ? run.finishedAt - run.startedAt : undefined;
  return csvRow([
    run.id, run.pipelineName, run.pipelineFile, run.status, run.trigger, iso(run.createdAt), iso(run.startedAt), iso(run.finishedAt), duration,
    total, count('completed') + count('cached'), count('failed'), run.git?.commit, run.git?.branch, run.git === undefined ? undefined : run.git.dirty,
    ...columns.variables.map((name) => (Object.hasOwn(run.variables, name) ? run.variables[name] : undefined)),
    ...columns.properties.map((name) => outputs.get(name)),
  ]);
}
