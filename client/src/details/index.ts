import * as vscode from 'vscode';
import { runTargetOf } from '../history/targets.ts';
import { currentRunController } from '../run/index.ts';
import { DEFINITION_SCHEME, DefinitionProvider, DETAILS_VIEW_TYPE, DetailsPanel, type DetailsTarget } from './detailsPanel.ts';

export const SHOW_RUN = 'pipelineStudio.showRun';
export const COMPARE_RUNS = 'pipelineStudio.compareRuns';
export const DETAILS_STATE = 'pipelineStudio.internal.detailsState';

/**
 * Run details and compare pages: "Show Run Details" on a run (Runs view, or `{ runId, storePath }`),
 * "Compare Runs" on 2–5 runs (`{ storePath, runIds }`, or runs selected together in the Runs view).
 */
export function registerDetailsFeatures(context: vscode.ExtensionContext): void {
  const panels = new Set<DetailsPanel>();
  const open = (target: DetailsTarget): DetailsPanel => {
    const panel = vscode.window.createWebviewPanel(DETAILS_VIEW_TYPE, 'Run Details', vscode.ViewColumn.Active, { enableScripts: true, retainContextWhenHidden: true });
    const details: DetailsPanel = new DetailsPanel(panel, context.extensionUri, target, () => panels.delete(details));
    panels.add(details);
    return details;
  };
  const controller = currentRunController();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(DEFINITION_SCHEME, new DefinitionProvider()),
    vscode.commands.registerCommand(SHOW_RUN, (arg: unknown) => {
      const target = runTargetOf(arg);
      if (target === undefined) {
        void vscode.window.showInformationMessage('Choose a run in the Runs view to show its details.');
        return undefined;
      }
      return open({ kind: 'run', storePath: target.storePath, runId: target.runId }).state;
    }),
    vscode.commands.registerCommand(COMPARE_RUNS, (arg: unknown, selected: unknown) => {
      const target = compareTargetOf(arg, selected);
      if (target === undefined) {
        void vscode.window.showInformationMessage('Select 2 to 5 runs of one store in the Runs view to compare them.');
        return undefined;
      }
      return open(target).state;
    }),
    vscode.commands.registerCommand(DETAILS_STATE, () => [...panels].map((p) => p.state)),
    // Live runs of this window: reload the pages that show them as they progress.
    ...(controller === undefined ? [] : [controller.onDidChangeRun((progress) => {
      for (const p of panels) if (p.target.kind === 'run' && p.target.runId === progress.runId && p.target.storePath === progress.store) p.scheduleReload();
    })]),
    { dispose: () => { for (const p of [...panels]) p.dispose(); } },
  );
}

/** `{ storePath, runIds }`, or the Runs view's (clicked, selected[]) pair. */
function compareTargetOf(arg: unknown, selected: unknown): DetailsTarget | undefined {
  if (typeof arg === 'object' && arg !== null && 'runIds' in arg && 'storePath' in arg) {
    const { runIds, storePath } = arg;
    if (typeof storePath === 'string' && Array.isArray(runIds) && runIds.length >= 2 && runIds.length <= 5 && runIds.every((id) => Number.isInteger(id))) {
      return { kind: 'compare', storePath, runIds: runIds as number[] };
    }
    return undefined;
  }
  const targets = (Array.isArray(selected) ? selected : [arg]).map(runTargetOf).filter((t) => t !== undefined);
  const store = targets[0]?.storePath;
  if (targets.length < 2 || targets.length > 5 || targets.some((t) => t.storePath !== store) || store === undefined) return undefined;
  return { kind: 'compare', storePath: store, runIds: targets.map((t) => t.runId).sort((a, b) => a - b) };
}
