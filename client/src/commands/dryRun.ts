import { basename } from 'node:path';
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-jsonrpc';
import type { RunPlan } from '../../../core/src/runner/plan.ts';
import type { RunRefusedData } from '../../../core/src/runner/protocol.ts';
import { reportCommandError, type RunFeatures } from '../run/launch.ts';
import { pickPipelineFile, readPipeline } from '../run/pickTargets.ts';
import { planMarkdown } from '../run/planText.ts';
import { fileArgument, optionsArgument } from '../run/runArguments.ts';
import { runSettings } from '../settings/settings.ts';
import { showRunError } from '../run/runsLog.ts';
import { storePathForRun } from '../runState/storeLocation.ts';
import { refuseIfUntrusted } from '../run/trust.ts';

export const DRY_RUN = 'pipelineStudio.dryRun';

/** Dry Run: what a run of every block would do, shown read-only; nothing runs. Args: (file?, options?) → the plan. */
export function registerDryRun(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(DRY_RUN, async (...args: unknown[]): Promise<RunPlan | undefined> => {
    if (refuseIfUntrusted('Dry Run')) return undefined;
    try {
      const options = optionsArgument(args);
      const file = await pickPipelineFile(fileArgument(args[0]));
      if (file === undefined) return undefined;
      const { pipeline, text } = readPipeline(file);
      let plan: RunPlan;
      try {
        plan = await features.controller.plan({
          file: file.fsPath, text, variables: options.variables, selection: { mode: 'all' },
          concurrency: options.concurrency ?? runSettings(file).concurrency, noCache: options.noCache, store: storePathForRun(file),
        });
      } catch (error) {
        if (!(error instanceof ResponseError)) throw error;
        const problems = (error.data as RunRefusedData | undefined)?.problems ?? [error.message];
        showRunError(`Cannot plan ${pipeline.name}: ${problems.join('; ')}`);
        return undefined;
      }
      if (options.noPrompt !== true) await features.views.show(`Dry run of ${basename(file.fsPath)}.md`, planMarkdown(plan), 'markdown');
      return plan;
    } catch (error) {
      reportCommandError('Dry Run', error);
      return undefined;
    }
  });
}
