import * as vscode from 'vscode';
import { runFromRecord, type RunFeatures } from '../run/launch.ts';
import { RETRY_FAILED } from '../run/runController.ts';

/** Retry Failed Blocks: a new run of a run's failed, cancelled and interrupted blocks and their dependents. Args: (run?, options?) → run number. */
export function registerRetryFailedBlocks(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(RETRY_FAILED, (...args: unknown[]) => runFromRecord(features, args, 'retry'));
}
