import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { statusStyle } from '../model/status.ts';
import { parseItemList } from '../runner/fanOut.ts';
import { RunRefused, startRun, type RunEvent, type RunHandle, type StartRunOptions } from '../runner/index.ts';
import { ControlChannels } from '../runner/controlChannels.ts';
import { gateWaitsLine } from './approvalPrompt.ts';
import { UsageError } from './files.ts';
import type { CliIo } from './validateCommand.ts';

/** `--for-each VAR=@items.txt`: which variable each run sets, and the file of values (one per line). */
export function parseForEach(value: string, usage: string): { name: string; path: string } {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=@(.+)$/.exec(value);
  if (m === null) throw new UsageError(`--for-each takes VAR=@FILE (one value per line), not '${value}'.\n${usage}`);
  return { name: m[1] ?? '', path: resolve(m[2] ?? '') };
}

export function readBatchItems(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`--for-each: cannot read ${path}`);
  }
  return parseItemList(text);
}

/**
 * Runs the whole pipeline once per value, `maxParallel` runs at a time, each recorded with the
 * batch's id (`batch:ID` finds them). One line per run as it ends; exit 0 when every run completed.
 */
export async function runBatch(
  io: CliIo, options: Omit<StartRunOptions, 'variables'> & { variables: Record<string, string> }, name: string, items: readonly string[], maxParallel: number,
): Promise<number> {
  const batchId = randomBytes(4).toString('hex');
  io.out(`Batch ${batchId}: ${items.length} run${items.length === 1 ? '' : 's'} of ${options.file}, ${name} from the list, up to ${maxParallel} at once (runs: pipeline-studio runs 'batch:${batchId}')`);
  const running = new Set<RunHandle>();
  // Each run of the batch answers `pause`, `cancel`, `approve`… from another terminal by its number.
  const control = new ControlChannels(options.store.path, (runId, message) => io.err(`pipeline-studio run: no control channel for run #${runId}: ${message}`));
  let cancelled = false;
  const onSignal = (): void => {
    if (!cancelled) io.err('\nCancelling the batch: running runs are cancelled, no new run starts…');
    cancelled = true;
    for (const handle of running) handle.cancel();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ends = { completed: 0, other: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!cancelled && next < items.length) {
      const position = next++;
      const value = items[position] ?? '';
      const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value);
      let handle: RunHandle;
      try {
        handle = await startRun({
          ...options, variables: { ...options.variables, [name]: value }, batchId, trigger: 'cli',
          onChildRun: (child) => {
            control.watchChildren(child);
            return (e) => noteWaitingGate(io, e, `[${position + 1}/${items.length}] `);
          },
          onEvent: (e) => noteWaitingGate(io, e, `[${position + 1}/${items.length}] `),
        });
      } catch (error) {
        if (!(error instanceof RunRefused)) throw error;
        ends.other++;
        io.err(`[${position + 1}/${items.length}] ${name}=${shown}: not started: ${error.problems.join('; ')}`);
        continue;
      }
      running.add(handle);
      await control.add(handle);
      const result = await handle.done;
      running.delete(handle);
      if (result.status === 'completed') ends.completed++;
      else ends.other++;
      const failed = result.blocks.filter((b) => b.status === 'failed').map((b) => b.block);
      io.out(`[${position + 1}/${items.length}] Run #${result.runId} ${name}=${shown}: ${statusStyle(result.status).label}${failed.length > 0 ? ` (${failed.join(', ')} failed)` : ''}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(maxParallel, Math.max(items.length, 1)) }, () => worker()));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await control.close();
  }
  const notRun = items.length - ends.completed - ends.other;
  io.out(`Batch ${batchId}: ${ends.completed} completed, ${ends.other} not completed${notRun > 0 ? `, ${notRun} not started` : ''}.`);
  if (cancelled) return 130;
  return ends.other === 0 && notRun === 0 ? 0 : 1;
}

/** A batch prints one line per run; a gate that waits (in a run or its child runs) gets one too, saying how to decide it. */
function noteWaitingGate(io: CliIo, e: RunEvent, prefix: string): void {
  if (e.type === 'block-status' && e.status === 'waiting') io.out(`${prefix}${gateWaitsLine(e.runId, e.block)}`);
}
