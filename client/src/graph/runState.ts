import type { BlockRunRecord, RunStore, RunSummary } from '../../../core/src/store/types.ts';
import { isFinalStatus, statusLabel } from '../../../core/src/model/status.ts';
import type { BlockState, HostMessage, ItemRow, RunChoice, RunHeader } from '../../../webview/src/protocol.ts';
import { formatAgo } from '../history/format.ts';

export interface RunView {
  header: RunHeader;
  blocks: Record<string, BlockState>;
}

const RUNS_IN_SELECTOR = 30;

/** The runs of one pipeline file for the run selector, newest first. VS-Code-free. */
export function runChoices(store: RunStore, pipelineFile: string, now = Date.now()): RunChoice[] {
  return store.listRuns({ pipelineFile, limit: RUNS_IN_SELECTOR }).map((run: RunSummary) => ({
    runId: run.id,
    status: run.status,
    label: `#${run.id} ${statusLabel(run.status)} · ${formatAgo(run.startedAt ?? run.createdAt, now)}`,
  }));
}

/** Every block's state in a run (its latest attempt), and the header numbers; undefined when the run is gone. */
export function readRunView(store: RunStore, runId: number): RunView | undefined {
  const run = store.getRun(runId);
  if (run === undefined) return undefined;
  const latest = new Map<string, { record: BlockRunRecord; first: number | undefined; attempts: number }>();
  for (const record of store.blockRuns(runId)) {
    const seen = latest.get(record.block);
    const first = seen === undefined ? record.startedAt : Math.min(seen.first ?? Infinity, record.startedAt ?? Infinity);
    const attempts = Math.max(seen?.attempts ?? 0, record.attempt);
    if (seen === undefined || record.attempt > seen.record.attempt || (record.attempt === seen.record.attempt && record.id > seen.record.id)) {
      latest.set(record.block, { record, first: Number.isFinite(first) ? first : undefined, attempts });
    } else {
      seen.attempts = attempts;
      seen.first = Number.isFinite(first) ? first : undefined;
    }
  }
  const blocks: Record<string, BlockState> = {};
  let done = 0;
  let total = 0;
  for (const [block, { record, first, attempts }] of latest) {
    const state: BlockState = { status: record.status };
    if (first !== undefined && record.finishedAt !== undefined) state.durationMs = Math.max(0, record.finishedAt - first);
    if (attempts > 0) state.attempts = attempts;
    const counts = store.itemCounts(runId, block);
    const items = Object.values(counts).reduce((a: number, b) => a + (b ?? 0), 0);
    if (items > 0) state.items = { total: items, counts };
    blocks[block] = state;
    if (record.status !== 'skipped') total++;
    if (record.status !== 'skipped' && isFinalStatus(record.status)) done++;
  }
  const header: RunHeader = { runId, status: run.status, done, total };
  if (run.startedAt !== undefined) header.startedAt = run.startedAt;
  if (run.finishedAt !== undefined) header.finishedAt = run.finishedAt;
  return { header, blocks };
}

/** A page of a fan-out block's items (latest attempt of each), with how many there are. */
export function readItemPage(store: RunStore, runId: number, block: string, offset: number, limit: number): { total: number; offset: number; items: ItemRow[] } {
  const counts = store.itemCounts(runId, block);
  const total = Object.values(counts).reduce((a: number, b) => a + (b ?? 0), 0);
  const items = store.itemRuns(runId, block, { offset, limit }).map((r): ItemRow => ({
    index: r.item?.index ?? 0, value: r.item?.value ?? '', status: r.status, ...(r.reason === undefined ? {} : { reason: r.reason }),
  }));
  return { total, offset, items };
}

/** The blocks whose state differs between two views of the same run. */
export function changedBlocks(before: Record<string, BlockState>, after: Record<string, BlockState>): string[] {
  const changed: string[] = [];
  for (const [block, state] of Object.entries(after)) {
    const old = before[block];
    if (old?.status !== state.status || old.durationMs !== state.durationMs || old.attempts !== state.attempts || JSON.stringify(old.items) !== JSON.stringify(state.items)) changed.push(block);
  }
  return changed;
}

/**
 * What to send the webview for a newer view of the run it shows: the blocks that changed, each with
 * the header; or, when no block changed but the header did, the whole run. The run's own status is
 * written just after its last block's, so a read between the two sees no block change at the end,
 * yet the header must still say the run is over.
 */
export function runViewUpdates(before: RunView, after: RunView): HostMessage[] {
  const runId = after.header.runId;
  const updates: HostMessage[] = [];
  for (const block of changedBlocks(before.blocks, after.blocks)) {
    const state = after.blocks[block];
    if (state !== undefined) updates.push({ type: 'status', runId, block, state, header: after.header });
  }
  if (updates.length === 0 && !sameHeader(before.header, after.header)) updates.push({ type: 'run', run: after.header, blocks: after.blocks });
  return updates;
}

/** Whether two headers of a run say the same (status, counts, times). */
function sameHeader(a: RunHeader, b: RunHeader): boolean {
  return a.runId === b.runId && a.status === b.status && a.done === b.done && a.total === b.total && a.startedAt === b.startedAt && a.finishedAt === b.finishedAt;
}
