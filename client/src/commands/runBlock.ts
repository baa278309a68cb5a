import * as vscode from 'vscode';
import { blockSelection } from '../run/blockSelection.ts';
import { runFile, type RunFeatures } from '../run/launch.ts';

export const RUN_BLOCK = 'pipelineStudio.runBlock';

/** Run Block: just this block (upstream results reused from earlier runs). Args: (file?, block?, options?) → run number. */
export function registerRunBlock(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(RUN_BLOCK, (...args: unknown[]) =>
    runFile(features, args, { title: 'Run Block', selection: blockSelection(args, 'only', 'Block to run') }));
}
