import { findPipelineFiles, UsageError } from './files.ts';
import { formatTable } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';
import { USAGE } from './scheduleCommand.ts';
import { formatInZone } from '../language/triggerText.ts';
import { loadPipelines } from '../triggers/loadPipelines.ts';
import { eventTriggers, upcomingFires } from '../triggers/upcoming.ts';
import { parseAt } from '../triggers/windows.ts';
import { formatElapsed } from '../util/duration.ts';
import { localTimeZone } from '../util/zonedTime.ts';

/** `schedule --list`: the upcoming fires from any moment, as a table or JSON. */
export function listFires(paths: string[], values: { at: string | undefined; count: string | undefined; json: boolean }, io: CliIo): number {
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
  if (values.json) {
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
