import { RUN_STATUSES, statusStyle } from '../../../core/src/model/status.ts';
import { computeStats, statsQuery } from '../../../core/src/query/stats.ts';
import type { BlockRunRecord, RunFact, RunStore, RunSummary } from '../../../core/src/store/index.ts';
import type { ChartData, Metrics, Row } from '../../../webview/src/dashboard/protocol.ts';

/** The chart shows the newest runs of the query; more points than this would not be seen apart. */
export const CHART_POINTS = 3000;

export function rowOf(run: RunSummary): Row {
  const style = statusStyle(run.status);
  const count = (s: keyof RunSummary['counts']): number => run.counts[s] ?? 0;
  const total = Object.values(run.counts).reduce((a: number, b) => a + (b ?? 0), 0);
  const variables = Object.entries(run.variables).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  return {
    id: run.id, pipeline: run.pipelineName, file: run.pipelineFile, status: run.status, statusLabel: style.label, glyph: style.glyph, color: style.cssColor,
    running: !style.final, trigger: run.trigger, startedAt: run.startedAt ?? run.createdAt, finishedAt: run.finishedAt,
    blocksDone: count('completed') + count('cached'), blocksTotal: total, blocksFailed: count('failed'),
    commit: run.git?.commit, branch: run.git?.branch, dirty: run.git?.dirty ?? false,
    variables: variables.length > 200 ? `${variables.slice(0, 199)}…` : variables,
  };
}

export function metricsOf(facts: readonly RunFact[]): Metrics {
  const s = computeStats(facts);
  return { runs: s.runs, successRate: s.successRate, failureRate: s.failureRate, averageMs: s.averageMs, p95Ms: s.p95Ms, runsPerDay: s.runsPerDay };
}

/**
 * A query's figures for the panel: how many runs match (the table), and the metrics strip and chart
 * over them less the test runs, as `stats` takes them (core/src/query/stats.ts statsQuery).
 */
export function queryFigures(store: Pick<RunStore, 'countRuns' | 'runFacts'>, query: string): { total: number; metrics: Metrics; chart: ChartData } {
  const facts = store.runFacts({ text: statsQuery(query) });
  return { total: store.countRuns({ text: query }), metrics: metricsOf(facts), chart: chartOf(facts) };
}

/** Facts come oldest first; the chart takes the newest CHART_POINTS, in start order. */
export function chartOf(facts: readonly RunFact[]): ChartData {
  const newest = facts.slice(-CHART_POINTS).slice().sort((a, b) => a.startedAt - b.startedAt);
  return { starts: newest.map((f) => f.startedAt), durations: newest.map((f) => f.durationMs ?? null), statuses: newest.map((f) => f.status) };
}

export const STATUS_VALUES: readonly string[] = RUN_STATUSES;

/** The block run whose log stands for the run's: a failed block's latest attempt first, else the latest block run started. */
export function logBlockRunOf(blockRuns: readonly BlockRunRecord[]): number | undefined {
  const latest = new Map<string, BlockRunRecord>();
  for (const b of blockRuns) if ((latest.get(b.block)?.attempt ?? 0) <= b.attempt) latest.set(b.block, b);
  const last = [...latest.values()];
  const failed = last.find((b) => b.status === 'failed');
  if (failed !== undefined) return failed.id;
  const started = last.filter((b) => b.startedAt !== undefined).sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0) || a.id - b.id);
  return started[started.length - 1]?.id ?? last[last.length - 1]?.id;
}
