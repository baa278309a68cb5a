import { setTimeout as sleep } from 'node:timers/promises';
import { reattachSlurmJobs } from '../executors/reattach.ts';
import { reattachArgoWorkflow } from '../executors/argo/reattachArgo.ts';
import { statusStyle } from '../model/status.ts';
import type { BlockRunRecord, RunStore } from '../store/index.ts';
import { formatDuration } from '../util/duration.ts';
import { UsageError } from './files.ts';
import { formatTable, parseCommandArgs, parseRunId, resolveStorePath, runIsFinished, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio attach RUN [--store PATH]   (RUN: a run number, or latest)
  Follows a run started elsewhere (another terminal, the editor): prints its output so far, then live,
  until it ends. Ctrl+C detaches and leaves the run going. A run whose CLI was killed while its blocks
  ran on SLURM is reconciled: jobs still in SLURM are followed to their end and recorded; a run on
  Argo has its workflow followed again to its end.`;
const POLL_MS = 250;
// How often the follower asks whether the run's owner is still alive (a killed CLI is marked interrupted).
const OWNER_CHECK_MS = 2000;

/** `attach`: exit 0 when the run completed (or on Ctrl+C, which detaches), 1 when it ended otherwise. */
export async function attachCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { store: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`${positionals.length === 0 ? 'Which run?' : `Unexpected argument '${positionals[1] ?? ''}'.`}\n${USAGE}`);
  const path = resolveStorePath(values.store);
  const notFound = (): number => {
    io.err(`pipeline-studio attach: run ${positionals[0] ?? ''} not found (${path}).`);
    return 1;
  };
  return withCliStore(io, 'attach', path, async (store) => {
    const id = parseRunId(positionals[0] ?? '', store, USAGE);
    const run = id === undefined ? undefined : store.getRun(id);
    if (run === undefined) return notFound();
    let detached = false;
    const onSignal = (): void => {
      detached = true;
    };
    process.on('SIGINT', onSignal);
    try {
      return await follow(store, run.id, io, () => detached);
    } finally {
      process.off('SIGINT', onSignal);
    }
  }, notFound);
}

async function follow(store: RunStore, runId: number, io: CliIo, detached: () => boolean): Promise<number> {
  const printer = new BlockLines(io);
  const cursors = new Map<number, number>();
  const shown = new Map<number, string>();
  let lastOwnerCheck = 0;
  let header = false;
  for (;;) {
    if (Date.now() - lastOwnerCheck >= OWNER_CHECK_MS) {
      store.markInterrupted();
      lastOwnerCheck = Date.now();
    }
    // Status first, then logs: a run is finished only after its blocks' logs are stored.
    const run = store.getRun(runId);
    if (run === undefined) return 1;
    if (!header) {
      io.out(`Attached to run #${run.id} of ${run.pipelineName} (${statusStyle(run.status).label})${runIsFinished(run) ? '.' : '; Ctrl+C detaches, the run goes on.'}`);
      header = true;
    }
    const finished = runIsFinished(run);
    const rows = store.blockRuns(runId);
    printer.width(rows);
    for (const row of rows) {
      // "started" before the output, the final status after it.
      const status = `${row.status}:${row.attempt}`;
      const changed = shown.get(row.id) !== status;
      if (changed && shown.get(row.id) === undefined && row.status !== 'running' && row.startedAt !== undefined) printer.started(row);
      if (changed && row.status === 'running') printer.started(row);
      for (const chunk of store.readLogs(row.id, cursors.get(row.id) ?? 0)) {
        cursors.set(row.id, chunk.seq);
        printer.text(row.block, chunk.stream, chunk.text);
      }
      if (changed && row.status !== 'running') printer.status(row);
      shown.set(row.id, status);
    }
    if (finished) {
      printer.flushAll();
      if (run.status === 'interrupted') {
        const reattached = await reattachSlurmJobs(store, run, {
          onOutput: (block, stream, text) => printer.text(block, stream, text),
          onStatus: (block, status, reason) => printer.line(block, `${statusStyle(status as BlockRunRecord['status']).glyph} ${status}${reason === undefined ? '' : ` (${reason})`}`),
        });
        printer.flushAll();
        if (reattached.followed + reattached.settled > 0) {
          io.out(`Run #${run.id} was interrupted (${run.error ?? 'its process ended'}); ${reattached.followed} SLURM job(s) followed to their end and ${reattached.settled} that had ended were recorded. Nothing was submitted again; 'pipeline-studio run ${run.pipelineFile} --retry ${run.id}' runs the rest.`);
        }
        // A run on Argo is one workflow: followed again to its end, which is the run's outcome.
        const argo = await reattachArgoWorkflow(store, run, {
          onOutput: (block, text) => printer.text(block, 'stdout', text),
          onStatus: (block, status, reason) => printer.line(block, `${statusStyle(status).glyph} ${status}${reason === undefined ? '' : ` (${reason})`}`),
        });
        printer.flushAll();
        if (argo !== undefined) io.out(`Run #${run.id} was interrupted (${run.error ?? 'its process ended'}); its Argo workflow ${argo.workflow} was followed again to its end (${argo.status}). Nothing was submitted again.`);
      }
      summary(io, store, runId);
      return store.getRun(runId)?.status === 'completed' ? 0 : 1;
    }
    if (detached()) {
      printer.flushAll();
      io.out(`Detached from run #${run.id}; it goes on ('pipeline-studio attach ${run.id}' follows it again).`);
      return 0;
    }
    await sleep(POLL_MS);
  }
}

