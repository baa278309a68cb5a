import { resolve } from 'node:path';
import type { RunQuery, RunStatus, RunSummary } from '../store/index.ts';
import { RUN_STATUSES, statusCounts, statusLabel } from '../model/status.ts';
import { UsageError } from './files.ts';
import { checkQuery, parseSort } from './queryOption.ts';
import { formatSpan, formatTable, formatTime, parseCommandArgs, resolveStorePath, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio runs [--query "Q"] [--sort FIELD[:asc|desc]] [--limit N] [--offset N] [--json] [--store PATH]
                          [--pipeline NAME|FILE] [--status STATUS]
  Q: terms like status:failed,cancelled pipeline:etl branch:main var:epochs>10 date:-7d duration:>5m error:"disk full",
     bare words, AND/OR/NOT/-, parentheses (see docs/pipeline-format.md, "Querying runs").
  FIELD: id, pipeline, status, trigger, started, duration, blocks.`;
const DEFAULT_LIMIT = 20;

/** `runs`: the run history, newest first, as a table or JSON. */
export async function runsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    pipeline: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, store: { type: 'string' },
    query: { type: 'string', short: 'q' }, sort: { type: 'string' }, offset: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument '${positionals[0]}'.\n${USAGE}`);
  const query: RunQuery = { limit: DEFAULT_LIMIT, text: checkQuery(values.query, USAGE), sort: parseSort(values.sort, USAGE) };
  if (values.offset !== undefined) {
    if (!/^\d{1,9}$/.test(values.offset)) throw new UsageError(`--offset must be a number, not '${values.offset}'.\n${USAGE}`);
    query.offset = Number(values.offset);
  }
  if (values.pipeline !== undefined) {
    // A path names the pipeline file; anything else is the pipeline's name.
    if (/[/\\]|\.ya?ml$/i.test(values.pipeline)) query.pipelineFile = resolve(values.pipeline);
    else query.pipelineName = values.pipeline;
  }
  if (values.status !== undefined) {
    if (!(RUN_STATUSES as readonly string[]).includes(values.status)) throw new UsageError(`--status must be one of ${RUN_STATUSES.join(', ')}, not '${values.status}'.\n${USAGE}`);
    query.status = values.status as RunStatus;
  }
  if (values.limit !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(values.limit)) throw new UsageError(`--limit must be a positive number, not '${values.limit}'.\n${USAGE}`);
    query.limit = Number(values.limit);
  }
  const json = values.json === true;
  const path = resolveStorePath(values.store);
  const noRuns = (): number => {
    if (json) io.out('[]');
    else io.out(`No runs recorded yet (no run store at ${path}).`);
    return 0;
  };
  return withCliStore(io, 'runs', path, (store) => {
    const runs = store.listRuns(query);
    if (json) {
      io.out(JSON.stringify(runs, null, 2));
      return 0;
    }
    if (runs.length === 0) {
      const filtered = query.pipelineFile !== undefined || query.pipelineName !== undefined || query.status !== undefined || query.text !== undefined || query.offset !== undefined;
      io.out(`No runs${filtered ? ' match' : ' recorded yet'} (${path}).`);
      return 0;
    }
    const rows = runs.map((run) => [
      `#${run.id}`, run.pipelineName, statusLabel(run.status), run.batchId === undefined ? run.trigger : `${run.trigger} batch:${run.batchId}`, formatTime(run.startedAt ?? run.createdAt), formatSpan(run.startedAt, run.finishedAt), formatCounts(run.counts),
    ]);
    for (const line of formatTable(['#', 'pipeline', 'status', 'trigger', 'started', 'duration', 'blocks'], rows, new Set([0, 5]))) io.out(line);
    const shownTo = (query.offset ?? 0) + runs.length;
    if (runs.length === query.limit) {
      const total = store.countRuns(query);
      if (total > shownTo) io.out(`(${(query.offset ?? 0) + 1}-${shownTo} of ${total} runs; --offset ${shownTo} for more)`);
    }
    return 0;
  }, noRuns);
}

export function formatCounts(counts: RunSummary['counts']): string {
  const parts = statusCounts(counts);
  return parts.length === 0 ? '-' : parts.join(', ');
}
