import * as vscode from 'vscode';
import { runTargetOf } from '../history/targets.ts';
import { currentRunController } from '../run/index.ts';
import { DEFINITION_SCHEME, DefinitionProvider, DETAILS_VIEW_TYPE, DetailsPanel, withDetails, type DetailsTarget } from './detailsPanel.ts';
import { storePathForReading } from '../runState/storeLocation.ts';
import { statusLabel } from '../../../core/src/model/status.ts';
import type { RunSummary } from '../../../core/src/store/index.ts';

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
    vscode.commands.registerCommand(SHOW_RUN, async (arg: unknown) => {
      const target = runTargetOf(arg) ?? (arg === undefined ? await pickRun() : undefined);
      if (target === undefined) {
        if (arg !== undefined) void vscode.window.showInformationMessage(vscode.l10n.t('Choose a run in the Runs view to show its details.'));
        return undefined;
      }
      return open({ kind: 'run', storePath: target.storePath, runId: target.runId }).state;
    }),
    vscode.commands.registerCommand(COMPARE_RUNS, (arg: unknown, selected: unknown) => {
      const target = compareTargetOf(arg, selected);
      if (target === undefined) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select 2 to 5 runs of one store in the Runs view to compare them.'));
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

/** From the palette: a run of the active pipeline file's store, newest first. */
async function pickRun(): Promise<{ storePath: string; runId: number } | undefined> {
  const editor = vscode.window.activeTextEditor?.document.uri;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const anchor = editor?.scheme === 'file' ? editor : folder === undefined ? undefined : vscode.Uri.joinPath(folder, 'x.pipeline.yaml');
  if (anchor === undefined) return undefined;
  const storePath = storePathForReading(anchor);
  let runs: RunSummary[] = [];
  try {
    runs = withDetails(storePath, (store) => store.listRuns({ limit: 50 }));
  } catch {
    // no store yet
  }
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There are no recorded runs yet.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(runs.map((r) => ({ label: `#${r.id} ${r.pipelineName}`, description: `${statusLabel(r.status)} · ${new Date(r.startedAt ?? r.createdAt).toLocaleString()}`, runId: r.id })), { title: vscode.l10n.t('Show Run Details'), placeHolder: vscode.l10n.t('Choose a run') });
  return picked === undefined ? undefined : { storePath, runId: picked.runId };
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
