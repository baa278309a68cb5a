import { hostname, userInfo } from 'node:os';
import { statusLabel, isFinalStatus } from '../model/status.ts';
import type { ControlAction } from '../runner/control.ts';
import { removeDeadOwnersSocket, sendControl } from '../runner/controlSocket.ts';
import { UsageError } from './files.ts';
import { parseCommandArgs, parseRunId, resolveStorePath, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

/**
 * What `pause`, `resume`, `approve` and `reject` share: find the run in the store, then ask the
 * process that owns it (see runner/controlSocket.ts). Exit 0 when it did what was asked, 1 when
 * it could not (finished run, owner gone, block not waiting).
 */
export async function controlCommand(
  name: 'pause' | 'resume' | 'approve' | 'reject', args: string[], io: CliIo, usage: string,
): Promise<number> {
  const withBlock = name === 'approve' || name === 'reject';
  const { values, positionals } = parseCommandArgs(args, {
    store: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    ...(name === 'pause' ? { now: { type: 'boolean' } } : {}),
    ...(withBlock ? { comment: { type: 'string' } } : {}),
  }, usage);
  if (values.help === true) {
    io.out(usage);
    return 0;
  }
  const wanted = withBlock ? 2 : 1;
  if (positionals.length !== wanted) {
    throw new UsageError(`${positionals.length < wanted ? (positionals.length === 0 ? 'Which run?' : 'Which block?') : `Unexpected argument '${positionals[wanted] ?? ''}'.`}\n${usage}`);
  }
  const path = resolveStorePath(values.store);
  const notFound = (): number => {
    io.err(`pipeline-studio ${name}: run ${positionals[0] ?? ''} not found (${path}).`);
    return 1;
  };
  return withCliStore(io, name, path, async (store) => {
    const id = parseRunId(positionals[0] ?? '', store, usage);
    const run = id === undefined ? undefined : store.getRun(id);
    if (run === undefined) return notFound();
    if (isFinalStatus(run.status)) {
      const gone = run.status === 'interrupted' ? `: its owner (pid ${run.ownerPid} on ${run.ownerHost}) is gone` : '';
      if (run.status === 'interrupted' && run.ownerHost === hostname()) removeDeadOwnersSocket(path, run.id, run.ownerPid);
      io.err(`pipeline-studio ${name}: run #${run.id} has ended (${statusLabel(run.status)})${gone}; there is nothing to ${name}.`);
      return 1;
    }
    const request: ControlAction = name === 'pause' ? { action: 'pause', now: values.now === true }
      : name === 'resume' ? { action: 'resume' }
        : { action: name, block: positionals[1] ?? '', user: userInfo().username, ...(typeof values.comment === 'string' ? { comment: values.comment } : {}) };
    const answer = await sendControl(path, run, request);
    if (answer.ok) io.out(answer.message);
    else io.err(`pipeline-studio ${name}: ${answer.message}`);
    return answer.ok ? 0 : 1;
  }, notFound);
}
