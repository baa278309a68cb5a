import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { CREATE_EXAMPLE_PIPELINE } from '../history/commandIds.ts';
import { EXAMPLE_PIPELINE, examplePipelinePath } from '../history/examplePipeline.ts';

/** Writes a small example pipeline into a workspace folder (never over an existing file) and opens it. */
export function registerCreateExamplePipeline(): vscode.Disposable {
  return vscode.commands.registerCommand(CREATE_EXAMPLE_PIPELINE, async () => {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    const folder = folders.length <= 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Folder for the example pipeline') });
    if (folder === undefined) {
      if (folders.length === 0) void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder first: the example pipeline is created in it.'));
      return;
    }
    const path = examplePipelinePath(folder.uri.fsPath);
    try {
      await writeFile(path, EXAMPLE_PIPELINE, { encoding: 'utf8', flag: 'wx' });
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot create {0}: {1}', path, error instanceof Error ? error.message : String(error)));
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(path));
  });
}
