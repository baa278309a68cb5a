import * as vscode from 'vscode';
import { blockSelection } from '../run/blockSelection.ts';
import { runFile, type RunFeatures } from '../run/launch.ts';
import { pickExecutor } from './runPipelineOn.ts';

export const RUN_BLOCK_ON = 'pipelineStudio.runBlockOn';

/**
 * Run Block on…: just this block, like Run Block (upstream results reused from earlier runs), on an
 * executor profile picked like Run Pipeline on… (a block with its own `executor:` keeps it). From
 * the graph's node menu, the Runs tree's block rows and the code lens. Args: (file?, block?,
 * options?) with `{ executor }` among the options to skip the pick → run number.
 */
export function registerRunBlockOn(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(RUN_BLOCK_ON, (...args: unknown[]) =>
    runFile(features, args, { title: 'Run Block on…', selection: blockSelection(args, 'only', 'Block to run'), executor: pickExecutor }));
}
