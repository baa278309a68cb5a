import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { defaultStorePath, STORE_FILE, STORE_FOLDER } from '../../../core/src/store/index.ts';
import { storePathSetting } from '../settings/settings.ts';

/**
 * Where the run store of a workspace folder, or of a pipeline file, is: the one place that answers
 * it for the runner, the Runs view, the graph, the log documents and the code lenses.
 * `pipelineStudio.store.path` when set (relative to the folder, `~` for the home folder), else
 * `<folder>/.pipelines/runs.sqlite`, the path the CLI uses when run from that folder.
 */
export function resolveStorePath(folderPath: string, setting: string | undefined): string {
  const configured = setting?.trim() ?? '';
  if (configured === '') return join(resolve(folderPath), STORE_FOLDER, STORE_FILE);
  if (configured === '~' || configured.startsWith('~/')) return join(homedir(), configured.slice(1));
  return isAbsolute(configured) ? resolve(configured) : resolve(folderPath, configured);
}

/** A workspace folder and the store its runs go to. */
export interface WorkspaceStore {
  name: string;
  folderPath: string;
  storePath: string;
}

/**
 * The store a run of this pipeline file is recorded in: its workspace folder's, or the pipeline's
 * own folder's outside any workspace folder, as the CLI would use. The default folder is created
 * with its `.gitignore`, so run logs are never committed by accident.
 */
export function storePathForRun(file: vscode.Uri): string {
  const folder = folderOf(file);
  const configured = storePathSetting(file).trim();
  return configured === '' ? defaultStorePath(folder) : resolveStorePath(folder, configured);
}

/** The same path without creating anything, for reading. */
export function storePathForReading(file: vscode.Uri): string {
  return resolveStorePath(folderOf(file), storePathSetting(file));
}

/** The stores of the (local) workspace folders, in folder order. */
export function workspaceStores(): WorkspaceStore[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => ({ name: folder.name, folderPath: folder.uri.fsPath, storePath: resolveStorePath(folder.uri.fsPath, storePathSetting(folder.uri)) }));
}

function folderOf(file: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? dirname(file.fsPath);
}
