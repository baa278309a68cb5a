import * as vscode from 'vscode';
import { blockArgument, runArgument } from '../run/runArguments.ts';
import { reportCommandError, type RunFeatures } from '../run/launch.ts';
import { pickActiveRun } from '../run/pickTargets.ts';
import { liveRun } from './cancelRun.ts';

export const CANCEL_BLOCK = 'pipelineStudio.cancelBlock';

/**
 * Cancel Block: stops one block of a live run; its dependents become `cancelled`, the rest goes on.
 * Args: (run?, block?) or ({ runId, storePath?, block }). Resolves true when a running block was cancelled.
 */
export function registerCancelBlock(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(CANCEL_BLOCK, async (...args: unknown[]): Promise<boolean> => {
    try {
      const ref = (await liveRun(features, args[0])) ?? (args[0] === undefined ? await pickActiveRun(features.controller) : undefined);
      if (ref === undefined) return false;
      let block = blockArgument(args[1]) ?? runArgument(args[0])?.block;
      if (block === undefined) {
        const running = features.controller.activeRuns.find((r) => r.runId === ref.runId && r.store === ref.store)?.running ?? [];
        block = await vscode.window.showQuickPick(running.sort(), { placeHolder: running.length > 0 ? vscode.l10n.t('Block to cancel') : vscode.l10n.t('No block of this run is running') });
      }
      if (block === undefined) return false;
      const cancelled = await features.controller.cancelBlock(ref, block);
      if (!cancelled) void vscode.window.showInformationMessage(vscode.l10n.t('Block \'{0}\' of run #{1} is not running, so there is nothing to cancel.', block, ref.runId));
      return cancelled;
    } catch (error) {
      reportCommandError('Cancel Block', error);
      return false;
    }
  });
}
