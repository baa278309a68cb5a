/** What the store recorded about where an attempt ran (BlockRunRecord's executor fields). */
export interface ExecutorFields {
  executor?: string | undefined;
  executorType?: string | undefined;
  executorJob?: string | undefined;
}

/**
 * Where an attempt ran, for people: `gpu (slurm, job 1234)`, `box (container ps-…)`, `local`;
 * undefined when nothing was recorded (a cached block, a row from before executors were recorded).
 */
export function executorLabel(fields: ExecutorFields): string | undefined {
  const { executor, executorType, executorJob } = fields;
  if (executor === undefined) return undefined;
  const job = executorJob === undefined ? '' : executorType === 'slurm' ? `, job ${executorJob}` : ` ${executorJob}`;
  if (executorType === undefined || (executorType === executor && job === '')) return executor;
  return `${executor} (${executorType}${job})`;
}

/** True when some attempt ran elsewhere than on this machine's default executor: worth a column. */
export function ranOffLocal(rows: readonly ExecutorFields[]): boolean {
  return rows.some((r) => r.executor !== undefined && (r.executor !== 'local' || (r.executorType !== undefined && r.executorType !== 'local')));
}
