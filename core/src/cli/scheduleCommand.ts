import { findPipelineFiles, UsageError } from './files.ts';
import { formatTable, parseCommandArgs } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';
import { formatInZone } from '../language/triggerText.ts';
import { loadPipelines } from '../triggers/loadPipelines.ts';
import { eventTriggers, upcomingFires } from '../triggers/upcoming.ts';
import { parseAt } from '../triggers/windows.ts';
import { formatElapsed } from '../util/duration.ts';
import { localTimeZone } from '../util/zonedTime.ts';
import { runScheduler } from './scheduleRun.ts';

const USAGE = `Usage: pipeline-studio schedule [folders or files…] [--store PATH] [--drain]   run the triggers (foreground; SIGTERM stops)
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
    // Tests shorten the lease's heartbeat so that a takeover shows within seconds.
    const heartbeat = Number(process.env.PIPELINE_STUDIO_LEASE_HEARTBEAT_MS ?? '');
    return runScheduler({ paths, storeOption: values.store, drain: values.drain === true, ...(heartbeat >= 100 ? { leaseHeartbeatMs: heartbeat } : {}) }, io);
  }
  if (values.store !== undefined || values.drain !== undefined) throw new UsageError(`--list reads no store; --store and --drain are for running the scheduler.\n${USAGE}`);
  let from = Date.now();
  if (values.at !== undefined) {
    const at = parseAt(values.at, localTimeZone());
    if (typeof at !== 'number') throw new UsageError(`--at: ${at.error}\n${USAGE}`);
    from = at;
  }
  let count = 10;
  if (values.count !== undefined) {
    if (!/^[1-9]\d{0,3}$/.test(values.count)) throw new UsageError(`--count must be a whole number from 1 to 9999, not '${values.count}'.\n${USAGE}`);
    count = Number(values.count);
  }
  const pipelines = loadPipelines(findPipelineFiles(paths));
  const fires = upcomingFires(pipelines, from, count);
  const events = eventTriggers(pipelines);
  const refused = pipelines.filter((p) => p.refused !== undefined).map((p) => p.refused ?? '');
  if (values.json === true) {
    io.out(JSON.stringify({
      from: new Date(from).toISOString(),
      fires: fires.map((f) => ({ at: new Date(f.at).toISOString(), trigger: f.trigger, kind: f.kind, pipeline: f.pipeline, file: f.file, timezone: f.timezone })),
      events,
      refused,
    }, null, 2));
  } else {
    if (fires.length === 0) io.out(`No clock trigger fires after ${new Date(from).toISOString()}.`);
    else {
      const rows = fires.map((f) => [`${formatInZone(f.at, f.timezone)} ${f.timezone}`, `in ${formatAhead(f.at - from)}`, f.trigger, f.pipeline, f.file]);
      for (const line of formatTable(['when', 'in', 'trigger', 'pipeline', 'file'], rows)) io.out(line);
    }
    if (events.length > 0) {
      io.out('');
      for (const e of events) io.out(`on ${e.kind === 'files' ? 'change of' : 'end of'} ${e.detail}: ${e.trigger} (${e.pipeline}, ${e.file})`);
    }
    for (const line of refused) io.err(`not scheduled, it has errors: ${line}`);
  }
  return refused.length > 0 ? 1 : 0;
}

/** `45s`, `2h 05m`, `16d 18h`: how far ahead, at a glance. */
function formatAhead(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  if (days < 2) return formatElapsed(ms);
  return `${days}d ${String(Math.floor((ms % 86_400_000) / 3_600_000)).padStart(2, '0')}h`;
}
