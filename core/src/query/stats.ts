import { isFinalStatus } from '../model/status.ts';
import type { RunFact } from '../store/types.ts';
import type { QueryNode } from './ast.ts';
import { QueryError } from './errors.ts';
import { parseQuery } from './parser.ts';

/**
 * The figures of `stats` and the dashboard's metrics strip, over a set of runs:
 * - success rate: completed / finished runs; failure rate: failed / finished runs (runs still going
 *   count in neither; cancelled and interrupted runs count as finished but neither success nor failure);
 * - average, p50 and p95 duration of the finished runs (p50/p95 by nearest rank);
 * - runs per day: runs / days from the first run's start to the last's, at least one day.
 */
export interface RunStats {
  runs: number;
  finished: number;
  completed: number;
  failed: number;
  successRate: number | undefined;
  failureRate: number | undefined;
  averageMs: number | undefined;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  runsPerDay: number;
  firstStartedAt: number | undefined;
  lastStartedAt: number | undefined;
}

export type StatsGrouping = 'day' | 'hour' | 'pipeline';
const DAY_MS = 86_400_000;

export function computeStats(facts: readonly RunFact[]): RunStats {
  let finished = 0;
  let completed = 0;
  let failed = 0;
  let first: number | undefined;
  let last: number | undefined;
  const durations: number[] = [];
  for (const fact of facts) {
    if (isFinalStatus(fact.status)) finished++;
    if (fact.status === 'completed') completed++;
    if (fact.status === 'failed') failed++;
    if (fact.durationMs !== undefined && isFinalStatus(fact.status)) durations.push(fact.durationMs);
    first = first === undefined ? fact.startedAt : Math.min(first, fact.startedAt);
    last = last === undefined ? fact.startedAt : Math.max(last, fact.startedAt);
  }
  durations.sort((a, b) => a - b);
  const span = first === undefined || last === undefined ? DAY_MS : Math.max(DAY_MS, last - first);
  return {
    runs: facts.length, finished, completed, failed,
    successRate: finished === 0 ? undefined : completed / finished,
    failureRate: finished === 0 ? undefined : failed / finished,
    averageMs: durations.length === 0 ? undefined : durations.reduce((a, b) => a + b, 0) / durations.length,
    p50Ms: nearestRank(durations, 0.5),
    p95Ms: nearestRank(durations, 0.95),
    runsPerDay: facts.length / (span / DAY_MS),
    firstStartedAt: first,
    lastStartedAt: last,
  };
}

/** Stats per day or hour (local time, oldest first) or per pipeline (by name). */
export function groupStats(facts: readonly RunFact[], by: StatsGrouping): { key: string; stats: RunStats }[] {
  const groups = new Map<string, RunFact[]>();
  for (const fact of facts) {
    const key = by === 'pipeline' ? fact.pipelineName : timeKey(fact.startedAt, by);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    group.push(fact);
  }
  return [...groups.keys()].sort().map((key) => ({ key, stats: computeStats(groups.get(key) ?? []) }));
}

function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

function timeKey(ms: number, by: 'day' | 'hour'): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return by === 'day' ? day : `${day} ${two(d.getHours())}:00`;
}

/**
 * The query the figures are taken over: test runs (`run --test`, trigger `test`) are left out, as
 * they try a pipeline rather than run it, unless the query itself asks about them (`trigger:test`).
 * An unreadable query is returned as it is (its error is reported where it is run).
 */
export function statsQuery(text: string | undefined, now = Date.now()): string {
  const asked = text?.trim() ?? '';
  if (asked === '') return '-trigger:test';
  let node: QueryNode | undefined;
  try {
    node = parseQuery(asked, now);
  } catch (error) {
    if (error instanceof QueryError) return asked;
    throw error;
  }
  return namesTestRuns(node) ? asked : `(${asked}) -trigger:test`;
}

function namesTestRuns(node: QueryNode | undefined): boolean {
  if (node === undefined) return false;
  if (node.kind === 'not') return namesTestRuns(node.item);
  if (node.kind !== 'term') return node.items.some(namesTestRuns);
  return node.term.key === 'trigger' && node.term.triggers.some((t) => t === 'test' || t.startsWith('test:'));
}
