import * as vscode from 'vscode';
import { reportCommandError, type RunFeatures } from '../run/launch.ts';
import { controlTarget, reportAnswer, sendRunControl } from './runControlRequest.ts';

export const PAUSE_RUN_NOW = 'pipelineStudio.pauseRunNow';

/**
 * Pause Run Now: nothing new starts and running blocks are suspended (SIGSTOP; not on Windows). Args: (run?) — a number, a Runs tree node or
 * `{ runId, storePath }`; without one, this window's live run (picked when several). Works on runs
 * owned by another window or a CLI through their control channel. Resolves true when the owner did it.
 */
export function registerPauseRunNow(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(PAUSE_RUN_NOW, async (...args: unknown[]): Promise<boolean> => {
    try {
      const ref = await controlTarget(features, args[0], 'Run to pause', (paused) => !paused);
      if (ref === undefined) return false;
      return reportAnswer(await sendRunControl(features, ref, { action: 'pause', now: true }));
    } catch (error) {
      reportCommandError('Pause Run Now', error);
      return false;
    }
  });
}
