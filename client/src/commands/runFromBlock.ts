import * as vscode from 'vscode';
import { blockSelection } from '../run/blockSelection.ts';
import { runFile, type RunFeatures } from '../run/launch.ts';

export const RUN_FROM_BLOCK = 'pipelineStudio.runFromBlock';

/** Run From Block: the block and everything downstream of it, reusing earlier upstream results. Args: (file?, block?, options?) → run number. */
export function registerRunFromBlock(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(RUN_FROM_BLOCK, (...args: unknown[]) =>
    runFile(features, args, { title: 'Run From Block', selection: blockSelection(args, 'from', 'Run from which block') }));
}
