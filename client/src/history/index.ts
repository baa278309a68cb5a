import type * as vscode from 'vscode';
import { registerClearHistory } from '../commands/clearHistory.ts';
import { registerClearRunsFilter } from '../commands/clearRunsFilter.ts';
import { registerCreateExamplePipeline } from '../commands/createExamplePipeline.ts';
import { registerDeleteRun } from '../commands/deleteRun.ts';
import { registerExportRunJson } from '../commands/exportRunJson.ts';
import { registerFilterRuns } from '../commands/filterRuns.ts';
import { registerGetRunsTree } from '../commands/getRunsTree.ts';
import { registerLoadMoreRuns } from '../commands/loadMoreRuns.ts';
import { registerOpenBlockLog } from '../commands/openBlockLog.ts';
import { registerOpenPipelineFile } from '../commands/openPipelineFile.ts';
import { registerRefreshRuns } from '../commands/refreshRuns.ts';
import { runState } from '../runState/index.ts';
import { RunHistory } from './runHistory.ts';

/**
 * The "Runs" view, block log documents and the history commands. Reading history needs no trust:
 * it only reads the store (deleting writes it, but runs nothing).
 */
export function registerHistoryFeatures(context: vscode.ExtensionContext): RunHistory {
  const history = new RunHistory(runState());
  context.subscriptions.push(
    history,
    registerOpenBlockLog(),
    registerDeleteRun(history),
    registerClearHistory(history),
    registerExportRunJson(),
    registerRefreshRuns(history),
    registerFilterRuns(history),
    registerClearRunsFilter(history),
    registerOpenPipelineFile(),
    registerLoadMoreRuns(history),
    registerCreateExamplePipeline(),
    registerGetRunsTree(history),
  );
  return history;
}
