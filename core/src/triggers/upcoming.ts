import type { TriggerDef } from '../model/triggers.ts';
import { localTimeZone } from '../util/zonedTime.ts';
import type { LoadedPipeline } from './loadPipelines.ts';
import { nextFires } from './nextFire.ts';

export interface UpcomingFire {
  /** Epoch ms. */
  at: number;
  trigger: string;
  kind: NonNullable<TriggerDef['kind']>;
  pipeline: string;
  file: string;
  /** The zone the trigger's clock is read in. */
  timezone: string;
}

export interface EventTrigger {
  trigger: string;
  kind: 'files' | 'after';
  pipeline: string;
  file: string;
  /** The globs, or the upstream file and status. */
  detail: string;
}

/**
 * The first `count` clock fires of every trigger after `from`, in time order (ties by file, then
 * trigger). An `always` trigger is listed once: its later fires wait for runs to end.
 */
export function upcomingFires(pipelines: readonly LoadedPipeline[], from: number, count: number): UpcomingFire[] {
  const fires: UpcomingFire[] = [];
  for (const { file, pipeline, refused } of pipelines) {
    if (refused !== undefined) continue;
    for (const trigger of pipeline.triggers) {
      if (trigger.kind === undefined || trigger.kind === 'files' || trigger.kind === 'after') continue;
      const timezone = trigger.timezone ?? localTimeZone();
      for (const at of nextFires(trigger, from, count)) fires.push({ at, trigger: trigger.name, kind: trigger.kind, pipeline: pipeline.name, file, timezone });
    }
  }
  fires.sort((a, b) => a.at - b.at || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.trigger < b.trigger ? -1 : 1));
  return fires.slice(0, count);
}

export function eventTriggers(pipelines: readonly LoadedPipeline[]): EventTrigger[] {
  const out: EventTrigger[] = [];
  for (const { file, pipeline, refused } of pipelines) {
    if (refused !== undefined) continue;
    for (const t of pipeline.triggers) {
      if (t.kind === 'files') out.push({ trigger: t.name, kind: 'files', pipeline: pipeline.name, file, detail: t.files.map((f) => f.value).join(', ') });
      if (t.kind === 'after') out.push({ trigger: t.name, kind: 'after', pipeline: pipeline.name, file, detail: `${t.after?.value.trim() ?? ''} ${t.afterStatus}` });
    }
  }
  return out;
}
