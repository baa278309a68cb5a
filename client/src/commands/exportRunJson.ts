import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { EXPORT_RUN_JSON } from '../history/commandIds.ts';
import { exportRun } from '../history/runExport.ts';
import { runTargetOf, withReadStore } from '../history/targets.ts';

const OPEN = 'Open';

/** Saves a run, its block runs and their logs (as plain text) to a JSON file the user picks. */
export function registerExportRunJson(): vscode.Disposable {
  return vscode.commands.registerCommand(EXPORT_RUN_JSON, async (arg: unknown) => {
    const target = runTargetOf(arg);
    if (target === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Choose a run in the Runs view to export it.'));
      return;
    }
    const result = withReadStore(target.storePath, (store) => exportRun(store, target.runId));
    if ('error' in result) {
      void vscode.window.showErrorMessage(result.error);
      return;
    }
    const data = result.value;
    if (data === undefined) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Run #{0} is no longer in the store {1}.', target.runId, target.storePath));
      return;
    }
    const name = `${basename(data.run.pipelineFile).replace(/\.pipeline\.ya?ml$/i, '')}-run-${data.run.id}.json`;
    // Next to the store's folder: the workspace folder in the default layout.
    const destination = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(join(dirname(dirname(target.storePath)), name)), filters: { JSON: ['json'] }, saveLabel: 'Export Run',
    });
    if (destination === undefined) return;
    try {
      await writeFile(destination.fsPath, `${JSON.stringify(data, null, 2)}\n`, 'utf8');
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot write {0}: {1}', destination.fsPath, error instanceof Error ? error.message : String(error)));
      return;
    }
    const answer = await vscode.window.showInformationMessage(vscode.l10n.t('Exported run #{0} to {1}.', data.run.id, vscode.workspace.asRelativePath(destination)), OPEN);
    if (answer === OPEN) await vscode.window.showTextDocument(destination);
  });
}
