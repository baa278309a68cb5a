import * as vscode from 'vscode';
import { compareRuns } from '../../../core/src/details/compare.ts';
import { DetailsStore } from '../../../core/src/details/detailsStore.ts';
import { loadRunDetails, type RunDetails } from '../../../core/src/details/model.ts';
import { FINISHED_RUN_STATUSES, openStore, type RunStore } from '../../../core/src/store/index.ts';
import { isWebviewMessage, type DetailsAction, type HostMessage } from '../../../webview/src/details/protocol.ts';
import { detailsHtml } from './detailsHtml.ts';
import { compareViewOf, detailsViewOf } from './viewModel.ts';

export const DETAILS_VIEW_TYPE = 'pipelineStudio.runDetails';

export type DetailsTarget = { kind: 'run'; storePath: string; runId: number } | { kind: 'compare'; storePath: string; runIds: number[] };

/** What a panel shows, for `pipelineStudio.internal.detailsState` (UI tests). */
export interface DetailsPanelState {
  kind: DetailsTarget['kind'];
  runIds: number[];
  ready: boolean;
  /** The webview's own measure of its last render. */
  rendered: { ms: number; lanes: number } | undefined;
  error: string | undefined;
}

/** Reads the store for one load and closes it: a panel holds no connection between refreshes. */
export function withDetails<T>(storePath: string, fn: (store: RunStore, details: DetailsStore) => T): T {
  const store = openStore(storePath, { readonly: true });
  try {
    const details = DetailsStore.open(store);
    try {
      return fn(store, details);
    } finally {
      details.close();
    }
  } finally {
    store.close();
  }
}

/**
 * One run's details page, or one comparison of 2–5 runs. It reloads from the store when the run
 * controller reports progress of the run it shows (live runs started in this window).
 * TODO(merge): when client/src/runState/ lands, subscribe to its run-state model instead.
 */
export class DetailsPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  readonly target: DetailsTarget;
  private ready = false;
  private rendered: DetailsPanelState['rendered'];
  private error: string | undefined;
  private model: RunDetails | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly onDisposed: () => void;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, target: DetailsTarget, onDisposed: () => void) {
    this.panel = panel;
    this.target = target;
    this.onDisposed = onDisposed;
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    const uri = (name: string): string => panel.webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
    panel.webview.html = detailsHtml({ cspSource: panel.webview.cspSource, scriptUri: uri('details.js'), styleUri: uri('details.css') });
    panel.title = target.kind === 'run' ? `Run #${target.runId}` : `Compare ${target.runIds.map((id) => `#${id}`).join(', ')}`;
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get state(): DetailsPanelState {
    return { kind: this.target.kind, runIds: this.target.kind === 'run' ? [this.target.runId] : this.target.runIds, ready: this.ready, rendered: this.rendered, error: this.error };
  }

  /** Reloads soon (several progress events in a burst make one read). */
  scheduleReload(): void {
    if (this.reloadTimer !== undefined) return;
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      this.load();
    }, 300);
  }

  load(): void {
    if (!this.ready) return;
    try {
      const message = this.read();
      if (message !== undefined) void this.panel.webview.postMessage(message);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Run details: {0}', this.error));
    }
  }

  private read(): HostMessage | undefined {
    const target = this.target;
    return withDetails(target.storePath, (store, details) => {
      if (target.kind === 'run') {
        const model = loadRunDetails(store, details, target.runId);
        this.model = model;
        if (model === undefined) throw new Error(`run #${target.runId} is not in ${target.storePath}`);
        return { type: 'details', view: detailsViewOf(model, !FINISHED_RUN_STATUSES.includes(model.run.status)) };
      }
      const models = target.runIds.map((id) => loadRunDetails(store, details, id));
      const missing = target.runIds.filter((_, i) => models[i] === undefined);
      if (missing.length > 0) throw new Error(`run ${missing.map((id) => `#${id}`).join(', ')} is not in ${target.storePath}`);
      return { type: 'compare', view: compareViewOf(compareRuns(models.filter((m): m is RunDetails => m !== undefined))) };
    });
  }

  private async receive(raw: unknown): Promise<void> {
    if (!isWebviewMessage(raw)) return;
    if (raw.type === 'ready') {
      this.ready = true;
      this.load();
    } else if (raw.type === 'rendered') {
      this.rendered = { ms: raw.ms, lanes: raw.lanes };
    } else {
      await this.act(raw.action, raw.block, raw.path);
    }
  }

  private async act(action: DetailsAction, block: string | undefined, path: string | undefined): Promise<void> {
    const model = this.model;
    if (this.target.kind !== 'run' || model === undefined) return;
    const run = { runId: model.run.id, storePath: this.target.storePath, file: model.run.pipelineFile };
    switch (action) {
      case 'retry':
        await vscode.commands.executeCommand('pipelineStudio.retryFailedBlocks', run);
        return;
      case 'replay':
        await vscode.commands.executeCommand('pipelineStudio.replayRun', run);
        return;
      case 'cancel':
        await vscode.commands.executeCommand('pipelineStudio.cancelRun', run);
        return;
      case 'openLog': {
        const chosen = block ?? model.blocks.find((b) => b.status === 'failed')?.block ?? model.blocks[0]?.block;
        if (chosen !== undefined) await vscode.commands.executeCommand('pipelineStudio.openBlockLog', { ...run, block: chosen });
        return;
      }
      case 'showInGraph':
        await vscode.commands.executeCommand('pipelineStudio.showRunInGraph', run);
        return;
      case 'comparePrevious': {
        const previous = withDetails(this.target.storePath, (store) => store.listRuns({ pipelineFile: model.run.pipelineFile, before: model.run.id, limit: 1 })[0]?.id);
        if (previous === undefined) void vscode.window.showInformationMessage(vscode.l10n.t('Run #{0} is the first run of {1}.', model.run.id, model.run.pipelineName));
        else await vscode.commands.executeCommand('pipelineStudio.compareRuns', { storePath: this.target.storePath, runIds: [previous, model.run.id] });
        return;
      }
      case 'openArtifact':
        // Only a file the run recorded as an artifact: the webview names one, it cannot name any path.
        if (path !== undefined && model.artifacts.some((a) => a.path === path)) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path));
        return;
      case 'diffDefinition':
        await vscode.commands.executeCommand('vscode.diff', definitionUri(this.target.storePath, model.run.id), vscode.Uri.file(model.run.pipelineFile), `Run #${model.run.id} definition ↔ current file`);
        return;
    }
  }

  dispose(): void {
    if (this.reloadTimer !== undefined) clearTimeout(this.reloadTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.onDisposed();
  }
}

export const DEFINITION_SCHEME = 'pipeline-run-definition';

export function definitionUri(storePath: string, runId: number): vscode.Uri {
  return vscode.Uri.from({ scheme: DEFINITION_SCHEME, path: `/run-${runId}.pipeline.yaml`, query: new URLSearchParams({ store: storePath, run: String(runId) }).toString() });
}

/** The definition snapshot of a run, as a read-only document (the left side of "Compare with current file"). */
export class DefinitionProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const query = new URLSearchParams(uri.query);
    const store = query.get('store');
    const run = Number(query.get('run'));
    if (store === null || !Number.isInteger(run)) return '';
    return withDetails(store, (_, details) => details.runDetail(run)?.definition ?? `# The definition of run #${run} was not kept.\n`);
  }
}
