import * as vscode from 'vscode';
import { runFile, type RunFeatures } from '../run/launch.ts';

export const RUN_PIPELINE = 'pipelineStudio.runPipeline';

/** Run Pipeline: every block. Args: (file?, { variables?, noPrompt?, wait?, concurrency?, noCache? }?) → run number. */
export function registerRunPipeline(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(RUN_PIPELINE, (...args: unknown[]) => runFile(features, args, { title: 'Run Pipeline', selection: () => Promise.resolve({ mode: 'all' }) }));
}
