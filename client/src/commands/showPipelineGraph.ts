import * as vscode from 'vscode';
import type { GraphPanels } from '../graph/graphPanels.ts';
import { blockArgument, fileArgument } from '../run/runArguments.ts';

export const SHOW_PIPELINE_GRAPH = 'pipelineStudio.showPipelineGraph';

/** Show Pipeline Graph: the file's graph beside the editor. Args: (file?, block?) — a block is selected and centred. */
export function registerShowPipelineGraph(panels: GraphPanels): vscode.Disposable {
  return vscode.commands.registerCommand(SHOW_PIPELINE_GRAPH, (...args: unknown[]) => {
    const file = fileArgument(args[0]) ?? activePipelineFile();
    if (file === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a pipeline file (*.pipeline.yaml) to show its graph.'));
      return;
    }
    const block = blockArgument(args[1]);
    panels.show(file, block === undefined ? {} : { block });
  });
}

function activePipelineFile(): vscode.Uri | undefined {
  const document = vscode.window.activeTextEditor?.document;
  return document?.languageId === 'pipeline' && document.uri.scheme === 'file' ? document.uri : undefined;
}
