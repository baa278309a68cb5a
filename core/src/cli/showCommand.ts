import { formatBytes, type BlockRunRecord, type BlockStatus, type RunRecord } from '../store/index.ts';
import { statusLabel } from '../model/status.ts';
import { UsageError } from './files.ts';
import { formatCounts } from './runsCommand.ts';
import { formatSpan, formatTable, formatTime, parseCommandArgs, parseRunId, resolveStorePath, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = 'Usage: pipeline-studio show RUN [--json] [--store PATH]   (RUN: a run number, or latest)';

/** `show`: one run with its blocks (latest attempt of each), statuses, attempts, durations, exit codes, git and variables. */
export async function showCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, store: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`${positionals.length === 0 ? 'Which run?' : `Unexpected argument '${positionals[1]}'.`}\n${USAGE}`);
  const path = resolveStorePath(values.store);
  const notFound = (): number => {
    io.err(`pipeline-studio show: run ${positionals[0]} not found (${path}).`);
    return 1;
  };
  return withCliStore(io, 'show', path, (store) => {
    const id = parseRunId(positionals[0] ?? '', store, USAGE);
    const run = id === undefined ? undefined : store.getRun(id);
    if (run === undefined) return notFound();
    const blockRuns = store.blockRuns(run.id);
    if (values.json === true) {
      io.out(JSON.stringify({ run, blockRuns }, null, 2));
      return 0;
    }
    for (const line of describeRun(run, blockRuns)) io.out(line);
    return 0;
  }, notFound);
}

function describeRun(run: RunRecord, blockRuns: BlockRunRecord[]): string[] {
  const latest = latestAttempts(blockRuns);
  const counts: Partial<Record<BlockStatus, number>> = {};
  for (const b of latest) counts[b.status] = (counts[b.status] ?? 0) + 1;
  const lines = [`Run #${run.id}  ${run.pipelineName}  ${statusLabel(run.status)}`];
  const field = (name: string, value: string): number => lines.push(`  ${name.padEnd(10)}${value}`);
  field('pipeline', run.pipelineFile);
  field('trigger', `${run.trigger}, mode ${run.mode}${run.selection.length > 0 ? ` (${run.selection.join(', ')})` : ''}${run.sourceRunId === undefined ? '' : `, from run #${run.sourceRunId}`}`);
  field('started', formatTime(run.startedAt ?? run.createdAt));
  field('finished', run.finishedAt === undefined ? '-' : `${formatTime(run.finishedAt)} (took ${formatSpan(run.startedAt ?? run.createdAt, run.finishedAt)})`);
  if (run.git !== undefined) field('git', `${run.git.branch ?? '(detached)'}@${run.git.commit.slice(0, 7)}${run.git.dirty ? ' (uncommitted changes)' : ''}`);
  const variables = Object.entries(run.variables);
  field('variables', variables.length === 0 ? '-' : variables.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' '));
  field('blocks', formatCounts(counts));
  if (run.error !== undefined) field('error', run.error);
  if (latest.length === 0) return lines;
  const attempts = new Map<string, number>();
  for (const b of blockRuns) attempts.set(b.block, (attempts.get(b.block) ?? 0) + 1);
  const rows = latest.map((b) => [
    b.block, statusLabel(b.status), String(attempts.get(b.block) ?? 1), formatSpan(b.startedAt, b.finishedAt), b.exitCode === undefined ? (b.signal ?? '-') : String(b.exitCode),
    [b.reason, b.logDroppedBytes > 0 ? `log capped, ${formatBytes(b.logDroppedBytes)} dropped` : undefined].filter((s) => s !== undefined).join('; '),
  ]);
  lines.push('');
  for (const line of formatTable(['block', 'status', 'attempts', 'duration', 'exit', 'reason'], rows, new Set([2, 3, 4]))) lines.push(`  ${line}`);
  return lines;
}

/** The last attempt of each block, in the order the blocks first ran. */
export function latestAttempts(blockRuns: BlockRunRecord[]): BlockRunRecord[] {
  const latest = new Map<string, BlockRunRecord>();
  for (const b of blockRuns) {
    const seen = latest.get(b.block);
    if (seen === undefined || b.attempt >= seen.attempt) latest.set(b.block, b);
  }
  return [...latest.values()];
}
