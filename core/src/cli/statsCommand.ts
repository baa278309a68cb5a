import { computeStats, groupStats, statsQuery, type RunStats, type StatsGrouping } from '../query/stats.ts';
import { formatDuration } from '../util/duration.ts';
import { UsageError } from './files.ts';
import { checkQuery } from './queryOption.ts';
import { formatTable, formatTime, parseCommandArgs, resolveStorePath, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio stats [--query "Q"] [--by day|hour|pipeline] [--json] [--include-test] [--store PATH]
  Count, success and failure rate (of finished runs), average / p50 / p95 duration and runs per day of the matching runs.
  Test runs (run --test) are left out unless --include-test or the query names them (trigger:test).`;

/** `stats`: figures over the runs a query matches, overall or per day, hour or pipeline. */
export async function statsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    query: { type: 'string', short: 'q' }, by: { type: 'string' }, json: { type: 'boolean' }, store: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    'include-test': { type: 'boolean' },
  }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument '${positionals[0]}'.\n${USAGE}`);
  const asked = checkQuery(values.query, USAGE);
  // Test runs (`run --test`) are left out of the figures unless asked for (or the query is about them).
  const text = values['include-test'] === true ? asked : statsQuery(asked);
  const by = values.by;
  if (by !== undefined && by !== 'day' && by !== 'hour' && by !== 'pipeline') throw new UsageError(`--by takes day, hour or pipeline, not '${by}'.\n${USAGE}`);
  const json = values.json === true;
  const path = resolveStorePath(values.store);
  const print = (facts: Parameters<typeof computeStats>[0]): number => {
    const overall = computeStats(facts);
    const groups = by === undefined ? undefined : groupStats(facts, by);
    if (json) {
      io.out(JSON.stringify(by === undefined ? overall : { ...overall, by, groups: groups?.map((g) => ({ key: g.key, ...g.stats })) }, null, 2));
      return 0;
    }
    for (const line of describe(overall)) io.out(line);
    if (groups !== undefined && groups.length > 0) {
      io.out('');
      for (const line of groupTable(groups, by as StatsGrouping)) io.out(line);
    }
    return 0;
  };
  return withCliStore(io, 'stats', path, (store) => print(store.runFacts({ text })), () => print([]));
}

function describe(stats: RunStats): string[] {
  if (stats.runs === 0) return ['No runs match.'];
  return [
    `runs          ${stats.runs} (${stats.finished} finished: ${stats.completed} completed, ${stats.failed} failed)`,
    `success rate  ${percent(stats.successRate)}`,
    `failure rate  ${percent(stats.failureRate)}`,
    `duration      average ${ms(stats.averageMs)}, p50 ${ms(stats.p50Ms)}, p95 ${ms(stats.p95Ms)}`,
    `runs per day  ${stats.runsPerDay.toFixed(2)} (${formatTime(stats.firstStartedAt)} to ${formatTime(stats.lastStartedAt)})`,
  ];
}

function groupTable(groups: { key: string; stats: RunStats }[], by: StatsGrouping): string[] {
  const rows = groups.map(({ key, stats }) => [key, String(stats.runs), percent(stats.successRate), percent(stats.failureRate), ms(stats.averageMs), ms(stats.p50Ms), ms(stats.p95Ms)]);
  return formatTable([by, 'runs', 'success', 'failure', 'average', 'p50', 'p95'], rows, new Set([1, 2, 3, 4, 5, 6]));
}

function percent(rate: number | undefined): string {
  return rate === undefined ? '-' : `${(rate * 100).toFixed(1)}%`;
}

function ms(value: number | undefined): string {
  return value === undefined ? '-' : formatDuration(value);
}
