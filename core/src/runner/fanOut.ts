import { globSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EvaluationError } from '../expr/index.ts';
import type { Block } from '../model/pipeline.ts';
import type { BlockRunRecord, BlockRunUpdate, BlockStatus, ItemOf } from '../store/types.ts';
import { isFinished, move, newBlockRun, type BlockEvent, type BlockRun } from './blockMachine.ts';
import type { Clock } from './clock.ts';
import type { PreparedRun } from './prepare.ts';
import { upstreamViews, stopReason } from './readiness.ts';
import { makeLookup, renderText, resolveBlock, ScriptRefused, type ItemValue, type RunScope, type Upstream } from './resolve.ts';
import type { RunRecorder } from './runRecorder.ts';

/**
 * Fan-out (`foreach:`): the block becomes one item per value (`resize[0]`, `resize[1]`, …). Each
 * item is a BlockRun of its own that moves along blockMachine.ts's table (queued, running, retried,
 * completed or failed) and is recorded like a block run; the block itself waits in `fanned_out`
 * until its last item has ended, and then ends as their aggregate:
 *
 *   every item completed (or reused) ──► completed, each output a JSON list over the items
 *   any item failed after its retries ──► failed (`continue_on_error` tolerates it, as for a block)
 *   otherwise some were cancelled     ──► cancelled
 *
 * At most `max_parallel` items are released to the run's ready queue at a time (the run's
 * `concurrency` then applies to them as to any block). Item values reach the script the way every
 * `${{ }}` value does (substitute.ts): as data in the environment, never as code.
 */
export interface FanOut {
  items: BlockRun[];
  /** Position in `items` of the next item to release. */
  next: number;
  /** Items released and not yet ended. */
  active: number;
  /** Items ended. */
  done: number;
  limit: number;
  counts: Partial<Record<BlockStatus, number>>;
  releasing: boolean;
  released: Uint8Array;
  lastProgressAt: number;
}

/** What a fan-out needs from its run (run.ts). */
export interface FanOutHost {
  readonly prepared: PreparedRun;
  readonly scope: RunScope;
  readonly recorder: RunRecorder;
  readonly clock: Clock;
  readonly byId: ReadonlyMap<string, BlockRun>;
  readonly stopping: 'cancelled' | 'timeout' | undefined;
  /** A ready-queue index for a new item. */
  newIndex(item: BlockRun): number;
  /** The item is resolved and queued: start it when a slot is free. */
  enqueue(item: BlockRun): void;
  /** Ends a block or an item (records it; for an item, calls itemEnded). */
  finish(state: BlockRun, event: BlockEvent, update: Omit<BlockRunUpdate, 'status'>): void;
}

/** More items than this is a mistake in the list (a whole file read as lines, say), not a batch. */
export const MAX_ITEMS = 100_000;
const PROGRESS_EVERY_MS = 250;

export class ItemsRefused extends Error {}

/** The block's items, from its `foreach` (an expression's value, a literal list, or a glob matched now). */
export function listItems(scope: RunScope, block: Block, upstream: Upstream): ItemValue[] {
  const spec = block.foreach;
  if (spec === undefined) return [];
  const env = { ...scope.processEnv, ...scope.pipelineEnv, ...scope.defaultsEnv };
  const lookup = makeLookup(scope, (name) => env[name], upstream);
  let values: string[];
  if (spec.kind === 'list') values = spec.items.map((item) => renderText(item.value, lookup));
  else if (spec.kind === 'expression') values = parseItemList(renderText(spec.value.value, lookup));
  else values = matchFiles(scope.folder, renderText(spec.pattern.value, lookup));
  if (values.length > MAX_ITEMS) throw new ItemsRefused(`${values.length} items is more than the ${MAX_ITEMS} a fan-out takes`);
  return values.map((value, index) => ({ value, index, name: itemName(value) }));
}

/** A JSON list (`["a","b"]`), else one item per non-blank line. */
export function parseItemList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map((v) => (typeof v === 'string' ? v : v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)));
    } catch {
      // Not JSON: a line that happens to start with '['.
    }
  }
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}

