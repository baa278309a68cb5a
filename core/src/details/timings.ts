import { executorLabel } from '../executors/label.ts';
import type { BlockRunRecord } from '../store/types.ts';
import type { BlockTiming } from './types.ts';

/** Per block, in the order blocks first appear: its ready time, its attempts, the waits between them. */
export function blockTimings(blockRuns: readonly BlockRunRecord[], readyTimes: ReadonlyMap<string, number>): BlockTiming[] {
  const byBlock = new Map<string, BlockRunRecord[]>();
  for (const row of blockRuns) {
    const list = byBlock.get(row.block);
    if (list === undefined) byBlock.set(row.block, [row]);
    else list.push(row);
  }
  return [...byBlock].map(([block, rows]) => {
    const attempts = [...rows].sort((x, y) => x.attempt - y.attempt).map((r) => ({ blockRunId: r.id, attempt: r.attempt, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, executor: executorLabel(r) }));
    const retryWaitsMs: number[] = [];
    for (let i = 1; i < attempts.length; i++) {
      const end = attempts[i - 1]?.finishedAt;
      const start = attempts[i]?.startedAt;
      if (end !== undefined && start !== undefined) retryWaitsMs.push(start - end);
    }
    const readyAt = readyTimes.get(block);
    const firstStart = attempts[0]?.startedAt;
    // A skipped or cached block has a row with times but never queued: no wait.
    const queueWaitMs = readyAt !== undefined && firstStart !== undefined ? Math.max(0, firstStart - readyAt) : undefined;
    return { block, readyAt, attempts, retryWaitsMs, queueWaitMs };
  });
}
