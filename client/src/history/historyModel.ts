import type { BlockRunRecord, DriverChoice, PipelineSummary, RunQuery, RunStatus, RunStore, RunSummary } from '../../../core/src/store/types.ts';
import { isFinalStatus } from '../../../core/src/model/status.ts';
import { REFRESH_RUNS } from './commandIds.ts';
import { BlockRunNode, LoadMoreItemsNode, MessageNode, PipelineNode, RunNode, StoreEntry, type FolderNode, type HistoryNode } from './nodes.ts';
import { StoreConnection, type StoreReader } from '../runState/storeConnection.ts';

export const DEFAULT_PAGE_SIZE = 50;

export interface RunFilter {
  status?: RunStatus;
  /** A pipeline file. */
  pipeline?: string;
  text?: string;
}

export interface StoreLocation {
  /** The workspace folder's name. */
  name: string;
  folderPath: string;
  storePath: string;
}

/** What the view shows when the tree is empty (welcome content) or broken. */
export type HistoryState = 'noFolder' | 'noRuns' | 'noMatch' | 'error' | 'ready';

/** `undefined` stands for the root: its children must be asked again. */
export type ChangedNode = HistoryNode | undefined;

/**
 * The run history as a tree: (folder →) pipeline → runs, a page at a time → block runs → earlier
 * attempts. Reads go through read-only store connections; `refresh()` compares what is shown with
 * the store and returns only the nodes that changed, so a run writing logs costs a few indexed reads
 * per refresh and re-renders nothing until a status changes.
 */
export class HistoryModel {
  readonly pageSize: number;
  private readonly hold: (storePath: string) => StoreReader;
  private entries: StoreEntry[] = [];
  private currentFilter: RunFilter = {};

  /** `hold` gives the connection to a store: the run-state model's shared one in the editor, a private one by default. */
  constructor(options: { pageSize?: number; driver?: DriverChoice; hold?: (storePath: string) => StoreReader } = {}) {
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const driver = options.driver ?? 'auto';
    this.hold = options.hold ?? ((path) => new StoreConnection(path, driver));
  }

  get stores(): readonly StoreEntry[] {
    return this.entries;
  }

  get filter(): RunFilter {
    return this.currentFilter;
  }

  /** Replaces the stores (workspace folders or the store setting changed); everything is read again. */
  setStores(locations: readonly StoreLocation[]): void {
    // Held before the old ones are released, so that a store in both lists keeps its connection.
    const previous = this.entries;
    this.entries = locations.map((l) => new StoreEntry(l.name, l.folderPath, this.hold(l.storePath)));
    for (const entry of previous) entry.connection.release();
  }

  setFilter(filter: RunFilter): void {
    const text = filter.text?.trim();
    this.currentFilter = { status: filter.status, pipeline: filter.pipeline, text: text === '' ? undefined : text };
    for (const entry of this.entries) entry.pipelines.clear();
  }

  isFiltered(): boolean {
    const f = this.currentFilter;
    return f.status !== undefined || f.pipeline !== undefined || f.text !== undefined;
  }

  /** As of the last read of the top level; with several folders, their nodes explain themselves. */
  state(): { state: HistoryState; message: string | undefined } {
    const only = this.entries.length === 1 ? this.entries[0] : undefined;
    if (only === undefined) return { state: this.entries.length === 0 ? 'noFolder' : 'ready', message: undefined };
    const connection = only.connection.state;
    if (connection.kind === 'error') return { state: 'error', message: connection.message };
    if (only.shownCount > 0) return { state: 'ready', message: undefined };
    return { state: this.isFiltered() ? 'noMatch' : 'noRuns', message: undefined };
  }