/** Files (not folders) matching the pattern, relative to the pipeline's folder, in a stable order. */
function matchFiles(folder: string, pattern: string): string[] {
  const matches = globSync(pattern, { cwd: folder }).filter((path) => {
    try {
      return statSync(join(folder, path)).isFile();
    } catch {
      return false;
    }
  });
  return matches.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function itemName(value: string): string {
  const cut = Math.max(value.lastIndexOf('/'), value.lastIndexOf('\\'));
  return cut < 0 ? value : value.slice(cut + 1);
}

/** The store's marking of an item's row (for an attempt's new row). */
export function itemOf(state: BlockRun): { item?: ItemOf } {
  if (state.parent === undefined || state.item === undefined) return {};
  return { item: { of: state.parent.id, index: state.item.index, value: state.item.value } };
}

/** The block's upstream finished and its condition holds: list its items, record them, release the first. */
export function startFanOut(host: FanOutHost, state: BlockRun): void {
  let values: ItemValue[];
  try {
    values = listItems(host.scope, state.block, upstreamViews(host.byId));
  } catch (error) {
    if (error instanceof EvaluationError || error instanceof ItemsRefused) {
      host.finish(state, 'fail', { reason: `foreach: ${error.message}` });
      return;
    }
    throw error;
  }
  const now = host.clock.now();
  move(state, 'fan_out');
  state.startedAt = now;
  const reused = reusableItems(host, state, values);
  const items = values.map((value) => {
    const item = newBlockRun(state.block, 0, true, undefined);
    item.id = `${state.id}[${value.index}]`;
    item.parent = state;
    item.item = value;
    item.index = host.newIndex(item);
    return item;
  });
  const fan: FanOut = {
    items, next: 0, active: 0, done: 0, limit: state.block.maxParallel ?? Number.POSITIVE_INFINITY, counts: {},
    releasing: false, released: new Uint8Array(items.length), lastProgressAt: Number.NEGATIVE_INFINITY,
  };
  state.fan = fan;
  const { recorder } = host;
  const ids = recorder.safe(() => recorder.store.createItemRuns(recorder.runId, state.id, items.map((item, i) => {
    const from = reused.get(i);
    return from === undefined
      ? { index: i, value: item.item?.value ?? '', status: 'queued' as const }
      : { index: i, value: item.item?.value ?? '', status: 'cached' as const, reason: reuseReason(from), outputs: from.outputs, startedAt: now, finishedAt: now };
  })));
  items.forEach((item, i) => {
    item.rowId = ids?.[i];
    const from = reused.get(i);
    if (from === undefined) return;
    move(item, 'reuse');
    item.status = 'cached';
    item.outputs = from.outputs;
    item.reason = reuseReason(from);
    item.startedAt = now;
    item.finishedAt = now;
    count(fan, 'cached');
  });
  const what = `${items.length} item${items.length === 1 ? '' : 's'}${reused.size > 0 ? `, ${reused.size} reused from run #${host.prepared.plan.sourceRunId ?? ''}` : ''}`;
  recorder.status(state, { status: 'running', startedAt: now, reason: what }, what);
  progress(host, state, true);
  releaseItems(host, state);
}

function reuseReason(from: BlockRunRecord): string {
  return `completed in run #${from.runId}`;
}

/** Retrying a run: an item that completed there with the same value is not run again. */
function reusableItems(host: FanOutHost, state: BlockRun, values: readonly ItemValue[]): Map<number, BlockRunRecord> {
  const reused = new Map<number, BlockRunRecord>();
  const { plan } = host.prepared;
  const source = plan.sourceRunId;
  if (plan.mode !== 'retry' || source === undefined || values.length === 0) return reused;
  const { recorder } = host;
  const rows = recorder.safe(() => recorder.store.itemRuns(source, state.id, { limit: values.length })) ?? [];
  for (const row of rows) {
    const index = row.item?.index;
    if (index === undefined || (row.status !== 'completed' && row.status !== 'cached')) continue;
    if (values[index]?.value === row.item?.value) reused.set(index, row);
  }
  return reused;
}

/** Releases items while `max_parallel` allows; ends the block once every item has ended. */
export function releaseItems(host: FanOutHost, parent: BlockRun): void {
  const fan = parent.fan;
  if (fan === undefined || fan.releasing) return;
  fan.releasing = true;
  try {
    while (fan.next < fan.items.length && (fan.active < fan.limit || host.stopping !== undefined || parent.cancelRequested)) {
      const position = fan.next++;
      const item = fan.items[position];
      if (item === undefined || isFinished(item)) continue;
      if (host.stopping !== undefined || parent.cancelRequested) {
        host.finish(item, 'cancel', { reason: parent.cancelRequested ? 'cancelled' : stopReason(host.stopping) });
        continue;
      }
      fan.released[position] = 1;
      fan.active++;
      try {
        item.resolved = resolveBlock(host.scope, item.block, upstreamViews(host.byId), item.item);
      } catch (error) {
        if (!(error instanceof EvaluationError || error instanceof ScriptRefused)) throw error;
        host.finish(item, 'fail', { reason: error.message });
        continue;
      }
      move(item, 'ready');
      item.status = 'queued';
      host.enqueue(item);
    }
  } finally {
    fan.releasing = false;
  }
  if (fan.done === fan.items.length && !isFinished(parent)) endFanOut(host, parent);
}

/** An item has ended (already recorded): count it, release the next, maybe end the block. */
export function itemEnded(host: FanOutHost, item: BlockRun): void {
  const parent = item.parent;
  const fan = parent?.fan;
  if (parent === undefined || fan === undefined) return;
  const position = item.item?.index ?? -1;
  if (fan.released[position] === 1) {
    fan.released[position] = 0;
    fan.active--;
  }
  count(fan, item.status);
  progress(host, parent, false);
  releaseItems(host, parent);
}

/** The run stops or the block is cancelled: items not yet released end cancelled now. */
export function cancelUnreleased(host: FanOutHost, parent: BlockRun): void {
  releaseItems(host, parent);
}

function count(fan: FanOut, status: BlockStatus): void {
  fan.done++;
  fan.counts[status] = (fan.counts[status] ?? 0) + 1;
}

function progress(host: FanOutHost, parent: BlockRun, force: boolean): void {
  const fan = parent.fan;
  if (fan === undefined) return;
  const now = host.clock.now();
  if (!force && fan.done < fan.items.length && now - fan.lastProgressAt < PROGRESS_EVERY_MS) return;
  fan.lastProgressAt = now;
  host.recorder.emit({ type: 'fanout-progress', runId: host.recorder.runId, block: parent.id, total: fan.items.length, counts: { ...fan.counts }, time: now });
}

function endFanOut(host: FanOutHost, parent: BlockRun): void {
  const fan = parent.fan;
  if (fan === undefined) return;
  progress(host, parent, true);
  const total = fan.items.length;
  const failed = fan.counts.failed ?? 0;
  const cancelled = fan.counts.cancelled ?? 0;
  const outputs = collectOutputs(fan.items, parent.block.outputs?.map((o) => o.name) ?? []);
  if (failed > 0) {
    host.finish(parent, 'fail', { reason: `${failed} of ${total} items failed${cancelled > 0 ? `, ${cancelled} cancelled` : ''}`, outputs });
  } else if (cancelled > 0 || host.stopping !== undefined) {
    host.finish(parent, 'cancel', { reason: host.stopping !== undefined ? stopReason(host.stopping) : `${cancelled} of ${total} items cancelled`, outputs });
  } else {
    host.finish(parent, 'succeed', { outputs, ...(total === 0 ? { reason: 'no items' } : {}) });
  }
}

/** Each output name as a JSON list over the items that succeeded, in item order (null where one did not write it). */
export function collectOutputs(items: readonly BlockRun[], declared: readonly string[]): Record<string, string> {
  const ok = items.filter((i) => i.status === 'completed' || i.status === 'cached');
  // A declared output is a list even when no item ran.
  const names = new Set<string>(declared);
  for (const item of ok) for (const name of Object.keys(item.outputs)) names.add(name);
  const out: Record<string, string> = {};
  for (const name of names) out[name] = JSON.stringify(ok.map((i) => (Object.hasOwn(i.outputs, name) ? i.outputs[name] : null)));
  return out;
}
