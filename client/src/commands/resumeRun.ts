import * as vscode from 'vscode';
import { reportCommandError, type RunFeatures } from '../run/launch.ts';
import { controlTarget, reportAnswer, sendRunControl } from './runControlRequest.ts';

export const RESUME_RUN = 'pipelineStudio.resumeRun';

/**
 * Resume Run: what was held starts, suspended blocks go on. Args: (run?) — a number, a Runs tree node or
 * `{ runId, storePath }`; without one, this window's live run (picked when several). Works on runs
 * owned by another window or a CLI through their control channel. Resolves true when the owner did it.
 */
export function registerResumeRun(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(RESUME_RUN, async (...args: unknown[]): Promise<boolean> => {
    try {
      const ref = await controlTarget(features, args[0], 'Run to resume', (paused) => paused);
      if (ref === undefined) return false;
      return reportAnswer(await sendRunControl(features, ref, { action: 'resume' }));
    } catch (error) {
      reportCommandError('Resume Run', error);
      return false;
    }
  });
}
