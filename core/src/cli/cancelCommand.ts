import { resolve } from 'node:path';
import { isFinalStatus } from '../model/status.ts';
import { UsageError } from './files.ts';
import { cancelRun, existingService } from './runControl.ts';
import { parseCommandArgs, parseRunId, resolveStorePath, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio cancel RUN… [--store PATH]
       pipeline-studio cancel --all-running [--pipeline NAME|FILE] [--store PATH]
  Cancels runs recorded by any process on this machine: through the store's runner service (the
  editor's), the control channel of the 'pipeline-studio run' that owns a run (only that run: one
  run of a --for-each batch, or a sub-pipeline's child run), or else by signalling that process.
  Says per run what it did.`;

/** `cancel`: stops runs in flight, whichever process runs them; exit 1 when one could not be cancelled. */
export async function cancelCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    'all-running': { type: 'boolean' }, pipeline: { type: 'string' }, store: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  const all = values['all-running'] === true;
  if (all === (positionals.length > 0)) throw new UsageError(`${all ? 'Name runs or pass --all-running, not both.' : 'Which runs? Name them, or pass --all-running.'}\n${USAGE}`);
  if (values.pipeline !== undefined && !all) throw new UsageError(`--pipeline goes with --all-running.\n${USAGE}`);
  const path = resolveStorePath(values.store);
  return withCliStore(io, 'cancel', path, async (store) => {
    let ids: number[];
    if (all) {
      const pipeline = values.pipeline;
      const byFile = pipeline !== undefined && /[/\\]|\.ya?ml$/i.test(pipeline);
      ids = store.listRuns({
        text: 'status:initial,running,paused', limit: 1_000_000,
        ...(pipeline === undefined ? {} : byFile ? { pipelineFile: resolve(pipeline) } : { pipelineName: pipeline }),
      }).map((r) => r.id);
      if (ids.length === 0) {
        io.out(`No runs are running${pipeline === undefined ? '' : ` for ${pipeline}`}.`);
        return 0;
      }
    } else {
      ids = positionals.map((p) => parseRunId(p, store, USAGE) ?? 0);
    }
    const service = await existingService(path);
    let failed = 0;
    try {
      // One at a time, oldest first: each waits for its run to be recorded as ended.
      for (const id of ids.sort((a, b) => a - b)) {
        const run = store.getRun(id);
        if (run === undefined) {
          io.out(`#${id}: not in the store ${path}.`);
          failed++;
          continue;
        }
        const outcome = await cancelRun(store, run, service);
        io.out(outcome.message);
        if (!outcome.ok && !isFinalStatus(store.getRun(id)?.status ?? 'completed')) failed++;
      }
    } finally {
      await service?.close();
    }
    return failed === 0 ? 0 : 1;
  }, () => {
    io.err(`pipeline-studio cancel: no run store at ${path}.`);
    return 1;
  });
}
