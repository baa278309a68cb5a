import * as vscode from 'vscode';
import { BlockCodeLensProvider, OPEN_LAST_BLOCK_LOG } from '../codeLens/blockCodeLensProvider.ts';
import { registerCancelBlock } from '../commands/cancelBlock.ts';
import { registerApproveBlock } from '../commands/approveBlock.ts';
import { registerCancelRun } from '../commands/cancelRun.ts';
import { registerPauseRun } from '../commands/pauseRun.ts';
import { registerPauseRunNow } from '../commands/pauseRunNow.ts';
import { registerRejectBlock } from '../commands/rejectBlock.ts';
import { registerResumeRun } from '../commands/resumeRun.ts';
import { registerRunWithProfile } from '../commands/runWithProfile.ts';
import { registerApprovalNotifier } from './approvalNotifier.ts';
import { registerDryRun } from '../commands/dryRun.ts';
import { registerReplayRun } from '../commands/replayRun.ts';
import { registerRetryFailedBlocks } from '../commands/retryFailedBlocks.ts';
import { registerRunBlock } from '../commands/runBlock.ts';
import { registerRunFromBlock } from '../commands/runFromBlock.ts';
import { registerRunPipeline } from '../commands/runPipeline.ts';
import { registerRunPipelineWithDefaults } from '../commands/runPipelineWithDefaults.ts';
import { registerRunPipelineOn } from '../commands/runPipelineOn.ts';
import { registerRunBlockOn } from '../commands/runBlockOn.ts';
import { registerRunUpToBlock } from '../commands/runUpToBlock.ts';
import { registerSelectStoreLocation } from '../commands/selectStoreLocation.ts';
import type { RunFeatures } from './launch.ts';
import { READONLY_SCHEME, ReadOnlyDocuments } from './readOnlyDocuments.ts';
import { RunController } from './runController.ts';
import { disposeRunsLog } from './runsLog.ts';
import { registerRunStatusBar } from './statusBar.ts';
import { OPEN_STORED_LOG, registerOpenStoredLog } from './storedLog.ts';
import { runState } from '../runState/index.ts';
import { registerPipelineTasks } from '../tasks/taskProvider.ts';

let controller: RunController | undefined;

/**
 * Running pipelines from the editor: the run commands, their terminals, the status bar item, and
 * the code lenses above blocks. Runs happen in the runner service process, started on first use.
 */
export function registerRunFeatures(context: vscode.ExtensionContext): void {
  const runs = new RunController(context.asAbsolutePath('dist/cli.cjs'));
  controller = runs;
  const views = new ReadOnlyDocuments();
  const features: RunFeatures = { controller: runs, workspaceState: context.workspaceState, views };
  const lenses = new BlockCodeLensProvider();
  context.subscriptions.push(
    runs,
    runState().followRunner(runs),
    views,
    lenses,
    { dispose: disposeRunsLog },
    vscode.workspace.registerTextDocumentContentProvider(READONLY_SCHEME, views),
    vscode.languages.registerCodeLensProvider({ language: 'pipeline', scheme: 'file' }, lenses),
    registerRunStatusBar(runs),
    registerRunPipeline(features),
    registerRunPipelineWithDefaults(features),
    registerRunPipelineOn(features),
    registerRunBlockOn(features),
    registerRunBlock(features),
    registerRunUpToBlock(features),
    registerRunFromBlock(features),
    registerRetryFailedBlocks(features),
    registerReplayRun(features),
    registerDryRun(features),
    registerCancelRun(features),
    registerCancelBlock(features),
    // Execution control (issue 17): pause/resume and approval gates.
    registerPauseRun(features),
    registerPauseRunNow(features),
    registerResumeRun(features),
    registerApproveBlock(features),
    registerRejectBlock(features),
    registerApprovalNotifier(runs),
    registerRunWithProfile(features),
    registerSelectStoreLocation(),
    registerPipelineTasks(runs, context.asAbsolutePath('dist/cli.cjs')),
    registerOpenStoredLog(views),
    vscode.commands.registerCommand(OPEN_LAST_BLOCK_LOG, (arg: unknown) => vscode.commands.executeCommand(OPEN_STORED_LOG, arg)),
  );
  // Runs started before a window reload (or in another window of these folders) are still going
  // in their service: follow them again. Only connects; starts no service.
  void runs.reattach(runState().workspaceStores.map((store) => store.storePath));
}

/** The window's run controller (run details follow its events for live runs); undefined before registration. */
export function currentRunController(): RunController | undefined {
  return controller;
}

/** For deactivate(): leaves the runner services; their runs go on, for the next window to reattach. */
export function stopRunFeatures(): Promise<void> {
  const running = controller;
  controller = undefined;
  return running?.shutdown() ?? Promise.resolve();
}
