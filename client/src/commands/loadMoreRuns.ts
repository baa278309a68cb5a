import * as vscode from 'vscode';
import { LOAD_MORE_RUNS } from '../history/commandIds.ts';
import type { LoadMoreItemsNode, PipelineNode } from '../history/nodes.ts';
import type { RunHistory } from '../history/runHistory.ts';

/** Appends the next page of older runs under a pipeline (from its "Load more…" item). */
export function registerLoadMoreRuns(history: RunHistory): vscode.Disposable {
  return vscode.commands.registerCommand(LOAD_MORE_RUNS, (arg: unknown) => {
    if (isMoreItems(arg)) {
      history.model.loadMoreItems(arg.parent);
      history.fire([arg.parent]);
      return;
    }
    const pipeline = pipelineOf(arg);
    if (pipeline === undefined) return;
    history.model.loadMore(pipeline);
    history.fire([pipeline]);
  });
}

/** "More items…" under a fan-out block: the same command pages its items. */
function isMoreItems(arg: unknown): arg is LoadMoreItemsNode {
  return typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'loadMoreItems';
}

function pipelineOf(arg: unknown): PipelineNode | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const node = arg as { kind?: unknown; parent?: unknown };
  if (node.kind === 'loadMore') return node.parent as PipelineNode;
  return node.kind === 'pipeline' ? (arg as PipelineNode) : undefined;
}
