import { setTimeout as sleep } from 'node:timers/promises';
import { FINISHED_BLOCK_STATUSES, type BlockRunRecord, type RunStore } from '../store/index.ts';
import { UsageError } from './files.ts';
import { parseCommandArgs, parseRunId, resolveStorePath, runIsFinished, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = 'Usage: pipeline-studio logs RUN [BLOCK] [--follow] [--store PATH]   (RUN: a run number, or latest)';
const POLL_MS = 250;
// How often a follower re-checks that the run's owner is alive (a killed CLI would otherwise be followed forever).
const OWNER_CHECK_MS = 2000;
// Colours (SGR) are kept in the store and shown on a terminal; a pipe or file gets plain text.
const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;:]*m`, 'g');

/** `logs`: the stored output of a run's blocks; `--follow` keeps printing until the run ends. */
export async function logsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { follow: { type: 'boolean', short: 'f' }, store: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  const [runText, block, extra] = positionals;
  if (runText === undefined) throw new UsageError(`Which run?\n${USAGE}`);
  if (extra !== undefined) throw new UsageError(`Unexpected argument '${extra}'.\n${USAGE}`);
  const path = resolveStorePath(values.store);
  const notFound = (): number => {
    io.err(`pipeline-studio logs: run ${runText} not found (${path}).`);
    return 1;
  };
  return withCliStore(io, 'logs', path, async (store) => {
    const id = parseRunId(runText, store, USAGE);
    if (id === undefined || store.getRun(id) === undefined) return notFound();
    return printLogs(store, id, block, values.follow === true, io, process.stdout.isTTY);
  }, notFound);
}

interface Cursor {
  afterSeq: number;
  partial: string;
}

async function printLogs(store: RunStore, runId: number, block: string | undefined, follow: boolean, io: CliIo, colour: boolean): Promise<number> {
  const cursors = new Map<number, Cursor>();
  let current: number | undefined;
  let lastOwnerCheck = Date.now();
  const emit = (blockRun: BlockRunRecord, text: string, showHeader: boolean): void => {
    const cursor = cursors.get(blockRun.id) ?? { afterSeq: 0, partial: '' };
    cursors.set(blockRun.id, cursor);
    const lines = (cursor.partial + (colour ? text : text.replace(SGR, ''))).split('\n');
    cursor.partial = lines.pop() ?? '';
    if (lines.length === 0) return;
    if (showHeader && current !== blockRun.id) io.out(`==> ${blockRun.block}${blockRun.attempt > 1 ? ` (attempt ${blockRun.attempt})` : ''} <==`);
    current = blockRun.id;
    for (const line of lines) io.out(line);
  };
  for (;;) {
    if (follow && Date.now() - lastOwnerCheck >= OWNER_CHECK_MS) {
      store.markInterrupted();
      lastOwnerCheck = Date.now();
    }
    // Status first, then logs: a run is finished only after its blocks' logs are stored.
    const run = store.getRun(runId);
    if (run === undefined) return 1;
    const finished = runIsFinished(run);
    // `resize[3]`: one item of a fan-out block (its latest attempt).
    const item = block === undefined ? null : /^(.+)\[(\d+)\]$/.exec(block);
    const blockRuns = item !== null
      ? store.itemRuns(runId, item[1] ?? '', { offset: Number(item[2]), limit: 1 }).filter((b) => b.block === block)
      : store.blockRuns(runId).filter((b) => block === undefined || b.block === block);
    const showHeader = block === undefined || blockRuns.some((b) => b.attempt > 1);
    for (const blockRun of blockRuns) {
      const cursor = cursors.get(blockRun.id) ?? { afterSeq: 0, partial: '' };
      cursors.set(blockRun.id, cursor);
      for (const chunk of store.readLogs(blockRun.id, cursor.afterSeq)) {
        cursor.afterSeq = chunk.seq;
        emit(blockRun, chunk.text, showHeader);
      }
      // A block that has ended will not finish its last line; print it. Without --follow, everything has ended.
      if (cursor.partial !== '' && (!follow || finished || FINISHED_BLOCK_STATUSES.includes(blockRun.status))) emit(blockRun, '\n', showHeader);
    }
    if (!follow || finished) {
      if (block !== undefined && blockRuns.length === 0) {
        const names = [...new Set(store.blockRuns(runId).map((b) => b.block))];
        io.err(`pipeline-studio logs: run #${runId} has no block '${block}'${names.length > 0 ? ` (its blocks: ${names.join(', ')})` : ''}.`);
        return 1;
      }
      return 0;
    }
    await sleep(POLL_MS);
  }
}
