import { hostname } from 'node:os';
import * as vscode from 'vscode';
import { openStore } from '../../../core/src/store/index.ts';
import { TriggerStore } from '../../../core/src/store/triggerStore.ts';
import type { TriggerAlert } from '../../../core/src/triggers/triggerProtocol.ts';
import { RETRY_FAILED } from '../run/runController.ts';
import { runsLog } from '../run/runsLog.ts';
import { OPEN_STORED_LOG } from '../run/storedLog.ts';
import { runState } from '../runState/index.ts';
import type { StoreHold } from '../runState/runStateHub.ts';
import { RunAlertWatch, type RunAlert } from './runAlertWatch.ts';
import type { TriggerController } from './triggerController.ts';
import { longRunningAlert } from './triggerSettings.ts';

const SHOW_RUN_IN_GRAPH = 'pipelineStudio.showRunInGraph';
const SHOW_RUN = 'Show Run';
const SHOW_LOG = 'Show Log';
const RETRY = 'Retry';
/** An unfocused window lets a focused one on the same store claim an alert first. */
const UNFOCUSED_DELAY_MS = 1500;
/** The latest runs compared at each change of a store (with every run in flight). */
const RECENT_RUNS = 30;

type ShownAlert = Pick<TriggerAlert, 'kind' | 'store' | 'runId' | 'file' | 'message'>;

/**
 * Alerts as notifications: a failed run (an error, with Retry) and a long-running one, for every run
 * of the workspace's stores whoever started it (manual, CLI, editor or triggered), seen through the
 * window's run-state model; missed SLAs and `warn` timeouts of triggered runs, from the scheduler in
 * the runner service (TriggerAlertNotification). Each alert is claimed in the store before it is
 * shown, so that of several windows on one store exactly one shows it (a focused one first).
 */
export function registerTriggerAlerts(controller: TriggerController): vscode.Disposable {
  const holds = new Map<string, StoreHold>();
  const holdOf = (store: string): StoreHold => {
    let hold = holds.get(store);
    if (hold === undefined) {
      hold = runState().hold(store);
      holds.set(store, hold);
    }
    return hold;
  };
  const watch = new RunAlertWatch({
    readRuns: (store) => holdOf(store).read((s) => {
      const running = s.listRuns({ status: 'running', limit: 200 });
      const recent = s.listRuns({ limit: RECENT_RUNS });
      return [...running, ...recent.filter((r) => !running.some((x) => x.id === r.id))];
    }),
    recentDurations: (store, file) => holdOf(store).read((s) => s.listRuns({ pipelineFile: file, status: 'completed', limit: 20 })
      .flatMap((r) => (r.finishedAt === undefined ? [] : [r.finishedAt - (r.startedAt ?? r.createdAt)]))) ?? [],
    longRunningAlert,
    onAlert: (alert) => void showOnce(alert),
  });
  const model = runState();
  const follow = (): void => {
    for (const { storePath } of model.workspaceStores) watch.changed(storePath);
  };
  follow();
  return vscode.Disposable.from(
    controller.onAlert((alert) => void showOnce(alert)),
    model.onDidChange((change) => {
      if (model.workspaceStores.some((w) => w.storePath === change.storePath)) watch.changed(change.storePath);
    }),
    model.onDidChangeStores(follow),
    {
      dispose: () => {
        watch.dispose();
        for (const hold of holds.values()) hold.release();
        holds.clear();
      },
    },
  );
}

/** Shows the alert if this window is the one to claim it in the store. */
async function showOnce(alert: ShownAlert | RunAlert): Promise<void> {
  if (!vscode.window.state.focused) await new Promise((resolve) => setTimeout(resolve, UNFOCUSED_DELAY_MS));
  if (!claim(alert)) return;
  runsLog().warn(`[alerts] ${alert.message}`);
  const actions = alert.kind === 'failed' ? [SHOW_RUN, SHOW_LOG, RETRY] : [SHOW_RUN, SHOW_LOG];
  const show = alert.kind === 'failed' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const choice = await show(alert.message, ...actions);
  const ref = { runId: alert.runId, storePath: alert.store };
  if (choice === SHOW_RUN) await vscode.commands.executeCommand(SHOW_RUN_IN_GRAPH, { ...ref, file: alert.file });
  if (choice === SHOW_LOG) await vscode.commands.executeCommand(OPEN_STORED_LOG, { ...ref, block: blockToShow(alert) });
  if (choice === RETRY) await vscode.commands.executeCommand(RETRY_FAILED, ref);
}

/** True when this window claimed the alert (or the store cannot say: better twice than never). */
function claim(alert: ShownAlert): boolean {
  try {
    const { store, triggers } = TriggerStore.openPath(alert.store);
    try {
      return triggers.claimAlert(alert.runId, alert.kind, `${hostname()}:${process.pid}`);
    } finally {
      triggers.close();
      store.close();
    }
  } catch (error) {
    runsLog().warn(`[alerts] could not record the alert in ${alert.store}: ${error instanceof Error ? error.message : String(error)}`);
    return true;
  }
}

/** The block whose log tells the story: the first failed one, else one still running, else the last. */
function blockToShow(alert: ShownAlert): string | undefined {
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
