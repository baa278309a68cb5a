import { ResponseError } from 'vscode-jsonrpc';
import { isRetryableRun } from '../model/status.ts';
import type { RunRefusedData } from '../runner/protocol.ts';
import type { SocketRunnerClient } from '../runner/client.ts';
import { UsageError } from './files.ts';
import { startedService } from './runControl.ts';
import { parseCommandArgs, parseRunId, resolveStorePath, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio retry RUN… [--wait] [--store PATH]
  Re-runs the failed, cancelled and interrupted blocks of each run (with its variables) as a new run,
  in the store's runner service (the editor's, or one started for it), so the editor shows it live.
  --wait: wait for the new runs to finish; exit 1 unless all completed.`;

/** `retry`: a retry run per named run, started in the runner service; says per run what it did. */
export async function retryCommand(args: string[], io: CliIo, cliPath = process.argv[1] ?? ''): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { wait: { type: 'boolean' }, store: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`Which runs? Name them by number.\n${USAGE}`);
  const path = resolveStorePath(values.store);
  return withCliStore(io, 'retry', path, async (store) => {
    let failed = 0;
    let service: SocketRunnerClient | undefined;
    const started: { source: number; runId: number }[] = [];
    try {
      for (const text of positionals) {
        const id = parseRunId(text, store, USAGE) ?? 0;
        const run = store.getRun(id);
        if (run === undefined || !isRetryableRun(run.status)) {
          io.out(run === undefined ? `#${id}: not in the store ${path}.` : `#${id}: ${run.status}; ${run.status === 'completed' ? 'nothing to retry' : 'cancel it or let it finish first'}.`);
          failed++;
          continue;
        }
        service ??= await startedService(path, cliPath);
        try {
          const result = await service.startRun({ file: run.pipelineFile, selection: { mode: 'retry', runId: id }, trigger: 'retry', store: path });
          started.push({ source: id, runId: result.runId });
          io.out(`#${id}: retrying as run #${result.runId} in the runner service.`);
        } catch (error) {
          if (!(error instanceof ResponseError)) throw error;
          const problems = (error.data as RunRefusedData | undefined)?.problems ?? [error.message];
          io.out(`#${id}: not retried: ${problems.join('; ')}`);
          failed++;
        }
      }
      if (values.wait === true && service !== undefined) {
        for (const { source, runId } of started) {
          const finished = await service.waitForRun({ runId, store: path });
          io.out(`#${runId} (retry of #${source}): ${finished.status}.`);
          if (finished.status !== 'completed') failed++;
        }
      }
    } finally {
      await service?.close();
    }
    return failed === 0 ? 0 : 1;
  }, () => {
    io.err(`pipeline-studio retry: no run store at ${path}.`);
    return 1;
  });
}
