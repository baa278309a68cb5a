import * as vscode from 'vscode';

const MANAGE = 'Manage Workspace Trust';

/**
 * Running executes the commands a pipeline file contains, so an untrusted workspace never runs
 * anything. Every run handler calls this: commands can be invoked (keybindings, other extensions,
 * the API) even when their menu entries are hidden.
 */
export function refuseIfUntrusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window
    .showWarningMessage(vscode.l10n.t('{0} is not available in Restricted Mode: running a pipeline executes the commands in its file. Trust this workspace to run pipelines.', what), MANAGE)
    .then((choice) => {
      if (choice === MANAGE) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return true;
}
