import * as vscode from 'vscode';
import { ResponseError } from 'vscode-jsonrpc';
import type { RunRefusedData } from '../../../../core/src/runner/protocol.ts';
import { refuseIfUntrusted } from '../../run/trust.ts';
import { showRunError } from '../../run/runsLog.ts';
import type { TriggerFeatures } from '../features.ts';
import { ENABLE_TRIGGERS, RUN_TRIGGER_NOW } from '../ids.ts';
import { triggerArgument } from './triggerArgument.ts';

/**
 * Run Now: a run of the trigger's pipeline with its variables, label, SLA, timeout and alerts, now,
 * in the scheduler of its store (whichever scheduler holds the lease). Resolves with the run number.
 */
export function registerRunTriggerNow(features: TriggerFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(RUN_TRIGGER_NOW, async (arg: unknown): Promise<number | undefined> => {
    if (refuseIfUntrusted('Run Now')) return undefined;
    const ref = triggerArgument(arg);
    if (ref === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Choose a trigger in the Upcoming view, or the Run now lens above a trigger.'));
      return undefined;
    }
    if (!features.controller.isActive) {
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Triggers are not enabled for this workspace; Run Now runs a trigger through its scheduler.'), 'Enable Triggers');
      if (choice === undefined) return undefined;
      await vscode.commands.executeCommand(ENABLE_TRIGGERS);
    }
    try {
      const runId = await features.controller.runNow(ref.file, ref.trigger);
      vscode.window.setStatusBarMessage(`$(play) Trigger ${ref.trigger}: run #${runId} started`, 5000);
      return runId;
    } catch (error) {
      const problems = error instanceof ResponseError ? ((error.data as RunRefusedData | undefined)?.problems ?? [error.message]) : undefined;
      showRunError(`Cannot run trigger ${ref.trigger}${problems !== undefined ? `: ${problems.join('; ')}` : ''}`, problems === undefined ? error : undefined);
      return undefined;
    }
  });
}