  /** The loaded node of a run, if its page has been read. */
  findRun(storePath: string, runId: number): RunNode | undefined {
    for (const entry of this.entries) {
      if (entry.storePath !== storePath) continue;
      for (const pipeline of entry.pipelines.values()) {
        const found = pipeline.runs.find((run) => run.runId === runId);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }

  /** Loaded runs still going: their durations count up while nothing is written. */
  activeRuns(): RunNode[] {
    return this.entries.flatMap((entry) => [...entry.pipelines.values()].flatMap((p) => p.runs.filter((r) => isActive(r.run.status))));
  }

  /** After this window deleted a run: drop it without reading the store again. */
  removeRun(node: RunNode): void {
    node.parent.runs = node.parent.runs.filter((r) => r !== node);
  }

  /** Forget everything read so far (after clearing history, or an explicit refresh). */
  reset(): void {
    for (const entry of this.entries) {
      entry.connection.checkFile();
      entry.pipelines.clear();
    }
  }

  children(node?: HistoryNode): HistoryNode[] {
    if (node === undefined) {
      const only = this.entries.length === 1 ? this.entries[0] : undefined;
      if (only !== undefined) return this.entryChildren(only, undefined);
      return this.entries.map((entry) => entry.folderNode);
    }
    switch (node.kind) {
      case 'folder':
        return this.entryChildren(node.entry, node);
      case 'pipeline':
        if (!node.loaded) this.loadPage(node);
        return node.hasMore ? [...node.runs, node.loadMore] : [...node.runs];
      case 'run':
        return this.blockChildren(node);
      case 'blockRun':
        return this.blockRunChildren(node);
      default:
        return [];
    }
  }

  /** Appends the next page of a fan-out block's items. */
  loadMoreItems(node: BlockRunNode): void {
    const group = node.items;
    if (group === undefined) return;
    const page = node.run.parent.entry.connection.read((store) => store.itemRuns(node.runId, node.block, { offset: group.nodes.length, limit: this.pageSize }));
    for (const record of page ?? []) group.nodes.push(new BlockRunNode(node, record));
  }

  /** Earlier attempts, then (for a fan-out block) its items, a page at a time. */
  private blockRunChildren(node: BlockRunNode): HistoryNode[] {
    const group = node.items;
    if (group === undefined) return node.earlier;
    if (group.nodes.length === 0 && group.total > 0) this.loadMoreItems(node);
    return group.nodes.length < group.total ? [...node.earlier, ...group.nodes, group.more] : [...node.earlier, ...group.nodes];
  }

  /** Appends the next page of a pipeline's runs. */
  loadMore(node: PipelineNode): void {
    this.loadPage(node);
  }

  /** The nodes whose item or children changed since they were last read (undefined: the root). */
  refresh(): ChangedNode[] {
    const changed: ChangedNode[] = [];
    for (const entry of this.entries) {
      const top = this.entries.length === 1 ? undefined : entry.folderNode;
      // Whoever noticed it (this refresh, or another view of the shared connection), a new file
      // means the nodes loaded so far are another store's.
      const replaced = entry.connection.checkFile() || entry.shownGeneration !== entry.connection.generation;
      const pipelines = entry.connection.read((store) => store.listPipelines());
      const stateChanged = entry.shownState !== stateKey(entry);
      if (replaced || stateChanged || pipelines === undefined || !samePipelines(entry, pipelines)) {
        // The store appeared, broke or gained a pipeline: its level is read again (cheap: one row per pipeline).
        if (replaced || pipelines === undefined) entry.pipelines.clear();
        if (replaced || stateChanged || pipelines !== undefined) changed.push(top);
        continue;
      }
      for (const summary of pipelines) {
        const node = entry.pipelines.get(summary.pipelineFile);
        if (node !== undefined) entry.connection.read((store) => this.refreshPipeline(store, node, summary, changed));
      }
    }
    return changed.includes(undefined) ? [undefined] : changed;
  }

  dispose(): void {
    for (const entry of this.entries) entry.connection.release();
    this.entries = [];
  }

  private entryChildren(entry: StoreEntry, parent: FolderNode | undefined): HistoryNode[] {
    const summaries = entry.connection.read((store) => store.listPipelines());
    entry.shownState = stateKey(entry);
    entry.shownGeneration = entry.connection.generation;
    entry.shownCount = 0;
    const state = entry.connection.state;
    if (summaries === undefined) {
      entry.pipelines.clear();
      if (state.kind === 'error') return [new MessageNode(parent, 'Cannot read the run history', state.message, 'error', { command: REFRESH_RUNS, title: 'Retry', arguments: [] })];
      return parent === undefined ? [] : [new MessageNode(parent, 'No runs yet', `No run store at ${entry.storePath}`, 'info')];
    }
    const seen = new Set<string>();
    for (const summary of summaries) {
      seen.add(summary.pipelineFile);
      const existing = entry.pipelines.get(summary.pipelineFile);
      if (existing === undefined) entry.pipelines.set(summary.pipelineFile, new PipelineNode(entry, summary.pipelineFile, latestOf(summary)));
      // Not just updateLatest: a loaded pipeline must also take in the runs it gained since, or
      // refresh() would see nothing new and its runs would stay hidden until a full reload.
      else entry.connection.read((store) => this.refreshPipeline(store, existing, summary, []));
    }
    for (const file of [...entry.pipelines.keys()]) if (!seen.has(file)) entry.pipelines.delete(file);
    const filtered = this.isFiltered();
    const shown = [...entry.pipelines.values()].filter((node) => {
      if (!this.matchesPipeline(node)) return false;
      // With a status or text filter, a pipeline none of whose runs match is left out.
      return !filtered || entry.connection.read((store) => store.latestRunId(this.query(node))) !== undefined;
    });
    shown.sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
    entry.shownCount = shown.length;
    if (shown.length === 0 && parent !== undefined && summaries.length > 0) {
      return [new MessageNode(parent, 'No runs match the filter', 'Change or clear the filter in the title bar.', 'info')];
    }
    return shown;
  }

  private loadPage(node: PipelineNode): void {
    const before = node.runs.at(-1)?.runId;
    const page = node.entry.connection.read((store) => store.listRuns({ ...this.query(node), limit: this.pageSize + 1, before }));
    node.loaded = true;
    if (page === undefined) return;
    node.hasMore = page.length > this.pageSize;
    const known = new Set(node.runs.map((r) => r.runId));
    for (const run of page.slice(0, this.pageSize)) if (!known.has(run.id)) node.runs.push(new RunNode(node, run));
  }

  private blockChildren(node: RunNode): BlockRunNode[] {
    const store = node.parent.entry.connection;
    const records = store.read((s) => s.blockRuns(node.runId));
    if (records === undefined) return [];
    node.blocksSignature = store.read((s) => runBlocksSignature(s, node.runId, records)) ?? '';
    const previous = node.blocks ?? new Map<string, BlockRunNode>();
    const byBlock = new Map<string, BlockRunRecord[]>();
    for (const record of records) byBlock.set(record.block, [...(byBlock.get(record.block) ?? []), record]);
    node.blocks = new Map();
    for (const [block, attempts] of byBlock) {
      attempts.sort((a, b) => a.attempt - b.attempt || a.id - b.id);
      const latest = attempts.at(-1);
      if (latest === undefined) continue;
      const blockNode = previous.get(block) ?? new BlockRunNode(node, latest);
      blockNode.show(latest);
      blockNode.earlier = attempts.slice(0, -1).map((record) => new BlockRunNode(blockNode, record));
      store.read((s) => readItemGroup(s, blockNode, this.pageSize));
      node.blocks.set(block, blockNode);
    }
    return [...node.blocks.values()];
  }

  private refreshPipeline(store: RunStore, node: PipelineNode, summary: PipelineSummary, changed: ChangedNode[]): void {
    const before = `${node.latestRunId}/${node.latestStatus}/${node.name}`;
    const grew = summary.latestRunId > node.latestRunId;
    updateLatest(node, summary);
    let nodeChanged = before !== `${node.latestRunId}/${node.latestStatus}/${node.name}`;
    if (node.loaded) {
      const newest = node.runs[0]?.runId ?? 0;
      if (node.latestRunId < newest) {
        // The newest run shown was deleted elsewhere: read the first page again.
        node.runs = [];
        node.loaded = false;
        nodeChanged = true;
      } else if (grew && node.latestRunId > newest) {
        const fresh = store.listRuns({ ...this.query(node), limit: this.pageSize + 1 }).filter((run) => run.id > newest);
        if (fresh.length > this.pageSize) {
          // More new runs than a page: start over from the newest page.
          node.runs = [];
          node.loaded = false;
        } else {
          node.runs.unshift(...fresh.map((run) => new RunNode(node, run)));
        }
        nodeChanged ||= fresh.length > 0;
      }
      for (const runNode of [...node.runs]) {
        // Finished runs do not change; only the few active ones are read again.
        if (!isActive(runNode.run.status)) continue;
        const current = store.listRuns({ ...this.query(node), before: runNode.runId + 1, limit: 1 })[0];
        if (current?.id !== runNode.runId) {
          // Deleted, or no longer matches the filter.
          node.runs = node.runs.filter((r) => r !== runNode);
          nodeChanged = true;
          continue;
        }
        const runChanged = runSignature(current) !== runSignature(runNode.run);
        runNode.run = current;
        const blocksChanged = runNode.blocks !== undefined && runBlocksSignature(store, runNode.runId, store.blockRuns(runNode.runId)) !== runNode.blocksSignature;
        if (runChanged || blocksChanged) changed.push(runNode);
      }
    }
    if (nodeChanged) changed.push(node);
  }

  private query(node: PipelineNode): RunQuery {
    return { pipelineFile: node.file, status: this.currentFilter.status, text: this.currentFilter.text };
  }

  private matchesPipeline(node: PipelineNode): boolean {
    return this.currentFilter.pipeline === undefined || this.currentFilter.pipeline === node.file;
  }
}

function isActive(status: RunStatus): boolean {
  return !isFinalStatus(status);
}

function latestOf(summary: PipelineSummary): { name: string; runId: number; status: RunStatus; at: number } {
  return { name: summary.pipelineName, runId: summary.latestRunId, status: summary.latestStatus, at: summary.latestAt };
}

function updateLatest(node: PipelineNode, summary: PipelineSummary): void {
  node.name = summary.pipelineName;
  node.latestRunId = summary.latestRunId;
  node.latestStatus = summary.latestStatus;
  node.latestAt = summary.latestAt;
}

function samePipelines(entry: StoreEntry, summaries: readonly PipelineSummary[]): boolean {
  return summaries.length === entry.pipelines.size && summaries.every((s) => entry.pipelines.has(s.pipelineFile));
}

function stateKey(entry: StoreEntry): string {
  const state = entry.connection.state;
  return state.kind === 'error' ? `error:${state.message}` : state.kind;
}

function runSignature(run: RunSummary): string {
  return JSON.stringify([run.status, run.startedAt, run.finishedAt, run.error, run.counts]);
}

/** A fan-out block's item counts; and the loaded pages read again, in place (VS Code keeps them expanded). */
function readItemGroup(store: RunStore, node: BlockRunNode, pageSize: number): void {
  const counts = store.itemCounts(node.runId, node.block);
  const total = Object.values(counts).reduce((a: number, b) => a + (b ?? 0), 0);
  if (total === 0) {
    node.items = undefined;
    return;
  }
  const group = node.items ?? { total, counts, nodes: [], more: new LoadMoreItemsNode(node) };
  group.total = total;
  group.counts = counts;
  if (group.nodes.length > 0) {
    const shown = store.itemRuns(node.runId, node.block, { limit: Math.max(group.nodes.length, pageSize) });
    group.nodes = shown.map((record, i) => {
      const existing = group.nodes[i];
      if (existing === undefined) return new BlockRunNode(node, record);
      existing.show(record);
      return existing;
    });
  }
  node.items = group;
}

/** The blocks' signature, with each fan-out block's item counts: an item ending changes it. */
function runBlocksSignature(store: RunStore, runId: number, records: readonly BlockRunRecord[]): string {
  const items = [...new Set(records.map((r) => r.block))].map((block) => store.itemCounts(runId, block));
  return blocksSignature(records) + JSON.stringify(items);
}

/** Changes whenever a block run is added or changes state. */
function blocksSignature(records: readonly BlockRunRecord[]): string {
  return JSON.stringify(records.map((r) => [r.id, r.status, r.startedAt, r.finishedAt, r.exitCode, r.reason]));
}
