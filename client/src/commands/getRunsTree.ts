import * as vscode from 'vscode';
import { GET_RUNS_TREE } from '../history/commandIds.ts';
import type { RunHistory } from '../history/runHistory.ts';
import { treeSnapshot } from '../history/treeSnapshot.ts';

/**
 * For tests in a real VS Code: the Runs view's items as plain data, `depth` levels deep (default 3:
 * pipelines, runs, block runs). Reads the stores first, so a run that just ended is included.
 */
export function registerGetRunsTree(history: RunHistory): vscode.Disposable {
  return vscode.commands.registerCommand(GET_RUNS_TREE, (depth?: unknown) => {
    history.storeChanged();
    return treeSnapshot(history.model, typeof depth === 'number' && depth > 0 ? Math.min(depth, 5) : 3);
  });
}
