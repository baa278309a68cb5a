import * as vscode from 'vscode';
import type { RunHistory } from '../history/runHistory.ts';

// What the executions dashboard listens to for live updates. The one client run-state model
// (client/src/runState/, another change) provides it; until it is merged, the history's store
// watching does, through historyRunStateSource below (MERGE: replace that adapter with the model).

export interface RunStateChange { storePath: string; runIds: readonly number[] | 'any' }
export interface RunStateSource {
  readonly onDidChange: vscode.Event<RunStateChange>;
  /** The store the views show. */
  readonly storePath: string | undefined;
}

/** The Runs view's stores and their change events as a RunStateSource: the first workspace folder's store. */
export function historyRunStateSource(history: RunHistory): RunStateSource & vscode.Disposable {
  const emitter = new vscode.EventEmitter<RunStateChange>();
  const subscription = history.onDidChangeStore((storePath) => emitter.fire({ storePath, runIds: 'any' }));
  return {
    onDidChange: emitter.event,
    get storePath() {
      return history.model.stores[0]?.storePath;
    },
    dispose: () => {
      subscription.dispose();
      emitter.dispose();
    },
  };
}
