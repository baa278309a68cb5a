import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { RunPlan } from '../../../core/src/runner/plan.ts';
import { dirname, resolve as resolvePath } from 'node:path';
import { ExecutionLinks } from '../../../core/src/store/executionLinks.ts';
import type { BlockCommand, Direction, HostMessage, PlanMark, ToolbarCommand, WebviewMessage } from '../../../webview/src/protocol.ts';
import { structureHash } from '../../../webview/src/layout/structureHash.ts';
import { runState, type StoreHold } from '../runState/index.ts';
import { storePathForReading } from '../runState/storeLocation.ts';
import { blockMedians } from './blockMedians.ts';
import { GraphCompare, type BaseTexts } from './compare/graphCompare.ts';
import { GraphEditing, type ServerRequest } from './graphEditing.ts';
import { graphHtml } from './graphHtml.ts';
import { graphModelOf, type ModelResult } from './graphModel.ts';
import type { LayoutCache } from './layoutCache.ts';
import { parseWebviewMessage } from './messageValidation.ts';
import { readItemPage, readRunView, runChoices, runViewUpdates, type RunView } from './runState.ts';

export const GRAPH_VIEW_TYPE = 'pipelineStudio.graph';
const EDIT_DEBOUNCE_MS = 250;

/** What the panel shows, as plain data (for `pipelineStudio.internal.graphState` and UI tests). */
export interface GraphPanelState {
  file: string;
  blocks: string[];
  errorCount: number;
  runId: number | undefined;
  runStatus: string | undefined;
  statuses: Record<string, string>;
  ready: boolean;
  /** Blocks a debug session holds before they start. */
  paused: string[];
}

/**
 * One pipeline file's graph panel: sends the webview the file's structure as it is edited and the
 * shown run's statuses as they change (read from the run store, which every run writes, whether
 * started here, in another window or by the CLI), and turns the webview's requests into commands.
 */
export class GraphPanel implements vscode.Disposable {
  readonly file: vscode.Uri;
  readonly panel: vscode.WebviewPanel;
  private readonly cache: LayoutCache;
  private readonly disposables: vscode.Disposable[] = [];
  /** The run-state model's connection to the pipeline's store; the panel refreshes on its changes. */
  private readonly store: StoreHold;
  private ready = false;
  private direction: Direction;
  private current: ModelResult | undefined;
  /** The last structure without errors, shown while the text is invalid. */
  private lastValid: ModelResult | undefined;
  private editTimer: NodeJS.Timeout | undefined;
  private runId: number | undefined;
  /** Follow the newest run until the user picks another in the selector. */
  private followLatest = true;
  private runView: RunView | undefined;
  private runsSignature = '';
  private shownEmpty: boolean | undefined;
  private pendingFocus: string | undefined;
  private paused: string[] = [];
  private readonly onDisposed: () => void;
  private readonly editing: GraphEditing;
  private readonly compare: GraphCompare;
  /** The block whose fields the side panel shows: sent again whenever the text changes. */
  private fieldsBlock: string | undefined;

