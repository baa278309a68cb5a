import * as vscode from 'vscode';
import type { TriggerFeatures } from '../features.ts';
import { formatNext } from '../format.ts';
import { DISABLE_TRIGGERS, ENABLE_TRIGGERS, RUN_TRIGGER_NOW, SHOW_UPCOMING, TRIGGER_MENU } from '../ids.ts';

interface MenuItem extends vscode.QuickPickItem {
  run: () => Thenable<unknown>;
}

/** The status bar item's menu: turn triggers on or off, show Upcoming, run a trigger now, settings. */
export function registerShowTriggerMenu(features: TriggerFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(TRIGGER_MENU, async () => {
    const { controller } = features;
    const items: MenuItem[] = [];
    if (controller.isActive) items.push({ label: '$(debug-pause) Disable Triggers for This Workspace', run: () => vscode.commands.executeCommand(DISABLE_TRIGGERS) });
    else items.push({ label: '$(play-circle) Enable Triggers for This Workspace', run: () => vscode.commands.executeCommand(ENABLE_TRIGGERS) });
    items.push({ label: '$(list-unordered) Show Upcoming Fires', run: () => vscode.commands.executeCommand(SHOW_UPCOMING) });
    const now = Date.now();
    for (const state of controller.allStates) {
      for (const t of state.triggers) {
        if (t.disabled) continue;
        items.push({ label: `$(play) Run Now: ${t.trigger}`, description: t.pipeline, detail: t.next !== undefined ? formatNext(t.next, now) : t.waitsFor, run: () => vscode.commands.executeCommand(RUN_TRIGGER_NOW, { file: t.file, trigger: t.trigger }) });
      }
    }
    items.push({ label: '$(gear) Trigger Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'pipelineStudio.triggers') });
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Pipeline Studio Triggers'), placeHolder: controller.isActive ? vscode.l10n.t('Triggers are on') : vscode.l10n.t('Triggers are off') });
    await picked?.run();
  });
}
