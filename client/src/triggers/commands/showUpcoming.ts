import * as vscode from 'vscode';
import { SHOW_UPCOMING, UPCOMING_VIEW } from '../ids.ts';

/** Shows the Upcoming view of the Runs view container. */
export function registerShowUpcoming(): vscode.Disposable {
  return vscode.commands.registerCommand(SHOW_UPCOMING, () => vscode.commands.executeCommand(`${UPCOMING_VIEW}.focus`));
}
