import * as vscode from 'vscode';
import { REFRESH_RUNS } from '../history/commandIds.ts';
import type { RunHistory } from '../history/runHistory.ts';

/** Reads every store again; also the retry action of a store that could not be read. */
export function registerRefreshRuns(history: RunHistory): vscode.Disposable {
  return vscode.commands.registerCommand(REFRESH_RUNS, () => history.refreshAll());
}
