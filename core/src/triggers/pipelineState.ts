import type { TriggerDef } from '../model/triggers.ts';
import type { ScheduledPipeline } from './loadPipelines.ts';
import type { RunFlight } from './runFlight.ts';

/** What a scheduler keeps per pipeline file: its runs and queued fire, shared by all its triggers. */
export interface PipelineState {
  file: string;
  pipeline: ScheduledPipeline;
  inFlight: Set<RunFlight>;
  queued: { entry: TriggerEntry; fireId: number } | undefined;
  lastEndedAt: number | undefined;
  /** Runs being started (fired, not yet running): they count as in flight. */
  starting: number;
}

/** One armed trigger of a pipeline: its timer or file watch and how far its ticks are handled. */
export interface TriggerEntry {
  file: string;
  pipeline: ScheduledPipeline;
  trigger: TriggerDef;
  state: PipelineState;
  timer: unknown;
  /** Ticks up to this one have been handled. */
  after: number;
  stopWatch: (() => void) | undefined;
  debounce: unknown;
  lastFile: string | undefined;
  /** After a run that could not start, an always-on trigger waits until then rather than retry at once. */
  refusedUntil: number;
}

export function newPipelineState(file: string, pipeline: ScheduledPipeline): PipelineState {
  return { file, pipeline, inFlight: new Set(), queued: undefined, lastEndedAt: undefined, starting: 0 };
}

/** An entry not armed yet, whose ticks are handled up to `after`. */
export function newTriggerEntry(state: PipelineState, pipeline: ScheduledPipeline, trigger: TriggerDef, after: number): TriggerEntry {
  return { file: state.file, pipeline, trigger, state, timer: undefined, after, stopWatch: undefined, debounce: undefined, lastFile: undefined, refusedUntil: 0 };
}

/** A run of the pipeline is in flight or being started: what the overlap policy and `always` look at. */
export function busy(state: PipelineState): boolean {
  return state.inFlight.size > 0 || state.starting > 0;
}
