import * as vscode from 'vscode';
import { CLEAR_HISTORY } from '../history/commandIds.ts';
import type { RunHistory } from '../history/runHistory.ts';
import { withWritableStore } from '../history/targets.ts';

const CLEAR = 'Clear History';

/**
 * Deletes every finished run of one pipeline (from its item) or of every store (from the title bar).
 * Runs still going are kept: their owners are writing them.
 */
export function registerClearHistory(history: RunHistory): vscode.Disposable {
  return vscode.commands.registerCommand(CLEAR_HISTORY, async (arg: unknown) => {
    const pipeline = pipelineOf(arg);
    const stores = pipeline === undefined ? history.model.stores.map((entry) => entry.storePath) : [pipeline.storePath];
    if (stores.length === 0) return;
    const scope = pipeline === undefined ? 'every finished run' : `every finished run of ${pipeline.name}`;
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Delete {0}, with their logs?', scope), { modal: true, detail: vscode.l10n.t('Runs still going are kept. This cannot be undone.') }, CLEAR);
    if (answer !== CLEAR) return;
    let deleted = 0;
    const errors: string[] = [];
    for (const storePath of stores) {
      const result = withWritableStore(storePath, (store) => store.clearHistory(pipeline?.file));
      if ('error' in result) errors.push(result.error);
      else deleted += result.value;
    }
    history.refreshAll();
    if (errors.length > 0) void vscode.window.showErrorMessage(errors.join(' '));
    else void vscode.window.setStatusBarMessage(`Deleted ${deleted} run${deleted === 1 ? '' : 's'}.`, 5000);
  });
}

function pipelineOf(arg: unknown): { storePath: string; file: string; name: string } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { kind, storePath, file, name } = arg as { kind?: unknown; storePath?: unknown; file?: unknown; name?: unknown };
  if (kind !== 'pipeline' || typeof storePath !== 'string' || typeof file !== 'string') return undefined;
  return { storePath, file, name: typeof name === 'string' ? name : file };
}
