import * as vscode from 'vscode';
import type { TriggerFeatures } from '../features.ts';
import { DISABLE_TRIGGERS } from '../ids.ts';

/** Disable Triggers for This Workspace: nothing fires from this window; triggered runs in flight finish. */
export function registerDisableTriggers(features: TriggerFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(DISABLE_TRIGGERS, async () => {
    await features.enablement.setAllowed(false);
  });
}
