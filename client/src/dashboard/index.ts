import * as vscode from 'vscode';
import { runTargetOf } from '../history/targets.ts';
import type { Action, OpenTarget, Sort } from '../../../webview/src/dashboard/protocol.ts';
import { DASHBOARD_VIEW_TYPE, DashboardPanel } from './dashboardPanel.ts';
import { runState } from '../runState/index.ts';

export const SHOW_EXECUTIONS = 'pipelineStudio.showExecutions';
export const DASHBOARD_STATE = 'pipelineStudio.internal.dashboardState';
export const DASHBOARD_DRIVE = 'pipelineStudio.internal.dashboardDrive';

/**
 * "Pipeline Studio: Show Executions": one panel over every run of the workspace's store (from the
 * palette, the Runs view's title bar, or a run's context menu, which focuses that run).
 */
export function registerDashboardFeatures(context: vscode.ExtensionContext): void {
  const source = runState();
  let panel: DashboardPanel | undefined;
  const show = (): DashboardPanel => {
    if (panel !== undefined) {
      panel.reveal();
      return panel;
    }
    const webview = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Executions', vscode.ViewColumn.Active, { enableScripts: true, retainContextWhenHidden: true });
    const created: DashboardPanel = new DashboardPanel(webview, context.extensionUri, source, context.workspaceState, () => {
      if (panel === created) panel = undefined;
    });
    panel = created;
    return created;
  };
  context.subscriptions.push(
    { dispose: () => panel?.dispose() },
    vscode.commands.registerCommand(SHOW_EXECUTIONS, (arg: unknown) => {
      const opened = show();
      const target = runTargetOf(arg);
      const name = typeof (arg as { run?: { pipelineName?: unknown } } | undefined)?.run?.pipelineName === 'string' ? (arg as { run: { pipelineName: string } }).run.pipelineName : undefined;
      if (target !== undefined && name !== undefined) opened.focusRun(target.runId, name);
    }),
    vscode.commands.registerCommand(DASHBOARD_STATE, () => panel?.state),
    // For the workbench tests: set the query or run an action as the toolbar would.
    vscode.commands.registerCommand(DASHBOARD_DRIVE, async (request: { query?: string; sort?: Sort; action?: Action; runIds?: number[]; all?: boolean; open?: { runId: number; target: OpenTarget } }) => {
      const target = panel ?? show();
      if (request.query !== undefined) target.setQuery(request.query, request.sort);
      if (request.action !== undefined) await target.act(request.action, request.runIds ?? [], request.all === true);
      if (request.open !== undefined) await target.openRow(request.open.runId, request.open.target);
      return target.state;
    }),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel(webview: vscode.WebviewPanel): Promise<void> {
        panel?.dispose();
        const restored: DashboardPanel = new DashboardPanel(webview, context.extensionUri, source, context.workspaceState, () => {
          if (panel === restored) panel = undefined;
        });
        panel = restored;
        return Promise.resolve();
      },
    }),
  );
}
