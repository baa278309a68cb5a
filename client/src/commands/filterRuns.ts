import * as vscode from 'vscode';
import { RUN_STATUSES, statusLabel } from '../../../core/src/model/status.ts';
import { parseQuery, QueryError } from '../../../core/src/query/index.ts';
import { FILTER_RUNS } from '../history/commandIds.ts';
import type { RunFilter } from '../history/historyModel.ts';
import type { RunHistory } from '../history/runHistory.ts';

type Facet = 'status' | 'pipeline' | 'text' | 'clear';

/** The title-bar filter: pick what to narrow by (status, pipeline, text), then its value. */
export function registerFilterRuns(history: RunHistory): vscode.Disposable {
  return vscode.commands.registerCommand(FILTER_RUNS, async () => {
    const current = history.model.filter;
    const facets: (vscode.QuickPickItem & { facet: Facet })[] = [
      { facet: 'status', label: '$(pass) Status', description: current.status === undefined ? 'any' : statusLabel(current.status) },
      { facet: 'pipeline', label: '$(list-tree) Pipeline', description: current.pipeline === undefined ? 'any' : vscode.workspace.asRelativePath(current.pipeline) },
      { facet: 'text', label: '$(search) Query', description: current.text ?? 'none', detail: 'Words match the pipeline name, branch, commit, trigger, variables, failure reasons or run number; or terms like status:failed var:epochs>10' },
    ];
    if (history.model.isFiltered()) facets.push({ facet: 'clear', label: '$(clear-all) Clear Filter' });
    const facet = await vscode.window.showQuickPick(facets, { title: vscode.l10n.t('Filter Runs'), placeHolder: vscode.l10n.t('Narrow the runs by…') });
    if (facet === undefined) return;
    const next = await pickValue(facet.facet, current, history);
    if (next === undefined) return;
    history.model.setFilter(next);
    history.showFilter();
    history.fire([undefined]);
  });
}

async function pickValue(facet: Facet, current: RunFilter, history: RunHistory): Promise<RunFilter | undefined> {
  switch (facet) {
    case 'clear':
      return {};
    case 'status': {
      const items = [{ label: 'any', status: undefined }, ...RUN_STATUSES.map((status) => ({ label: statusLabel(status), status }))];
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Filter Runs by Status') });
      return picked === undefined ? undefined : { ...current, status: picked.status };
    }
    case 'pipeline': {
      const files = new Map<string, string>();
      for (const entry of history.model.stores) for (const node of entry.pipelines.values()) files.set(node.file, node.name);
      const items = [
        { label: 'any', description: '', file: undefined },
        ...[...files].map(([file, name]) => ({ label: name, description: vscode.workspace.asRelativePath(file), file })),
      ];
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Filter Runs by Pipeline') });
      return picked === undefined ? undefined : { ...current, pipeline: picked.file };
    }
    case 'text': {
      const text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Filter Runs by Query'), value: current.text ?? '', prompt: vscode.l10n.t('Words, or terms like status:failed branch:main var:epochs>10 date:-7d; empty to match any run'),
        placeHolder: vscode.l10n.t('main, eu-west, #42, error:timeout…'), validateInput: queryProblem,
      });
      return text === undefined ? undefined : { ...current, text };
    }
  }
}

/** The query language's error, shown under the input box while typing (the same language as Show Executions and `runs --query`). */
function queryProblem(value: string): string | undefined {
  try {
    parseQuery(value);
    return undefined;
  } catch (error) {
    if (error instanceof QueryError) return error.describe();
    throw error;
  }
}
