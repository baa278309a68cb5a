import * as vscode from 'vscode';
import { reportCommandError, type RunFeatures } from '../run/launch.ts';
import { pickActiveRun } from '../run/pickTargets.ts';
import { runArgument } from '../run/runArguments.ts';

export const CANCEL_RUN = 'pipelineStudio.cancelRun';

/**
 * Cancel Run: blocks get SIGTERM, then SIGKILL after the grace period. Args: (run?) — a number or
 * `{ runId, storePath? }`; without one, this window's live run (picked when several). Resolves
 * true when a live run was cancelled.
 */
export function registerCancelRun(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(CANCEL_RUN, async (...args: unknown[]): Promise<boolean> => {
    try {
      const ref = (await liveRun(features, args[0])) ?? (args[0] === undefined ? await pickActiveRun(features.controller) : undefined);
      if (ref === undefined) {
        if (args[0] !== undefined) void vscode.window.showInformationMessage(vscode.l10n.t('That run is not going in this window, so there is nothing to cancel.'));
        return false;
      }
      return await features.controller.cancelRun(ref);
    } catch (error) {
      reportCommandError('Cancel Run', error);
      return false;
    }
  });
}

/** The live run an argument names; a bare number matches this window's live run of that number. */
export async function liveRun(features: RunFeatures, arg: unknown): Promise<{ runId: number; store: string } | undefined> {
  const ref = runArgument(arg);
  if (ref === undefined) return undefined;
  const match = (await features.controller.settledActiveRuns()).find((r) => r.runId === ref.runId && (ref.storePath === undefined || r.store === ref.storePath));
  return match === undefined ? (ref.storePath !== undefined ? { runId: ref.runId, store: ref.storePath } : undefined) : { runId: match.runId, store: match.store };
}
