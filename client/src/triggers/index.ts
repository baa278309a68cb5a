import * as vscode from 'vscode';
import { registerTriggerAlerts } from './alerts.ts';
import { registerDisableTrigger } from './commands/disableTrigger.ts';
import { registerDisableTriggers } from './commands/disableTriggers.ts';
import { registerEnableTrigger } from './commands/enableTrigger.ts';
import { registerEnableTriggers } from './commands/enableTriggers.ts';
import { registerGetUpcoming } from './commands/getUpcoming.ts';
import { registerGoToTriggerDefinition } from './commands/goToTriggerDefinition.ts';
import { registerRunTriggerNow } from './commands/runTriggerNow.ts';
import { registerShowTriggerMenu } from './commands/showTriggerMenu.ts';
import { registerShowUpcoming } from './commands/showUpcoming.ts';
import { TriggerEnablement } from './enablement.ts';
import type { TriggerFeatures } from './features.ts';
import { ACTIVE_CONTEXT, UPCOMING_VIEW } from './ids.ts';
import { registerTriggerStatusBar } from './statusBar.ts';
import { TriggerCodeLensProvider } from './triggerCodeLens.ts';
import { TriggerController } from './triggerController.ts';
import { UpcomingTreeProvider } from './upcomingTree.ts';
import { SETTINGS_SECTION } from '../settings/settings.ts';

/**
 * Triggers in the editor: the scheduler in the runner service of each workspace store (while the
 * workspace is trusted and triggers are enabled for it), the Upcoming view, the code lenses above
 * triggers, alerts, and the status bar item.
 */
export function registerTriggerFeatures(context: vscode.ExtensionContext): void {
  const controller = new TriggerController(context.asAbsolutePath('dist/cli.cjs'), context.workspaceState);
  const enablement = new TriggerEnablement(context.workspaceState, controller);
  const upcoming = new UpcomingTreeProvider(controller, enablement);
  const features: TriggerFeatures = { controller, enablement, upcoming };
  const view = vscode.window.createTreeView(UPCOMING_VIEW, { treeDataProvider: upcoming, showCollapseAll: false });
  upcoming.setVisible(view.visible);
  const lenses = new TriggerCodeLensProvider(controller);
  const apply = (): void => void enablement.apply();
  context.subscriptions.push(
    controller,
    upcoming,
    view,
    lenses,
    view.onDidChangeVisibility((e) => upcoming.setVisible(e.visible)),
    controller.onDidChange(() => void vscode.commands.executeCommand('setContext', ACTIVE_CONTEXT, controller.isActive)),
    vscode.languages.registerCodeLensProvider({ language: 'pipeline', scheme: 'file' }, lenses),
    registerTriggerAlerts(controller),
    registerTriggerStatusBar(controller),
    registerRunTriggerNow(features),
    registerDisableTrigger(features),
    registerEnableTrigger(features),
    registerGoToTriggerDefinition(),
    registerEnableTriggers(features),
    registerDisableTriggers(features),
    registerShowTriggerMenu(features),
    registerShowUpcoming(),
    registerGetUpcoming(features),
    vscode.workspace.onDidGrantWorkspaceTrust(apply),
    vscode.workspace.onDidOpenTextDocument((document) => void enablement.maybeAsk(document)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.triggers.enabled`)) apply();
      else if (event.affectsConfiguration(`${SETTINGS_SECTION}.triggers`) || event.affectsConfiguration(`${SETTINGS_SECTION}.store.path`)) void restart(controller, enablement);
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void restart(controller, enablement)),
  );
  apply();
  for (const document of vscode.workspace.textDocuments) void enablement.maybeAsk(document);
}

/** Folders or stores changed: schedule again from scratch. */
async function restart(controller: TriggerController, enablement: TriggerEnablement): Promise<void> {
  if (!controller.isActive) return;
  await controller.stop();
  await enablement.apply();
}
