import * as vscode from 'vscode';
import type { RunStateModel } from '../runState/index.ts';
import { FILTERED_CONTEXT, LOG_SCHEME, RUNS_VIEW, STATE_CONTEXT } from './commandIds.ts';
import { HistoryModel } from './historyModel.ts';
import { LogContentProvider } from './logContentProvider.ts';
import type { HistoryNode } from './nodes.ts';
import { RunsTreeProvider } from './runsTreeProvider.ts';

const TICK_MS = 5000;

/**
 * The run history feature: the "Runs" view over one store per workspace folder and the
 * `pipeline-log:` documents, both kept current by the run-state model. Commands reach it through here.
 */
export class RunHistory implements vscode.Disposable {
  readonly model: HistoryModel;
  readonly tree: RunsTreeProvider;
  readonly view: vscode.TreeView<HistoryNode>;
  readonly logs: LogContentProvider;
  private readonly runState: RunStateModel;
  private readonly disposables: vscode.Disposable[] = [];
  private pipelineFilesKnown: boolean | undefined;

  constructor(runState: RunStateModel) {
    this.runState = runState;
    this.model = new HistoryModel({ hold: (path) => runState.hold(path) });
    this.logs = new LogContentProvider(runState);
    this.tree = new RunsTreeProvider(this.model, () => this.showState());
    // Several runs selected together: "Compare Runs" in their context menu (2-5 runs).
    this.view = vscode.window.createTreeView(RUNS_VIEW, { treeDataProvider: this.tree, showCollapseAll: true, canSelectMany: true });
    this.disposables.push(
      this.view,
      this.tree,
      this.logs,
      vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, this.logs),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === LOG_SCHEME) this.logs.forget(document.uri);
      }),
      runState.onDidChangeStores(() => this.reloadStores()),
      runState.onDidChange((change) => {
        if (this.model.stores.some((entry) => entry.storePath === change.storePath)) this.storeChanged();
      }),
      this.watchPipelineFiles(),
    );
    // A running run's duration and "N min ago" only change with time; re-render just those items.
    const ticker = setInterval(() => {
      const active = this.model.activeRuns();
      if (active.length > 0) this.tree.fire(active);
    }, TICK_MS);
    this.disposables.push({ dispose: () => clearInterval(ticker) });
    this.reloadStores();
  }

  /** The stores to show: the model's, one per workspace folder. */
  reloadStores(): void {
    this.model.setStores(this.runState.workspaceStores);
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
  storeChanged(): void {
    this.tree.fire(this.model.refresh());
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
