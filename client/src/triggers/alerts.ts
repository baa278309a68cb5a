import * as vscode from 'vscode';
import { openStore } from '../../../core/src/store/index.ts';
import type { TriggerAlert } from '../../../core/src/triggers/triggerProtocol.ts';
import { RETRY_FAILED } from '../run/runController.ts';
import { runsLog } from '../run/runsLog.ts';
import { OPEN_STORED_LOG } from '../run/storedLog.ts';
import type { TriggerController } from './triggerController.ts';

const SHOW_RUN_IN_GRAPH = 'pipelineStudio.showRunInGraph';
const SHOW_RUN = 'Show Run';
const SHOW_LOG = 'Show Log';
const RETRY = 'Retry';

/**
 * Alerts of triggered runs as notifications: a failed run (an error, with Retry), a missed SLA, a
 * `warn` timeout and a long-running run (warnings). They come from the scheduler in the runner
 * service (TriggerAlertNotification), so no store is watched for them.
 */
export function registerTriggerAlerts(controller: TriggerController): vscode.Disposable {
  return controller.onAlert((alert) => void showAlert(alert));
}

async function showAlert(alert: TriggerAlert): Promise<void> {
  runsLog().warn(`[triggers] ALERT ${alert.message}`);
  const actions = alert.kind === 'failed' ? [SHOW_RUN, SHOW_LOG, RETRY] : [SHOW_RUN, SHOW_LOG];
  const show = alert.kind === 'failed' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const choice = await show(alert.message, ...actions);
  const ref = { runId: alert.runId, storePath: alert.store };
  if (choice === SHOW_RUN) await vscode.commands.executeCommand(SHOW_RUN_IN_GRAPH, { ...ref, file: alert.file });
  if (choice === SHOW_LOG) await vscode.commands.executeCommand(OPEN_STORED_LOG, { ...ref, block: blockToShow(alert) });
  if (choice === RETRY) await vscode.commands.executeCommand(RETRY_FAILED, ref);
}

/** The block whose log tells the story: the first failed one, else one still running, else the last. */
function blockToShow(alert: TriggerAlert): string | undefined {
  try {
    const store = openStore(alert.store, { readonly: true });
    try {
      const blocks = store.blockRuns(alert.runId);
      return (blocks.find((b) => b.status === 'failed') ?? blocks.find((b) => b.status === 'running') ?? blocks.at(-1))?.block;
    } finally {
      store.close();
    }
  } catch {
    return undefined;
  }
}
