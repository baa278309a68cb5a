import type { HistoryModel } from './historyModel.ts';
import { itemView, type ItemView } from './itemView.ts';
import type { HistoryNode } from './nodes.ts';

export interface TreeSnapshotItem extends Omit<ItemView, 'command'> {
  command: string | undefined;
  children: TreeSnapshotItem[] | undefined;
  /** The argument run commands take from this item's context menu. */
  target: { runId?: number; storePath?: string; file?: string; block?: string; blockRunId?: number };
}

/**
 * The tree as plain data, expanded `depth` levels (pipelines, runs, block runs): what the view would
 * show, for tests in a real VS Code that cannot read a tree view's items otherwise.
 */
export function treeSnapshot(model: HistoryModel, depth: number, now = Date.now()): { state: string; message: string | undefined; items: TreeSnapshotItem[] } {
  const roots = model.children(undefined);
  const items = roots.map((node) => snapshot(model, node, depth - 1, now, roots.length === 1));
  return { ...model.state(), items };
}

function snapshot(model: HistoryModel, node: HistoryNode, depth: number, now: number, onlyPipeline: boolean): TreeSnapshotItem {
  const { command, ...view } = itemView(node, now, { onlyPipeline });
  const children = depth > 0 && view.collapsible !== 'none' ? model.children(node).map((child) => snapshot(model, child, depth - 1, now, false)) : undefined;
  return { ...view, command: command?.command, children, target: targetOf(node) };
}

function targetOf(node: HistoryNode): TreeSnapshotItem['target'] {
  switch (node.kind) {
    case 'pipeline':
      return { storePath: node.storePath, file: node.file };
    case 'run':
      return { runId: node.runId, storePath: node.storePath, file: node.file };
    case 'blockRun':
      return { runId: node.runId, storePath: node.storePath, file: node.file, block: node.block, blockRunId: node.blockRunId };
    default:
      return {};
  }
}
