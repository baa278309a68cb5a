import * as vscode from 'vscode';
import { refuseIfUntrusted } from '../../run/trust.ts';
import type { TriggerFeatures } from '../features.ts';
import { ENABLE_TRIGGERS } from '../ids.ts';

/** Enable Triggers for This Workspace: the answer "yes", kept in the workspace state. */
export function registerEnableTriggers(features: TriggerFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(ENABLE_TRIGGERS, async () => {
    if (refuseIfUntrusted('Triggers')) return false;
    await features.enablement.setAllowed(true);
    return features.controller.isActive;
  });
}
