import { formatBytes, type BlockRunRecord, type BlockStatus, type RunRecord, type RunStore } from '../store/index.ts';
import { statusLabel } from '../model/status.ts';
import { UsageError } from './files.ts';
import { formatCounts } from './runsCommand.ts';
import { executorLabel, ranOffLocal } from '../executors/label.ts';
import { formatSpan, formatTable, formatTime, parseCommandArgs, parseRunId, resolveStorePath, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';
import { dirname, relative } from 'node:path';
import { DetailsStore } from '../details/detailsStore.ts';
import { loadRunDetails, type RunDetails } from '../details/model.ts';
import { textTimeline } from '../details/textTimeline.ts';
import { formatDuration } from '../util/duration.ts';
import { linkFields } from './showLinks.ts';
import { readRunLinks, runJson, type RunLinks } from '../store/runLinks.ts';

const USAGE = `Usage: pipeline-studio show RUN [--json | --timeline [--width N]] [--store PATH]   (RUN: a run number, or latest)
  --timeline  a Gantt of the run's blocks scaled to the terminal, critical path marked`;

/** `show`: one run with its blocks (latest attempt of each), statuses, attempts, durations, exit codes, git and variables, its profile and parent/child runs, then its details (host, queue time, resources, artifacts). */
export async function showCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, timeline: { type: 'boolean' }, width: { type: 'string' }, store: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`${positionals.length === 0 ? 'Which run?' : `Unexpected argument '${positionals[1]}'.`}\n${USAGE}`);
  if (values.json === true && values.timeline === true) throw new UsageError(`--json and --timeline cannot be combined.\n${USAGE}`);
  const width = parseWidth(values.width);
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
    const detailsStore = DetailsStore.open(store);
    let details: RunDetails | undefined;
    try {
      details = loadRunDetails(store, detailsStore, run.id);
    } finally {
      detailsStore.close();
    }
    const links = readRunLinks(store, run);
    if (values.json === true) {
      io.out(JSON.stringify(runJson(run, links, blockRuns, details), null, 2));
      return 0;
    }
    if (values.timeline === true) {
      io.out(`Run #${run.id}  ${run.pipelineName}  ${statusLabel(run.status)}`);
      if (details !== undefined) for (const line of textTimeline(details, width, formatDuration)) io.out(line);
      return 0;
    }
    for (const line of describeRun(run, blockRuns, links)) io.out(line);
    for (const line of describeFanOuts(store, run, blockRuns)) io.out(line);
    if (details !== undefined) for (const line of describeDetails(details)) io.out(line);
    return 0;
  }, notFound);
}

