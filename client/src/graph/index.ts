import * as vscode from 'vscode';
import { registerShowPipelineGraph } from '../commands/showPipelineGraph.ts';
import { registerShowRunInGraph } from '../commands/showRunInGraph.ts';
import { followDebugPauses } from './debugPaused.ts';
import { GRAPH_VIEW_TYPE } from './graphPanel.ts';
import { BASE_SCHEME, BaseTexts } from './compare/graphCompare.ts';
import type { ServerRequest } from './graphEditing.ts';
import { GraphPanels } from './graphPanels.ts';

export const GRAPH_STATE = 'pipelineStudio.internal.graphState';

/**
 * The pipeline graph: "Show Pipeline Graph", "Show Run in Graph", panels restored after a reload,
 * and an internal command returning what each panel shows (for UI tests).
 */
export function registerGraphFeatures(context: vscode.ExtensionContext, request: ServerRequest): void {
  const baseTexts = new BaseTexts();
  const panels = new GraphPanels(context.extensionUri, context.workspaceState, request, baseTexts);
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(BASE_SCHEME, baseTexts),
    panels,
    followDebugPauses(panels),
    registerShowPipelineGraph(panels),
    registerShowRunInGraph(panels),
    vscode.commands.registerCommand(GRAPH_STATE, (file?: unknown) => {
      const all = panels.states();
      return typeof file === 'string' ? all.find((s) => s.file === file || vscode.Uri.file(s.file).toString() === file) : all;
    }),
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const file = restoredFile(state);
        if (file === undefined) panel.dispose();
        else panels.adopt(panel, file);
        return Promise.resolve();
      },
    }),
  );
}

/** The file a restored panel showed; the state is the webview's, so it is checked like any input. */
function restoredFile(state: unknown): vscode.Uri | undefined {
  const file = typeof state === 'object' && state !== null ? (state as { file?: unknown }).file : undefined;
  if (typeof file !== 'string') return undefined;
  try {
    const uri = vscode.Uri.parse(file, true);
    return uri.scheme === 'file' && /\.pipeline\.ya?ml$/.test(uri.path) ? uri : undefined;
  } catch {
    return undefined;
  }
}
