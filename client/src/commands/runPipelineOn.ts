import * as vscode from 'vscode';
import { BUILTIN_EXECUTOR } from '../../../core/src/model/executors.ts';
import type { Pipeline } from '../../../core/src/model/pipeline.ts';
import { runFile, type RunFeatures } from '../run/launch.ts';

export const RUN_PIPELINE_ON = 'pipelineStudio.runPipelineOn';

/**
 * Run Pipeline on…: every block, on an executor profile picked from the pipeline's `executors:`
 * (and the workspace's .pipelines/executors.yaml), like `pipeline-studio run --executor NAME`.
 * Blocks with their own `executor:` keep it. Args as Run Pipeline, plus `{ executor }` to skip the pick.
 */
export function registerRunPipelineOn(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(RUN_PIPELINE_ON, (...args: unknown[]) =>
    runFile(features, args, { title: 'Run Pipeline on…', selection: () => Promise.resolve({ mode: 'all' }), executor: pickExecutor }));
}

export async function pickExecutor(pipeline: Pipeline): Promise<string | undefined> {
  const items = executorItems(pipeline);
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Run {0} on…', pipeline.name), placeHolder: vscode.l10n.t('Executor profile for the blocks without their own executor:') });
  return picked?.label;
}

/** `local` first, then the profiles in file order, each with its type and what it targets. */
export function executorItems(pipeline: Pipeline): vscode.QuickPickItem[] {
  const current = pipeline.executor?.name ?? BUILTIN_EXECUTOR;
  const items: vscode.QuickPickItem[] = [];
  if (!pipeline.executors.has(BUILTIN_EXECUTOR)) items.push({ label: BUILTIN_EXECUTOR, description: 'local', detail: 'processes on this machine' });
  for (const profile of pipeline.executors.values()) {
    const target = profile.type === 'slurm' ? `partition ${profile.partition ?? '(default)'}`
      : profile.type === 'container' || profile.type === 'argo' ? (profile.image ?? '') : 'processes on this machine';
    items.push({ label: profile.name, description: profile.type, detail: target });
  }
  for (const item of items) if (item.label === current) item.description = vscode.l10n.t('{0} · the pipeline\'s default', item.description ?? '');
  return items;
}