function describeRun(run: RunRecord, blockRuns: BlockRunRecord[], links: RunLinks): string[] {
  const latest = latestAttempts(blockRuns);
  const counts: Partial<Record<BlockStatus, number>> = {};
  for (const b of latest) counts[b.status] = (counts[b.status] ?? 0) + 1;
  const lines = [`Run #${run.id}  ${run.pipelineName}  ${statusLabel(run.status)}`];
  const field = (name: string, value: string): number => lines.push(`  ${name.padEnd(10)}${value}`);
  field('pipeline', run.pipelineFile);
  field('trigger', `${run.trigger}, mode ${run.mode}${run.selection.length > 0 ? ` (${run.selection.join(', ')})` : ''}${run.sourceRunId === undefined ? '' : `, from run #${run.sourceRunId}`}`);
  for (const [name, value] of linkFields(links)) field(name, value);
  if (run.batchId !== undefined) field('batch', `${run.batchId} (its runs: pipeline-studio runs 'batch:${run.batchId}')`);
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
  // Where each block's latest attempt ran: a column only when some attempt ran off this machine's default.
  const where = ranOffLocal(blockRuns);
  const rows = latest.map((b) => [
    b.block, statusLabel(b.status), String(attempts.get(b.block) ?? 1), formatSpan(b.startedAt, b.finishedAt), b.exitCode === undefined ? (b.signal ?? '-') : String(b.exitCode),
    ...(where ? [executorLabel(b) ?? '-'] : []),
    [b.reason, b.logDroppedBytes > 0 ? `log capped, ${formatBytes(b.logDroppedBytes)} dropped` : undefined].filter((s) => s !== undefined).join('; '),
  ]);
  lines.push('');
  const headers = ['block', 'status', 'attempts', 'duration', 'exit', ...(where ? ['executor'] : []), 'reason'];
  for (const line of formatTable(headers, rows, new Set([2, 3, 4]))) lines.push(`  ${line}`);
  return lines;
}

/** Each fan-out block's items: how many ended how, and the first failed ones (the rest: `show --json`, the Runs tree). */
function describeFanOuts(store: RunStore, run: RunRecord, blockRuns: BlockRunRecord[]): string[] {
  const lines: string[] = [];
  for (const block of new Set(blockRuns.map((b) => b.block))) {
    const counts = store.itemCounts(run.id, block);
    const total = Object.values(counts).reduce((a: number, b) => a + (b ?? 0), 0);
    if (total === 0) continue;
    lines.push('', `  ${block}: ${total} item${total === 1 ? '' : 's'} (${formatCounts(counts)})`);
    if ((counts.failed ?? 0) === 0) continue;
    let shown = 0;
    for (let offset = 0; offset < total && shown < 10; offset += 500) {
      for (const item of store.itemRuns(run.id, block, { offset, limit: 500 })) {
        if (item.status !== 'failed' || shown >= 10) continue;
        shown++;
        lines.push(`    ${item.block} ${JSON.stringify(item.item?.value ?? '')}: ${item.reason ?? 'failed'}`);
      }
    }
  }
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

function parseWidth(text: string | undefined): number {
  if (text === undefined) return process.stdout.columns ?? 100;
  if (!/^[1-9]\d{1,3}$/.test(text)) throw new UsageError(`--width must be a number of columns from 10, not '${text}'.\n${USAGE}`);
  return Number(text);
}

/** The details sections: host, git extras, queue time and resources per block, artifacts. */
function describeDetails(model: RunDetails): string[] {
  const lines: string[] = [];
  const { detail } = model;
  const section = (title: string): number => lines.push('', title);
  if (detail?.host !== undefined || detail?.git !== undefined) {
    section('Host and git');
    const field = (name: string, value: string): number => lines.push(`  ${name.padEnd(10)}${value}`);
    if (detail.host !== undefined) field('host', `${detail.host.name} (${detail.host.os}, ${detail.host.cpus} CPUs, ${detail.host.runtime}, ${detail.host.tool})`);
    if (detail.git?.author !== undefined) field('author', detail.git.author);
    if (detail.git?.subject !== undefined) field('subject', detail.git.subject);
    if (detail.git?.commitTime !== undefined) field('committed', formatTime(detail.git.commitTime));
    if (detail.git?.remote !== undefined) field('remote', detail.git.remote);
    if (detail.definitionSha256 !== undefined) field('definition', `sha256 ${detail.definitionSha256.slice(0, 12)} (kept; 'show --json' has the text)`);
  }
  const ran = model.blocks.filter((b) => b.startedAt !== undefined);
  if (ran.length > 0) {
    section('Queue time and resources');
    const mb = (n: number | undefined): string => (n === undefined ? '-' : formatBytes(n));
    const rows = ran.map((b) => [
      `${b.critical ? '*' : ' '}${b.block}`, b.queueWaitMs === undefined ? '-' : formatDuration(b.queueWaitMs),
      b.retryWaitsMs.length === 0 ? '-' : b.retryWaitsMs.map((w) => formatDuration(w)).join('+'),
      b.durationMs === undefined ? '-' : formatDuration(b.durationMs), b.cpuMs === undefined ? '-' : formatDuration(Math.round(b.cpuMs)),
      mb(b.peakRssBytes), mb(b.readBytes), mb(b.writeBytes), b.slow === undefined ? '' : `×${b.slow.ratio.toFixed(1)} its median ${formatDuration(Math.round(b.slow.medianMs))}`,
    ]);
    for (const line of formatTable([' block', 'queued', 'retry waits', 'duration', 'cpu', 'peak mem', 'read', 'written', 'slow'], rows, new Set([1, 2, 3, 4, 5, 6, 7]))) lines.push(`  ${line}`);
    const t = model.totals;
    if (model.resourcesUnmeasured) lines.push('  run: resources not measured (they are measured on Linux only)');
    else lines.push(`  run: cpu ${t.cpuMs === undefined ? '-' : formatDuration(Math.round(t.cpuMs))}, largest block peak ${mb(t.peakRssBytes)}, read ${mb(t.readBytes)}, written ${mb(t.writeBytes)}`);
    if (model.criticalPath.length > 0) lines.push(`  critical path (*): ${model.criticalPath.join(' → ')}`);
  }
  if (model.artifacts.length > 0) {
    section('Artifacts');
    const folder = dirname(model.run.pipelineFile);
    const rows = model.artifacts.map((a) => [
      a.block, a.direction, relative(folder, a.path) || a.path, a.size === undefined ? '-' : formatBytes(a.size), a.sha256?.slice(0, 12) ?? (a.hashNote ?? '-'),
      `${a.changed === undefined ? 'new' : a.changed ? 'changed' : 'same'}${a.reusedFromRunId === undefined ? '' : ` · cached from #${String(a.reusedFromRunId)}`}`,
      a.lineageBlockRunId === undefined ? '' : `from #${String(a.lineageRunId)} ${a.lineageBlock ?? ''}`,
    ]);
    for (const line of formatTable(['block', 'kind', 'path', 'size', 'sha256', 'vs previous', 'lineage'], rows, new Set([3]))) lines.push(`  ${line}`);
  }
  return lines;
}
