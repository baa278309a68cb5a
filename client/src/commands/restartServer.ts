import * as vscode from 'vscode';
import type { LanguageServer } from '../language/languageServer.ts';

export const RESTART_SERVER = 'pipelineStudio.restartServer';

/** Stops the language server (terminating its process if it hangs) and starts a fresh one. */
export function registerRestartServer(server: LanguageServer): vscode.Disposable {
  return vscode.commands.registerCommand(RESTART_SERVER, () => server.restart());
}
