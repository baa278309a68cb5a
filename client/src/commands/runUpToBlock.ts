import * as vscode from 'vscode';
import { blockSelection } from '../run/blockSelection.ts';
import { runFile, type RunFeatures } from '../run/launch.ts';

export const RUN_UP_TO_BLOCK = 'pipelineStudio.runUpToBlock';

/** Run Up To Block: the block and everything upstream of it. Args: (file?, block?, options?) → run number. */
export function registerRunUpToBlock(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(RUN_UP_TO_BLOCK, (...args: unknown[]) =>
    runFile(features, args, { title: 'Run Up To Block', selection: blockSelection(args, 'upto', 'Run up to which block') }));
}
