import * as vscode from 'vscode';
import { CLEAR_RUNS_FILTER } from '../history/commandIds.ts';
import type { RunHistory } from '../history/runHistory.ts';

export function registerClearRunsFilter(history: RunHistory): vscode.Disposable {
  return vscode.commands.registerCommand(CLEAR_RUNS_FILTER, () => {
    history.model.setFilter({});
    history.showFilter();
    history.fire([undefined]);
  });
}
