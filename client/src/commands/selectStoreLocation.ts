import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { STORE_PATH_SETTING } from '../settings/settings.ts';
import { reportCommandError } from '../run/launch.ts';

export const SELECT_STORE_LOCATION = 'pipelineStudio.selectStoreLocation';

/**
 * Select Store Location: where runs are recorded (`pipelineStudio.store.path`, in the workspace
 * settings). Args: (path?) — a path sets it, '' restores the default. Resolves with the setting's new value.
 */
export function registerSelectStoreLocation(): vscode.Disposable {
  return vscode.commands.registerCommand(SELECT_STORE_LOCATION, async (given?: unknown): Promise<string | undefined> => {
    try {
      let value: string | undefined;
      if (typeof given === 'string') value = given.trim();
      else if (given instanceof vscode.Uri) value = given.fsPath;
      else value = await askForLocation();
      if (value === undefined) return undefined;
      await vscode.workspace.getConfiguration('pipelineStudio').update(STORE_PATH_SETTING, value, vscode.ConfigurationTarget.Workspace);
      void vscode.window.showInformationMessage(value === '' ? vscode.l10n.t('Runs are recorded in .pipelines/runs.sqlite of each workspace folder.') : vscode.l10n.t('Runs are recorded in {0}.', value));
      return value;
    } catch (error) {
      reportCommandError('Select Store Location', error);
      return undefined;
    }
  });
}

async function askForLocation(): Promise<string | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Default', description: '<workspace folder>/.pipelines/runs.sqlite (the CLI\'s default)', value: 'default' },
      { label: 'Choose a file…', description: 'a shared store, e.g. one the CLI also writes', value: 'file' },
    ],
    { placeHolder: vscode.l10n.t('Where should runs be recorded?') },
  );
  if (choice === undefined) return undefined;
  if (choice.value === 'default') return '';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  const picked = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, '.pipelines', 'runs.sqlite'),
    filters: { 'Run store': ['sqlite', 'db'] },
    saveLabel: 'Record runs here',
    title: 'Run store',
  });
  if (picked === undefined) return undefined;
  const relative = vscode.workspace.asRelativePath(picked, false);
  return relative === picked.fsPath ? picked.fsPath : relative;
}
