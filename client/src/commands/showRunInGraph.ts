import * as vscode from 'vscode';
import type { GraphPanels } from '../graph/graphPanels.ts';
import { runTargetOf } from '../history/targets.ts';

export const SHOW_RUN_IN_GRAPH = 'pipelineStudio.showRunInGraph';

/** Show Run in Graph: a run of the Runs view (or `{ runId, storePath, file }`) with its statuses on the graph. */
export function registerShowRunInGraph(panels: GraphPanels): vscode.Disposable {
  return vscode.commands.registerCommand(SHOW_RUN_IN_GRAPH, (arg: unknown) => {
    const target = runTargetOf(arg);
    if (target?.file === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Choose a run in the Runs view to show it in the graph.'));
      return;
    }
    panels.show(vscode.Uri.file(target.file), { runId: target.runId });
  });
}