  constructor(panel: vscode.WebviewPanel, file: vscode.Uri, extensionUri: vscode.Uri, cache: LayoutCache, request: ServerRequest, baseTexts: BaseTexts, onDisposed: () => void) {
    this.panel = panel;
    this.compare = new GraphCompare(file, baseTexts);
    this.editing = new GraphEditing(file, request, (message) => this.post(message));
    this.file = file;
    this.cache = cache;
    this.onDisposed = onDisposed;
    this.direction = 'RIGHT';
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.title = `Graph: ${basename(file.fsPath)}`;
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    const uri = (name: string): string => panel.webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
    panel.webview.html = graphHtml({ cspSource: panel.webview.cspSource, scriptUri: uri('main.js'), styleUri: uri('main.css'), workerUri: uri('layoutWorker.js') });
    this.store = runState().hold(storePathForReading(file));
    this.disposables.push(
      runState().onDidChange((change) => {
        if (change.storePath === this.store.path) this.refreshRun();
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() === file.toString()) this.scheduleModel(event.document);
      }),
    );
  }

  get state(): GraphPanelState {
    const statuses: Record<string, string> = {};
    for (const [id, s] of Object.entries(this.runView?.blocks ?? {})) statuses[id] = s.status;
    return {
      file: this.file.fsPath,
      blocks: (this.lastValid ?? this.current)?.model.nodes.map((n) => n.id) ?? [],
      errorCount: this.current?.errorCount ?? 0,
      runId: this.runId,
      runStatus: this.runView?.header.status,
      statuses,
      ready: this.ready,
      paused: [...this.paused],
    };
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  /** Shows a run (from "Show Run in Graph"): it stays shown until another is picked. */
  showRun(runId: number): void {
    this.followLatest = false;
    this.runId = runId;
    this.runView = undefined;
    this.refreshRun();
  }

  focusBlock(block: string): void {
    if (this.ready) this.post({ type: 'focusBlock', block });
    else this.pendingFocus = block;
  }

  /** The debugger's held blocks; kept until the webview is ready, and sent again after a reload. */
  setPaused(blocks: readonly string[]): void {
    this.paused = [...blocks];
    if (this.ready) this.post({ type: 'paused', blocks: this.paused });
  }

  dispose(): void {
    clearTimeout(this.editTimer);
    this.store.release();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.onDisposed();
  }

  private async receive(raw: unknown): Promise<void> {
    const known = new Set([...((this.lastValid ?? this.current)?.model.nodes.map((n) => n.id) ?? []), ...this.compare.blocks]);
    const message = parseWebviewMessage(raw, known);
    if (message === undefined) return;
    try {
      await this.handle(message);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Pipeline graph: {0}', error instanceof Error ? error.message : String(error)));
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.direction = message.direction;
        this.runsSignature = '';
        this.runView = undefined;
        this.shownEmpty = undefined;
        await this.sendModel(await vscode.workspace.openTextDocument(this.file));
        this.refreshRun();
        if (this.paused.length > 0) this.post({ type: 'paused', blocks: this.paused });
        if (this.pendingFocus !== undefined) this.post({ type: 'focusBlock', block: this.pendingFocus });
        this.pendingFocus = undefined;
        await this.editing.sendSnippets();
        return;
      case 'revealBlock':
        await this.revealBlock(message.block);
        return;
      case 'blockCommand':
        await this.blockCommand(message.command, message.block);
        return;
      case 'toolbar':
        await this.toolbar(message.command);
        return;
      case 'selectRun':
        this.showRun(message.runId);
        return;
      case 'direction':
        this.direction = message.direction;
        return;
      case 'layoutDone':
        this.cache.put(message.layout);
        return;
      case 'error':
        console.warn(`[pipeline graph] ${message.message}`);
        return;
      case 'rendered':
        return;
      case 'edit':
        if (await this.editing.apply(message.gesture)) await this.sendModel(await vscode.workspace.openTextDocument(this.file));
        return;
      case 'checkField':
        await this.editing.check(message.block, { kind: 'setField', block: message.block, field: message.field, value: message.value });
        return;
      case 'requestItems':
        this.sendItems(message.block, message.offset, message.limit);
        return;
      case 'requestFields':
        this.fieldsBlock = message.block;
        await this.editing.sendFields(message.block);
        return;
      case 'rename':
        await this.editing.rename(message.block, (this.current ?? this.lastValid)?.idOffsets.get(message.block), message.newName);
        return;
      case 'addSubPipeline':
        await this.editing.addSubPipeline(message.path);
        return;
      case 'addSnippet':
        await this.editing.addSnippet(message.name);
        return;
      case 'compare':
        if (message.stop === true) {
          this.compare.stop();
          this.post({ type: 'compareOff' });
        } else if (!(await (message.base === 'run' ? this.compare.pickRun(this.store.path) : this.compare.pick()))) {
          return;
        }
        await this.sendModel(await vscode.workspace.openTextDocument(this.file));
        return;
      case 'openDiff':
        await this.compare.openDiff(message.block);
        return;
    }
  }

  private scheduleModel(document: vscode.TextDocument): void {
    clearTimeout(this.editTimer);
    this.editTimer = setTimeout(() => void this.sendModel(document), EDIT_DEBOUNCE_MS);
  }

  private sendModel(document: vscode.TextDocument): Promise<void> {
    if (!this.ready) return Promise.resolve();
    const result = graphModelOf(document.getText(), document.uri.fsPath);
    this.current = result;
    if (result.errorCount > 0 && this.lastValid !== undefined) {
      this.post({ type: 'invalid', errorCount: result.errorCount });
      return Promise.resolve();
    }
    if (result.errorCount === 0) this.lastValid = result;
    if (this.fieldsBlock !== undefined && result.idOffsets.has(this.fieldsBlock)) void this.editing.sendFields(this.fieldsBlock);
    const comparing = this.compare.message(document.getText());
    if (comparing !== undefined) {
      this.post(comparing);
      return Promise.resolve();
    }
    const cachedLayout = this.cache.get(structureHash(result.model, this.direction));
    this.post({ type: 'model', model: result.model, errorCount: result.errorCount, direction: this.direction, file: this.file.toString(), ...(cachedLayout !== undefined ? { cachedLayout } : {}) });
    return Promise.resolve();
  }

  /** Reads the run list and the shown run from the store; sends only what changed. */
  private refreshRun(): void {
    if (!this.ready) return;
    this.store.checkFile();
    const runs = this.store.read((store) => runChoices(store, this.file.fsPath)) ?? [];
    const signature = runs.map((r) => `${r.runId}:${r.status}`).join(',');
    if (this.followLatest && runs[0] !== undefined && runs[0].runId !== this.runId) {
      this.runId = runs[0].runId;
      this.runView = undefined;
    }
    if (signature !== this.runsSignature) {
      this.runsSignature = signature;
      this.post({ type: 'runs', runs, selected: this.runId });
    }
    const runId = this.runId;
    const view = runId === undefined ? undefined : this.store.read((store) => readRunView(store, runId));
    const before = this.runView;
    this.runView = view;
    if (view === undefined || runId === undefined) {
      // Sent once per change to "no run", so that a plan on screen is not cleared by every store write.
      if (this.shownEmpty !== true) this.post({ type: 'run', run: undefined, blocks: {} });
      this.shownEmpty = true;
      return;
    }
    this.shownEmpty = false;
    if (before === undefined || before.header.runId !== runId) {
      this.post({ type: 'run', run: view.header, blocks: view.blocks });
      this.post({ type: 'estimates', runId, medians: this.store.read((store) => blockMedians(store, this.file.fsPath, runId)) ?? {} });
      return;
    }
    for (const message of runViewUpdates(before, view)) this.post(message);
  }

  /** A page of a fan-out block's items in the run shown (the node's expanded list). */
  private sendItems(block: string, offset: number, limit: number): void {
    const runId = this.runId;
    if (runId === undefined) return;
    const page = this.store.read((store) => readItemPage(store, runId, block, offset, limit));
    if (page !== undefined) this.post({ type: 'items', runId, block, ...page });
  }

  private async revealBlock(block: string): Promise<void> {
    const offset = (this.current ?? this.lastValid)?.idOffsets.get(block) ?? this.lastValid?.idOffsets.get(block);
    const document = await vscode.workspace.openTextDocument(this.file);
    const existing = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.file.toString());
    const editor = await vscode.window.showTextDocument(document, { viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    if (offset === undefined) return;
    const start = document.positionAt(offset);
    const range = new vscode.Range(start, start.translate(0, block.length));
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async blockCommand(command: BlockCommand, block: string): Promise<void> {
    if (command === 'openPipeline') {
      await this.openSubPipeline(block);
      return;
    }
    if (command === 'approve' || command === 'reject') {
      if (this.runId !== undefined) await vscode.commands.executeCommand(`pipelineStudio.${command}Block`, { runId: this.runId, storePath: this.store.path }, block);
      return;
    }
    if (command === 'openLog') {
      const runId = this.runId;
      if (runId === undefined || this.runView?.blocks[block] === undefined) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Block \'{0}\' has no log in the shown run.', block));
        return;
      }
      await vscode.commands.executeCommand('pipelineStudio.openBlockLog', { storePath: this.store.path, runId, block });
      return;
    }
    const runId = await vscode.commands.executeCommand<number | undefined>(`pipelineStudio.${command}`, this.file, block);
    this.followRun(runId);
  }

  /** A sub-pipeline node: the child file's graph, showing the shown run's child run of that block when there is one. */
  private async openSubPipeline(block: string): Promise<void> {
    const written = this.lastValid?.model.nodes.find((n) => n.id === block)?.pipeline;
    if (written === undefined) return;
    const child = vscode.Uri.file(resolvePath(dirname(this.file.fsPath), written));
    const runId = this.runId;
    const childRun = runId === undefined ? undefined : this.store.read((store) => {
      const links = ExecutionLinks.open(store, { readonly: true });
      try {
        return links.childOf(runId, block);
      } finally {
        links.close();
      }
    });
    if (childRun !== undefined) await vscode.commands.executeCommand('pipelineStudio.showRunInGraph', { runId: childRun, storePath: this.store.path, file: child.fsPath });
    else await vscode.commands.executeCommand('pipelineStudio.showPipelineGraph', child);
  }

  private async toolbar(command: ToolbarCommand): Promise<void> {
    if (command === 'toggleMaximize') {
      // Full screen: the panel's editor group maximised (the workbench's own "Maximize Editor Group").
      this.panel.reveal(undefined, false);
      await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
    } else if (command === 'runPipeline') {
      this.followRun(await vscode.commands.executeCommand<number | undefined>('pipelineStudio.runPipeline', this.file));
    } else if (command === 'pauseRun' || command === 'pauseRunNow' || command === 'resumeRun') {
      if (this.runId !== undefined) await vscode.commands.executeCommand(`pipelineStudio.${command}`, { runId: this.runId, storePath: this.store.path });
    } else if (command === 'cancelRun') {
      if (this.runId !== undefined) await vscode.commands.executeCommand('pipelineStudio.cancelRun', { runId: this.runId, storePath: this.store.path });
    } else {
      const plan = await vscode.commands.executeCommand<RunPlan | undefined>('pipelineStudio.dryRun', this.file, { noPrompt: true });
      if (plan !== undefined) this.post({ type: 'plan', marks: planMarks(plan) });
    }
  }

  private followRun(runId: number | undefined): void {
    if (typeof runId !== 'number') return;
    this.followLatest = true;
    this.runId = runId;
    this.runView = undefined;
    this.refreshRun();
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }
}

export function planMarks(plan: RunPlan): PlanMark[] {
  return plan.blocks.map((entry) => ({ block: entry.block, action: entry.action, ...(entry.reason !== undefined ? { reason: entry.reason } : {}) }));
}
