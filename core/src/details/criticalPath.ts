/** A block's whole time in a run: from its first attempt's start to its last attempt's end (retries and their waits included). */
export interface BlockSpan {
  block: string;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  /** Direct upstream blocks. */
  dependsOn: readonly string[];
}

/**
 * The critical path: the chain of blocks that determined when the run ended. It ends at the block
 * that finished last and goes back, at each step, to the direct upstream block that finished last
 * (the one the block was waiting for). Blocks that never ran (no times) are not on it. A block held
 * back by the concurrency limit rather than by its upstream still links to its latest upstream:
 * the path shows dependencies, and the timeline shows the wait. A block that did not run (cached,
 * skipped) passes the wait on: its own upstream blocks stand in for it, so a cached block in the middle
 * does not cut the path short.
 */
export function criticalPath(spans: readonly BlockSpan[]): string[] {
  const byId = new Map(spans.map((s) => [s.block, s]));
  const ran = (s: BlockSpan | undefined): s is BlockSpan & { startedAt: number; finishedAt: number } => s?.startedAt !== undefined && s.finishedAt !== undefined;
  let last: (BlockSpan & { startedAt: number; finishedAt: number }) | undefined;
  for (const span of spans) {
    if (!ran(span)) continue;
    // Ties: the longer block (the one that started earlier) explains more of the run.
    if (last === undefined || span.finishedAt > last.finishedAt || (span.finishedAt === last.finishedAt && span.startedAt < last.startedAt)) last = span;
  }
  const path: string[] = [];
  const seen = new Set<string>();
  for (let current = last; current !== undefined && !seen.has(current.block);) {
    seen.add(current.block);
    path.push(current.block);
    let next: (BlockSpan & { startedAt: number; finishedAt: number }) | undefined;
    for (const up of ranUpstreams(current, byId, ran)) {
      // Only an upstream that ended before this one started can have held it back.
      if (up.finishedAt > current.startedAt) continue;
      if (next === undefined || up.finishedAt > next.finishedAt) next = up;
    }
    current = next;
  }
  return path.reverse();
}

/** The upstream blocks that ran, looking through upstream blocks that did not (at any depth). */
function ranUpstreams<S extends BlockSpan>(span: BlockSpan, byId: ReadonlyMap<string, BlockSpan>, ran: (s: BlockSpan | undefined) => s is S): S[] {
  const found: S[] = [];
  const visited = new Set<string>();
  const pending = [...span.dependsOn];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (visited.has(id)) continue;
    visited.add(id);
    const up = byId.get(id);
    if (ran(up)) found.push(up);
    else if (up !== undefined) pending.push(...up.dependsOn);
  }
  return found;
}

/** Median of the values (the mean of the middle two for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export interface SlowFlagOptions {
  /** Flag at this many times the median. Default 2. */
  ratio?: number;
  /** Fewer earlier runs than this say nothing. Default 3. */
  minRuns?: number;
  /** Ignore excesses smaller than this (a 20 ms block taking 60 ms is noise). Default 500 ms. */
  minExcessMs?: number;
}

/** The ratio to the median of earlier runs when the block took far longer than usual; undefined otherwise. */
export function slowRatio(durationMs: number | undefined, history: readonly number[], options: SlowFlagOptions = {}): { ratio: number; medianMs: number } | undefined {
  const mid = median(history);
  if (durationMs === undefined || mid === undefined || history.length < (options.minRuns ?? 3)) return undefined;
  if (durationMs - mid < (options.minExcessMs ?? 500)) return undefined;
  const ratio = mid <= 0 ? Number.POSITIVE_INFINITY : durationMs / mid;
  return ratio >= (options.ratio ?? 2) ? { ratio, medianMs: mid } : undefined;
}
