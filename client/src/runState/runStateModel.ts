import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { RunProgress } from '../run/activeRun.ts';
import { affects, STORE_PATH_SETTING } from '../settings/settings.ts';
import { RunStateHub, type FileWatch, type RunStateChange, type StoreHold } from './runStateHub.ts';
import { StoreWatcher } from './storeWatcher.ts';
import { workspaceStores, type WorkspaceStore } from './storeLocation.ts';

export type { RunStateChange, StoreHold } from './runStateHub.ts';

/** What a view (the Runs tree, the graph, the dashboard, …) needs to follow the runs of the store it shows. */
export interface RunStateSource {
  readonly onDidChange: vscode.Event<RunStateChange>;
  /** The store the views show. */
  readonly storePath: string | undefined;
}

/** The runner's side of the model: the controller of the runs this window started or reattached to. */
export interface LiveRuns {
  readonly onDidChangeRun: vscode.Event<RunProgress>;
  readonly activeRuns: readonly RunProgress[];
}

/**
 * The one run-state model of the window. Every view reads stores through `hold()` (one shared
 * read connection per store, reopened when the file is replaced or deleted) and refreshes on
 * `onDidChange`, which merges the runner service's live events with writes by other processes,
 * seen by one watch of each store's files (fs.watch of its folder, polling while the folder is
 * missing, plus VS Code's FileSystemWatcher). The stores of the workspace folders are always followed.
 */
export class RunStateModel implements RunStateSource, vscode.Disposable {
  readonly hub: RunStateHub;
  private readonly changes = new vscode.EventEmitter<RunStateChange>();
  readonly onDidChange = this.changes.event;
  private readonly storesChanged = new vscode.EventEmitter<void>();
  /** The workspace folders or `pipelineStudio.store.path` changed: `workspaceStores` is new. */
  readonly onDidChangeStores = this.storesChanged.event;
  private workspace: WorkspaceStore[] = [];
  private workspaceHolds: StoreHold[] = [];
  private runs: LiveRuns | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(options: { delayMs?: number } = {}) {
    this.hub = new RunStateHub({ delayMs: options.delayMs, watch: (path, onChange) => watchStoreFiles(path, onChange) });
    const unsubscribe = this.hub.subscribe((change) => this.changes.fire(change));
    this.disposables.push(
      { dispose: unsubscribe },
      this.changes,
      this.storesChanged,
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reloadStores()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affects(event, STORE_PATH_SETTING)) this.reloadStores();
      }),
    );
    this.reloadStores();
  }

  get storePath(): string | undefined {
    return this.workspace[0]?.storePath;
  }

  /** One store per local workspace folder, in folder order. */
  get workspaceStores(): readonly WorkspaceStore[] {
    return this.workspace;
  }

  /** The shared connection to a store, followed until released. */
  hold(storePath: string): StoreHold {
    return this.hub.hold(storePath);
  }

  /** Live per-run progress of the runs this window follows in the runner service (not the CLI's). */
  liveRun(storePath: string, runId: number): RunProgress | undefined {
    return this.runs?.activeRuns.find((run) => run.runId === runId && run.store === storePath);
  }

  get liveRuns(): readonly RunProgress[] {
    return this.runs?.activeRuns ?? [];
  }

  /** Feeds the runner's live events into the model (each one reports its run's store and number). */
  followRunner(runs: LiveRuns): vscode.Disposable {
    this.runs = runs;
    const listener = runs.onDidChangeRun((progress) => this.hub.runChanged(progress.store, progress.runId));
    this.disposables.push(listener);
    return listener;
  }

  /** Everything is reported changed now: an explicit refresh. */
  refreshAll(): void {
    for (const path of new Set([...this.hub.followed, ...this.workspace.map((w) => w.storePath)])) this.hub.fileChanged(path);
    this.hub.flush();
  }

  dispose(): void {
    for (const hold of this.workspaceHolds) hold.release();
    this.workspaceHolds = [];
    for (const d of this.disposables.splice(0)) d.dispose();
    this.hub.dispose();
  }

  private reloadStores(): void {
    const previous = this.workspaceHolds;
    this.workspace = workspaceStores();
    // Held before the old ones are released, so that a store in both lists keeps its connection.
    this.workspaceHolds = this.workspace.map((w) => this.hub.hold(w.storePath));
    for (const hold of previous) hold.release();
    this.storesChanged.fire();
  }
}

/**
 * One watch of a store's files: the fs.watch of its folder (which also notices the folder being
 * deleted and polls until it comes back) and VS Code's FileSystemWatcher, which in a remote or
 * containerised workbench may see writes fs.watch misses. Both feed the hub, which merges them.
 */
function watchStoreFiles(storePath: string, onChange: () => void): FileWatch {
  const files = new StoreWatcher(storePath, onChange);
  const name = basename(storePath);
  const editorWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(storePath)), `{${name},${name}-wal}`));
  const subscriptions = [editorWatcher, editorWatcher.onDidCreate(onChange), editorWatcher.onDidChange(onChange), editorWatcher.onDidDelete(onChange)];
  return {
    recheck: () => files.recheck(),
    dispose: () => {
      files.dispose();
      for (const s of subscriptions) s.dispose();
    },
  };
}
