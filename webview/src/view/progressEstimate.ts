import { isFinalStatus } from '../../../core/src/model/status.ts';
import type { BlockState, GraphModel } from '../protocol.ts';

export interface Progress {
  done: number;
  total: number;
  failed: number;
  /** Milliseconds left, or undefined when no earlier run gives durations for what is left. */
  remainingMs: number | undefined;
}

/**
 * Where a run stands, and how long it should still take: the longest chain of unfinished blocks
 * (along dependencies), each weighted by its median duration in earlier runs, a running block by
 * what its median leaves after the time it has already run. Blocks with no history count as 0, so
 * the estimate is a lower bound; it is undefined when no unfinished block has any history.
 */
export function progressOf(model: GraphModel, states: ReadonlyMap<string, BlockState>, medians: Readonly<Record<string, number>>, runningSince: ReadonlyMap<string, number>, now: number, header: { done: number; total: number }): Progress {
  let failed = 0;
  for (const state of states.values()) if (state.status === 'failed') failed++;
  const n = model.nodes.length;
  const weight = new Array<number>(n).fill(0);
  let known = false;
  model.nodes.forEach((node, i) => {
    const state = states.get(node.id);
    if (state !== undefined && isFinalStatus(state.status)) return;
    const m = medians[node.id];
    if (m === undefined) return;
    known = true;
    const since = runningSince.get(node.id);
    weight[i] = since === undefined ? m : Math.max(0, m - (now - since));
  });
  if (!known) return { done: header.done, total: header.total, failed, remainingMs: undefined };
  // Longest path over the DAG: the nodes' file order need not be topological, so relax in a topological order.
  const indegree = new Array<number>(n).fill(0);
  const out: number[][] = model.nodes.map(() => []);
  for (const [a, b] of model.edges) {
    out[a]?.push(b);
    indegree[b] = (indegree[b] ?? 0) + 1;
  }
  const finish = [...weight];
  const queue = indegree.flatMap((d, i) => (d === 0 ? [i] : []));
  let longest = 0;
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q] ?? 0;
    longest = Math.max(longest, finish[i] ?? 0);
    for (const j of out[i] ?? []) {
      finish[j] = Math.max(finish[j] ?? 0, (finish[i] ?? 0) + (weight[j] ?? 0));
      indegree[j] = (indegree[j] ?? 0) - 1;
      if (indegree[j] === 0) queue.push(j);
    }
  }
  return { done: header.done, total: header.total, failed, remainingMs: longest };
}
