import { resolve } from 'node:path';
import type { RunQuery, RunStatus, RunSummary } from '../store/index.ts';
import { RUN_STATUSES, statusCounts, statusLabel } from '../model/status.ts';
import { UsageError } from './files.ts';
import { formatSpan, formatTable, formatTime, parseCommandArgs, resolveStorePath, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = 'Usage: pipeline-studio runs [--pipeline NAME|FILE] [--status STATUS] [--limit N] [--json] [--store PATH]';
const DEFAULT_LIMIT = 20;

/** `runs`: the run history, newest first, as a table or JSON. */
export async function runsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    pipeline: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, store: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument '${positionals[0]}'.\n${USAGE}`);
  const query: RunQuery = { limit: DEFAULT_LIMIT };
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
      io.out(`No runs${query.pipelineFile !== undefined || query.pipelineName !== undefined || query.status !== undefined ? ' match' : ' recorded yet'} (${path}).`);
      return 0;
    }
    const rows = runs.map((run) => [
      `#${run.id}`, run.pipelineName, statusLabel(run.status), run.trigger, formatTime(run.startedAt ?? run.createdAt), formatSpan(run.startedAt, run.finishedAt), formatCounts(run.counts),
    ]);
    for (const line of formatTable(['#', 'pipeline', 'status', 'trigger', 'started', 'duration', 'blocks'], rows, new Set([0, 5]))) io.out(line);
    return 0;
  }, noRuns);
}

export function formatCounts(counts: RunSummary['counts']): string {
  const parts = statusCounts(counts);
  return parts.length === 0 ? '-' : parts.join(', ');
}
