import * as vscode from 'vscode';
import type { BaseTexts } from './compare/graphCompare.ts';
import type { ServerRequest } from './graphEditing.ts';
import { GRAPH_VIEW_TYPE, GraphPanel, type GraphPanelState } from './graphPanel.ts';
import { LayoutCache } from './layoutCache.ts';

export interface ShowOptions {
  runId?: number;
  block?: string;
}

/** One graph panel per pipeline file: showing a file's graph again reveals its panel. */
export class GraphPanels implements vscode.Disposable {
  private readonly panels = new Map<string, GraphPanel>();
  private readonly extensionUri: vscode.Uri;
  private readonly cache: LayoutCache;
  /** Per file, the blocks a debugger holds: a graph opened while paused shows them too. */
  private readonly paused = new Map<string, string[]>();

  private readonly request: ServerRequest;
  private readonly baseTexts: BaseTexts;

  constructor(extensionUri: vscode.Uri, state: vscode.Memento, request: ServerRequest, baseTexts: BaseTexts) {
    this.extensionUri = extensionUri;
    this.request = request;
    this.baseTexts = baseTexts;
    this.cache = new LayoutCache(state);
  }

  show(file: vscode.Uri, options: ShowOptions = {}): GraphPanel {
    let graph = this.panels.get(file.toString());
    if (graph === undefined) {
      const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, retainContextWhenHidden: true });
      graph = this.adopt(panel, file);
    } else {
      graph.reveal();
    }
    if (options.runId !== undefined) graph.showRun(options.runId);
    if (options.block !== undefined) graph.focusBlock(options.block);
    return graph;
  }

  /** Takes over a panel VS Code restored after a reload. */
  adopt(panel: vscode.WebviewPanel, file: vscode.Uri): GraphPanel {
    const key = file.toString();
    this.panels.get(key)?.dispose();
    const graph = new GraphPanel(panel, file, this.extensionUri, this.cache, this.request, this.baseTexts, () => {
      if (this.panels.get(key) === graph) this.panels.delete(key);
    });
    this.panels.set(key, graph);
    const paused = this.paused.get(key);
    if (paused !== undefined) graph.setPaused(paused);
    return graph;
  }

  setPaused(file: vscode.Uri, blocks: readonly string[]): void {
    const key = file.toString();
    if (blocks.length > 0) this.paused.set(key, [...blocks]);
    else this.paused.delete(key);
    this.panels.get(key)?.setPaused(blocks);
  }

  states(): GraphPanelState[] {
    return [...this.panels.values()].map((p) => p.state);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}
