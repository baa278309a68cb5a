import type { Span } from './diagnostic.ts';
import type { TextValue } from './pipeline.ts';
import type { ScalarValue } from '../yaml/ast.ts';

/** What makes a trigger fire; exactly one per trigger. */
export type TriggerKind = 'cron' | 'every' | 'at' | 'always' | 'files' | 'after';
export const TRIGGER_KINDS: readonly TriggerKind[] = ['cron', 'every', 'at', 'always', 'files', 'after'];

export type OnTimeout = 'failed' | 'cancelled' | 'warn';
export const ON_TIMEOUT_VALUES: readonly OnTimeout[] = ['failed', 'cancelled', 'warn'];
export type AfterStatus = 'completed' | 'failed' | 'any';
export const AFTER_STATUS_VALUES: readonly AfterStatus[] = ['completed', 'failed', 'any'];
export type OverlapPolicy = 'skip' | 'queue' | 'allow' | 'cancel-previous';
export const OVERLAP_VALUES: readonly OverlapPolicy[] = ['skip', 'queue', 'allow', 'cancel-previous'];
export type CatchUp = 'none' | 'latest';
export const CATCH_UP_VALUES: readonly CatchUp[] = ['none', 'latest'];

/** A daily time window in wall-clock minutes; `end < start` spans midnight. */
export interface TimeWindow {
  startMinute: number;
  endMinute: number;
}

export interface TriggerDef {
  name: string;
  /** The name's key (or the `schedule` key for the short form). */
  nameSpan: Span;
  span: Span;
  /** Undefined when the trigger names no kind (already reported); such a trigger never fires. */
  kind: TriggerKind | undefined;
  /** Five cron fields (macros expanded). */
  cron: string | undefined;
  everyMs: number | undefined;
  /** Epoch milliseconds. */
  atMs: number | undefined;
  files: TextValue[];
  debounceMs: number;
  /** The upstream pipeline file, as written (relative to this file's folder). */
  after: TextValue | undefined;
  afterStatus: AfterStatus;
  minGapMs: number;
  /** IANA zone; undefined: the machine's. */
  timezone: string | undefined;
  window: TimeWindow | undefined;
  /** Allowed days of the week, 0 = Sunday; undefined: every day. */
  days: ReadonlySet<number> | undefined;
  variables: Record<string, Exclude<ScalarValue, null>>;
  slaMs: number | undefined;
  timeoutMs: number | undefined;
  onTimeout: OnTimeout;
  /** True for the `schedule:` short form. */
  short: boolean;
}

export const DEFAULT_DEBOUNCE_MS = 1000;
