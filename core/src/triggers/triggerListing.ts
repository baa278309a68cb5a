import type { TriggerDef } from '../model/triggers.ts';
import type { RunTrigger } from '../store/types.ts';
import type { LoadedPipeline } from './loadPipelines.ts';
import { nextFireAfter } from './nextFire.ts';
import { busy, type PipelineState, type TriggerEntry } from './pipelineState.ts';

/** A trigger as the editor lists it ("Upcoming", code lenses, the status bar). */
export interface TriggerListing {
  file: string;
  pipeline: string;
  trigger: string;
  kind: NonNullable<TriggerDef['kind']>;
  /** The next clock fire (epoch ms); undefined for event and chained triggers, and a clock trigger that never fires again. */
  next: number | undefined;
  /** Turned off by the user (kept outside the file); it does not fire. */
  disabled: boolean;
  /** Offset of the trigger's name in the file. */
  offset: number;
  timezone: string | undefined;
  /** What an event or chained trigger waits for. */
  waitsFor: string | undefined;
}

/** The key of a trigger in a disabled set. */
export function triggerKey(file: string, trigger: string): string {
  return `${file}#${trigger}`;
}

const LABEL_PREFIX: Record<NonNullable<TriggerDef['kind']>, string> = { cron: 'schedule', every: 'schedule', at: 'schedule', files: 'event', after: 'chained', always: 'always' };

/** The kinds of trigger a timer fires (the others wait for a file or an upstream run). */
export const CLOCK_KINDS = new Set(['cron', 'every', 'at', 'always']);

export function triggerLabel(trigger: TriggerDef): RunTrigger {
  return `${LABEL_PREFIX[trigger.kind ?? 'cron'] as 'schedule'}:${trigger.name}`;
}

export interface ListingSource {
  loaded: readonly LoadedPipeline[];
  states: ReadonlyMap<string, PipelineState>;
  entries: readonly TriggerEntry[];
  disabled: ReadonlySet<string>;
}

/** Every trigger of the clean files, disabled ones included, with its next fire from `now`. */
export function listTriggers(source: ListingSource, now: number): TriggerListing[] {
  const out: TriggerListing[] = [];
  for (const loaded of source.loaded) {
    if (loaded.refused !== undefined) continue;
    const state = source.states.get(loaded.file);
    for (const trigger of loaded.pipeline.triggers) {
      const kind = trigger.kind;
      if (kind === undefined) continue;
      const entry = source.entries.find((e) => e.file === loaded.file && e.trigger.name === trigger.name);
      const from = Math.max(now, entry?.after ?? now);
      const next = CLOCK_KINDS.has(kind) ? nextFireAfter(trigger, kind === 'always' ? now - 1 : from, { running: state !== undefined && busy(state), lastEndedAt: state?.lastEndedAt }) : undefined;
      const waitsFor = kind === 'files' ? trigger.files.map((f) => f.value).join(', ') : kind === 'after' ? `${trigger.after?.value.trim() ?? ''} (${trigger.afterStatus})` : undefined;
      out.push({ file: loaded.file, pipeline: loaded.pipeline.name, trigger: trigger.name, kind, next, disabled: source.disabled.has(triggerKey(loaded.file, trigger.name)), offset: trigger.nameSpan.start, timezone: trigger.timezone, waitsFor });
    }
  }
  return out;
}
