import * as vscode from 'vscode';
import { runFromRecord, type RunFeatures } from '../run/launch.ts';

export const REPLAY_RUN = 'pipelineStudio.replayRun';

/** Replay Run: the same selection and variables as a recorded run, as a new run. Args: (run?, options?) → run number. */
export function registerReplayRun(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(REPLAY_RUN, (...args: unknown[]) => runFromRecord(features, args, 'replay'));
}