function summary(io: CliIo, store: RunStore, runId: number): void {
  const run = store.getRun(runId);
  if (run === undefined) return;
  const latest = new Map<string, BlockRunRecord>();
  for (const row of store.blockRuns(runId)) latest.set(row.block, row);
  const rows = [...latest.values()].map((b) => [
    b.block, statusStyle(b.status).label, String(b.attempt),
    b.startedAt === undefined || b.finishedAt === undefined ? '-' : formatDuration(b.finishedAt - b.startedAt), b.status === 'completed' ? '' : (b.reason ?? ''),
  ]);
  io.out('');
  for (const line of formatTable(['block', 'status', 'attempts', 'duration', 'reason'], rows, new Set([2, 3]))) io.out(line);
  io.out(`Run #${run.id} ${statusStyle(run.status).label}${run.error !== undefined ? ` (${run.error})` : ''}.`);
}

/** Output one whole line at a time, prefixed with the block id, as `run` prints it. */
class BlockLines {
  private readonly io: CliIo;
  private readonly partial = new Map<string, string>();
  private pad = 0;

  constructor(io: CliIo) {
    this.io = io;
  }

  width(rows: BlockRunRecord[]): void {
    for (const row of rows) this.pad = Math.max(this.pad, row.block.length);
  }

  text(block: string, stream: string, text: string): void {
    const key = `${block}\0${stream}`;
    const lines = ((this.partial.get(key) ?? '') + text).split('\n');
    this.partial.set(key, lines.pop() ?? '');
    for (const line of lines) this.line(block, line.replace(/\r$/, ''));
  }

  started(row: BlockRunRecord): void {
    this.line(row.block, `▶ started${row.attempt > 1 ? ` (attempt ${row.attempt})` : ''}`);
  }

  status(row: BlockRunRecord): void {
    if (row.status === 'initial' || row.status === 'queued') return;
    for (const stream of ['stdout', 'stderr', 'system']) this.flushKey(`${row.block}\0${stream}`);
    const style = statusStyle(row.status);
    this.line(row.block, `${style.glyph} ${style.label}${row.reason !== undefined && row.status !== 'completed' ? ` (${row.reason})` : ''}`);
  }

  flushAll(): void {
    for (const key of [...this.partial.keys()]) this.flushKey(key);
  }

  line(block: string, text: string): void {
    this.io.out(`${block.padEnd(this.pad)} | ${text}`);
  }

  private flushKey(key: string): void {
    const rest = this.partial.get(key);
    this.partial.delete(key);
    if (rest !== undefined && rest !== '') this.line(key.slice(0, key.indexOf('\0')), rest);
  }
}
