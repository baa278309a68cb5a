import * as vscode from 'vscode';
import { FILTERED_CONTEXT, LOG_SCHEME, RUNS_VIEW, STATE_CONTEXT, STORE_PATH_SETTING } from './commandIds.ts';
import { HistoryModel, type StoreLocation } from './historyModel.ts';
import { LogContentProvider } from './logContentProvider.ts';
import type { HistoryNode } from './nodes.ts';
import { RunsTreeProvider } from './runsTreeProvider.ts';
import { historyStorePath } from './storeLocation.ts';
import { StoreWatcher } from './storeWatcher.ts';

const SETTINGS_SECTION = 'pipelineStudio';
const TICK_MS = 5000;

/**
 * The run history feature: the "Runs" view over one store per workspace folder, kept current by
 * watching the stores' files, and the `pipeline-log:` documents. Commands reach it through here.
 */
export class RunHistory implements vscode.Disposable {
  readonly model = new HistoryModel();
  readonly tree: RunsTreeProvider;
  readonly view: vscode.TreeView<HistoryNode>;
  readonly logs = new LogContentProvider();
  private watchers: StoreWatcher[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private pipelineFilesKnown: boolean | undefined;
  private readonly storeChanges = new vscode.EventEmitter<string>();
  /** A store of the view was written by any connection (its path). The executions dashboard listens. */
  readonly onDidChangeStore = this.storeChanges.event;

  constructor() {
    this.tree = new RunsTreeProvider(this.model, () => this.showState());
    this.view = vscode.window.createTreeView(RUNS_VIEW, { treeDataProvider: this.tree, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.tree,
      this.storeChanges,
      this.logs,
      vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, this.logs),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === LOG_SCHEME) this.logs.forget(document.uri);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reloadStores()),
      this.watchPipelineFiles(),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SETTINGS_SECTION}.${STORE_PATH_SETTING}`)) this.reloadStores();
      }),
    );
    // A running run's duration and "N min ago" only change with time; re-render just those items.
    const ticker = setInterval(() => {
      const active = this.model.activeRuns();
      if (active.length > 0) this.tree.fire(active);
    }, TICK_MS);
    this.disposables.push({ dispose: () => clearInterval(ticker) });
    this.reloadStores();
  }

  /** The stores to show: one per workspace folder (the setting is read per folder). */
  reloadStores(): void {
    const locations: StoreLocation[] = (vscode.workspace.workspaceFolders ?? [])
      .filter((folder) => folder.uri.scheme === 'file')
      .map((folder) => ({
        name: folder.name,
        folderPath: folder.uri.fsPath,
        storePath: historyStorePath(folder.uri.fsPath, vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri).get<string>(STORE_PATH_SETTING)),
      }));
    for (const watcher of this.watchers) watcher.dispose();
    this.model.setStores(locations);
    this.watchers = locations.map((location) => new StoreWatcher(location.storePath, () => this.storeChanged(location.storePath)));
    this.pipelineFilesKnown = undefined;
    this.tree.fire([undefined]);
  }

  /** Everything is read again: the Refresh button, and after this window cleared history. */
  refreshAll(): void {
    this.model.reset();
    this.pipelineFilesKnown = undefined;
    this.tree.fire([undefined]);
    this.logs.refresh();
  }

  /** Another connection wrote a store: re-render only what changed. */
  storeChanged(storePath?: string): void {
    this.tree.fire(this.model.refresh());
    for (const path of storePath === undefined ? this.model.stores.map((s) => s.storePath) : [storePath]) this.storeChanges.fire(path);
  }

  fire(nodes: readonly (HistoryNode | undefined)[]): void {
    this.tree.fire(nodes);
  }

  showFilter(): void {
    const { status, pipeline, text } = this.model.filter;
    const parts = [status, pipeline === undefined ? undefined : vscode.workspace.asRelativePath(pipeline), text === undefined ? undefined : `"${text}"`];
    const description = parts.filter((p) => p !== undefined).join(' · ');
    this.view.description = description === '' ? undefined : `Filter: ${description}`;
    void vscode.commands.executeCommand('setContext', FILTERED_CONTEXT, this.model.isFiltered());
  }

  dispose(): void {
    for (const watcher of this.watchers) watcher.dispose();
    this.watchers = [];
    this.model.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** The empty view offers "Run a pipeline" once a pipeline file exists, "Create an example" before. */
  private watchPipelineFiles(): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{pipeline.yaml,pipeline.yml}', false, true, false);
    const recheck = (): void => {
      this.pipelineFilesKnown = undefined;
      if (this.model.state().state === 'noRuns') this.showState();
    };
    watcher.onDidCreate(recheck);
    watcher.onDidDelete(recheck);
    return watcher;
  }

  /** Sets the welcome content's context key; an empty history says whether there is a pipeline to run. */
  private showState(): void {
    const { state, message } = this.model.state();
    this.view.message = state === 'error' ? message : undefined;
    if (state !== 'noRuns') {
      void vscode.commands.executeCommand('setContext', STATE_CONTEXT, state);
      return;
    }
    const known = this.pipelineFilesKnown;
    if (known !== undefined) {
      void vscode.commands.executeCommand('setContext', STATE_CONTEXT, known ? 'noRuns' : 'noPipelines');
      return;
    }
    void vscode.workspace.findFiles('**/*.{pipeline.yaml,pipeline.yml}', '**/node_modules/**', 1).then((files) => {
      this.pipelineFilesKnown = files.length > 0;
      if (this.model.state().state === 'noRuns') {
        void vscode.commands.executeCommand('setContext', STATE_CONTEXT, this.pipelineFilesKnown ? 'noRuns' : 'noPipelines');
      }
    });
  }
}
