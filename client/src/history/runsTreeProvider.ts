import * as vscode from 'vscode';
import type { ChangedNode, HistoryModel } from './historyModel.ts';
import { itemView } from './itemView.ts';
import type { HistoryNode } from './nodes.ts';

/** The thin VS Code side of the tree: the model decides what to show, this only builds TreeItems. */
export class RunsTreeProvider implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this.changes.event;
  private readonly model: HistoryModel;
  private readonly onRootRead: () => void;
  private lonePipeline = false;

  constructor(model: HistoryModel, onRootRead: () => void) {
    this.model = model;
    this.onRootRead = onRootRead;
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    const view = itemView(node, Date.now(), { onlyPipeline: this.lonePipeline });
    const collapsible = { none: vscode.TreeItemCollapsibleState.None, collapsed: vscode.TreeItemCollapsibleState.Collapsed, expanded: vscode.TreeItemCollapsibleState.Expanded };
    const item = new vscode.TreeItem(view.label, collapsible[view.collapsible]);
    item.id = view.id;
    item.description = view.description;
    item.tooltip = new vscode.MarkdownString(view.tooltip);
    item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color === undefined ? undefined : new vscode.ThemeColor(view.icon.color));
    item.contextValue = view.contextValue;
    item.command = view.command;
    return item;
  }

  getChildren(node?: HistoryNode): HistoryNode[] {
    const children = this.model.children(node);
    if (node === undefined) {
      this.lonePipeline = children.length === 1 && children[0]?.kind === 'pipeline';
      this.onRootRead();
    }
    return children;
  }

  getParent(node: HistoryNode): HistoryNode | undefined {
    if (node.kind === 'pipeline') return this.model.stores.length > 1 ? node.entry.folderNode : undefined;
    if (node.kind === 'folder') return undefined;
    return node.parent;
  }

  fire(changed: readonly ChangedNode[]): void {
    for (const node of changed) this.changes.fire(node);
  }

  dispose(): void {
    this.changes.dispose();
  }
}
