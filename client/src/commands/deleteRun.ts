import * as vscode from 'vscode';
import { DELETE_RUN } from '../history/commandIds.ts';
import type { RunHistory } from '../history/runHistory.ts';
import { runTargetOf, withWritableStore } from '../history/targets.ts';

const DELETE = 'Delete';

/** Deletes a finished run with its block runs and logs, after asking. A run still going must be cancelled first. */
export function registerDeleteRun(history: RunHistory): vscode.Disposable {
  return vscode.commands.registerCommand(DELETE_RUN, async (arg: unknown) => {
    const target = runTargetOf(arg);
    if (target === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Choose a run in the Runs view to delete it.'));
      return;
    }
    const result = withWritableStore(target.storePath, (store) => {
      const run = store.getRun(target.runId);
      if (run === undefined) return 'gone' as const;
      if (run.status === 'initial' || run.status === 'running') return 'active' as const;
      return run;
    });
    if ('error' in result) {
      void vscode.window.showErrorMessage(result.error);
      return;
    }
    if (result.value === 'active') {
      void vscode.window.showWarningMessage(vscode.l10n.t('Run #{0} is still running; cancel it before deleting it.', target.runId));
      return;
    }
    if (result.value !== 'gone') {
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete run #{0} of {1} with its block logs?', target.runId, result.value.pipelineName), { modal: true, detail: vscode.l10n.t('This cannot be undone.') }, DELETE,
      );
      if (answer !== DELETE) return;
      const deleted = withWritableStore(target.storePath, (store) => store.deleteRun(target.runId));
      if ('error' in deleted) {
        void vscode.window.showErrorMessage(deleted.error);
        return;
      }
    }
    const node = history.model.findRun(target.storePath, target.runId);
    if (node === undefined) {
      history.storeChanged();
      return;
    }
    history.model.removeRun(node);
    history.fire([node.parent]);
  });
}
