import * as vscode from 'vscode';
import { showServerLog } from '../log.ts';

export const SHOW_SERVER_LOGS = 'pipelineStudio.showServerLogs';

export function registerShowServerLogs(): vscode.Disposable {
  return vscode.commands.registerCommand(SHOW_SERVER_LOGS, showServerLog);
}
