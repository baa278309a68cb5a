import { UsageError } from './files.ts';
import { parseCommandArgs } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

export const USAGE = `Usage: pipeline-studio schedule [folders or files…] [--store PATH] [--drain]   run the triggers (foreground; SIGTERM stops)
       pipeline-studio schedule --list [folders or files…] [--at ISO] [--count N] [--json]   the upcoming fires
  Folders default to the current one. --at is a time like 2026-12-24T18:00Z (without an offset: local time).`;

/** `schedule`: the headless scheduler, or with `--list` the fires to come from any moment. */
export async function scheduleCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    list: { type: 'boolean' }, at: { type: 'string' }, count: { type: 'string' }, json: { type: 'boolean' },
    store: { type: 'string' }, drain: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  const paths = positionals.length > 0 ? positionals : ['.'];
  if (values.list !== true) {
    for (const option of ['at', 'count', 'json'] as const) if (values[option] !== undefined) throw new UsageError(`--${option} goes with --list.\n${USAGE}`);
    // Tests shorten the lease's heartbeat so that a takeover shows within seconds, and may lengthen
    // the time after which a silent holder's lease is taken (a loaded machine can starve a holder).
    const heartbeat = Number(process.env.PIPELINE_STUDIO_LEASE_HEARTBEAT_MS ?? '');
    const stale = Number(process.env.PIPELINE_STUDIO_LEASE_STALE_MS ?? '');
    // What each mode needs loads with it: the long-lived scheduler keeps no validator or engine it
    // has not used (bench/triggers.ts).
    const { runScheduler } = await import('./scheduleRun.ts');
    return runScheduler({ paths, storeOption: values.store, drain: values.drain === true, ...(heartbeat >= 100 ? { leaseHeartbeatMs: heartbeat } : {}), ...(stale >= 100 ? { leaseStaleMs: stale } : {}) }, io);
  }
  if (values.store !== undefined || values.drain !== undefined) throw new UsageError(`--list reads no store; --store and --drain are for running the scheduler.\n${USAGE}`);
  const { listFires } = await import('./scheduleList.ts');
  return listFires(paths, { at: values.at, count: values.count, json: values.json === true }, io);
}
