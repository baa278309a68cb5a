import type { BlockRunRecord, BlockStatus, RunStatus, RunSummary } from '../../../core/src/store/types.ts';
import type { StoreReader } from '../runState/storeConnection.ts';

// The history tree's items, one class per kind. Instances live as long as what they show, and
// refreshes update them in place: VS Code keeps expansion and selection by identity, and firing a
// change for one node re-renders that node alone. Run and block-run nodes carry
// `{ runId, storePath, file, block }`, the argument the run commands take from context menus.

/** One store per workspace folder. */
export class StoreEntry {
  readonly name: string;
  readonly folderPath: string;
  readonly connection: StoreReader;
  readonly pipelines = new Map<string, PipelineNode>();
  readonly folderNode: FolderNode;
  /** Summarises the connection state last shown, to notice when it changes. */
  shownState = '';
  /** Pipelines shown at the last read of this store's level. */
  shownCount = 0;
  /** The connection's file generation what is loaded was read from; another one means a new file. */
  shownGeneration = 0;

  constructor(name: string, folderPath: string, connection: StoreReader) {
    this.name = name;
    this.folderPath = folderPath;
    this.connection = connection;
    this.folderNode = new FolderNode(this);
  }

  get storePath(): string {
    return this.connection.path;
  }
}

/** Top level in a multi-root workspace. */
export class FolderNode {
  readonly kind = 'folder';
  readonly entry: StoreEntry;
  constructor(entry: StoreEntry) {
    this.entry = entry;
  }
}

export class PipelineNode {
  readonly kind = 'pipeline';
  readonly entry: StoreEntry;
  readonly file: string;
  name: string;
  latestRunId: number;
  latestStatus: RunStatus;
  latestAt: number;
  /** Pages loaded so far, newest first; empty until first expanded. */
  runs: RunNode[] = [];
  loaded = false;
  hasMore = false;
  readonly loadMore: LoadMoreNode;

  constructor(entry: StoreEntry, file: string, latest: { name: string; runId: number; status: RunStatus; at: number }) {
    this.entry = entry;
    this.file = file;
    this.name = latest.name;
    this.latestRunId = latest.runId;
    this.latestStatus = latest.status;
    this.latestAt = latest.at;
    this.loadMore = new LoadMoreNode(this);
  }

  get storePath(): string {
    return this.entry.storePath;
  }
}

export class RunNode {
  readonly kind = 'run';
  readonly parent: PipelineNode;
  readonly runId: number;
  readonly storePath: string;
  readonly file: string;
  run: RunSummary;
  /** Latest attempt per block, in first-start order; undefined until first expanded. */
  blocks: Map<string, BlockRunNode> | undefined;
  /** What the block runs looked like when last shown, to tell whether they changed. */
  blocksSignature = '';

  constructor(parent: PipelineNode, run: RunSummary) {
    this.parent = parent;
    this.runId = run.id;
    this.storePath = parent.storePath;
    this.file = run.pipelineFile;
    this.run = run;
  }
}

export class BlockRunNode {
  readonly kind = 'blockRun';
  readonly parent: RunNode | BlockRunNode;
  readonly run: RunNode;
  readonly runId: number;
  readonly storePath: string;
  readonly file: string;
  readonly block: string;
  /** The attempt shown; a node keeps showing the latest attempt of its block as retries come. */
  blockRunId: number;
  record: BlockRunRecord;
  /** Earlier attempts, oldest first; shown as children of the latest one. */
  earlier: BlockRunNode[] = [];
  /** A fan-out block's items: counted always, read a page at a time once expanded. */
  items: ItemGroup | undefined;

  constructor(parent: RunNode | BlockRunNode, record: BlockRunRecord) {
    this.parent = parent;
    this.run = parent.kind === 'run' ? parent : parent.run;
    this.runId = record.runId;
    this.storePath = this.run.storePath;
    this.file = this.run.file;
    this.block = record.block;
    this.blockRunId = record.id;
    this.record = record;
  }

  show(record: BlockRunRecord): void {
    this.record = record;
    this.blockRunId = record.id;
  }
}

/** A fan-out block's items in the tree: their counts, and the pages loaded so far. */
export interface ItemGroup {
  total: number;
  counts: Partial<Record<BlockStatus, number>>;
  nodes: BlockRunNode[];
  more: LoadMoreItemsNode;
}

/** "More items…" under a fan-out block. */
export class LoadMoreItemsNode {
  readonly kind = 'loadMoreItems';
  readonly parent: BlockRunNode;
  constructor(parent: BlockRunNode) {
    this.parent = parent;
  }
}

export class LoadMoreNode {
  readonly kind = 'loadMore';
  readonly parent: PipelineNode;
  constructor(parent: PipelineNode) {
    this.parent = parent;
  }
}

/** Explains an empty or broken store inside the tree, with an action to recover. */
export class MessageNode {
  readonly kind = 'message';
  readonly parent: FolderNode | undefined;
  readonly text: string;
  readonly detail: string;
  readonly severity: 'error' | 'info';
  readonly action: { command: string; title: string; arguments: unknown[] } | undefined;

  constructor(parent: FolderNode | undefined, text: string, detail: string, severity: 'error' | 'info', action?: MessageNode['action']) {
    this.parent = parent;
    this.text = text;
    this.detail = detail;
    this.severity = severity;
    this.action = action;
  }
}

export type HistoryNode = FolderNode | PipelineNode | RunNode | BlockRunNode | LoadMoreNode | LoadMoreItemsNode | MessageNode;
