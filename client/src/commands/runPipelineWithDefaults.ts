import * as vscode from 'vscode';
import { runFile, type RunFeatures } from '../run/launch.ts';

export const RUN_PIPELINE_WITH_DEFAULTS = 'pipelineStudio.runPipelineWithDefaults';

/** Run Pipeline with Defaults: every block, the variables' defaults, no prompt. Args as Run Pipeline. */
export function registerRunPipelineWithDefaults(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(RUN_PIPELINE_WITH_DEFAULTS, (...args: unknown[]) =>
    runFile(features, args, { title: 'Run Pipeline with Defaults', selection: () => Promise.resolve({ mode: 'all' }), withDefaults: true }));
}
