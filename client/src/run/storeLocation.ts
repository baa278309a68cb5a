import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { defaultStorePath, STORE_FILE, STORE_FOLDER } from '../../../core/src/store/index.ts';
import { historyStorePath } from '../history/storeLocation.ts';
import { runSettings } from './runSettings.ts';

/**
 * The store a run of this pipeline file is recorded in: the one the history shows for its
 * workspace folder (`pipelineStudio.store.path`, else `<folder>/.pipelines/runs.sqlite`), or the
 * pipeline's own folder outside any workspace folder, as the CLI would use. The default folder is
 * created with its `.gitignore`, so run logs are never committed by accident.
 */
export function storePathForRun(file: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? dirname(file.fsPath);
  const configured = runSettings(file).storePath.trim();
  return configured === '' ? defaultStorePath(folder) : historyStorePath(folder, configured);
}

/** The same path without creating anything, for reading. */
export function storePathForReading(file: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? dirname(file.fsPath);
  const configured = runSettings(file).storePath.trim();
  return configured === '' ? join(folder, STORE_FOLDER, STORE_FILE) : historyStorePath(folder, configured);
}

/** The stores of the workspace folders, whose runs in flight a window reattaches to when it opens. */
export function workspaceStorePaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => historyStorePath(folder.uri.fsPath, runSettings(folder.uri).storePath));
}
