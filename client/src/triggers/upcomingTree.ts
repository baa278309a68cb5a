import * as vscode from 'vscode';
import type { TriggerEnablement } from './enablement.ts';
import { MessageNode, RefusedFileNode, TriggerNode, type UpcomingNode } from './nodes.ts';
import type { TriggerController } from './triggerController.ts';

/** How often the relative times ("in 7 h") are redrawn while the view is visible. */
const REDRAW_MS = 30_000;

/**
 * Runs view → Upcoming: every trigger of the workspace with its next fire time, soonest first, then
 * event and chained triggers, then the disabled ones; files with errors say why they keep none.
 */
export class UpcomingTreeProvider implements vscode.TreeDataProvider<UpcomingNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<UpcomingNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly controller: TriggerController;
  private readonly enablement: TriggerEnablement;
  private readonly subscription: vscode.Disposable;
  private timer: NodeJS.Timeout | undefined;
  private visible = false;

  constructor(controller: TriggerController, enablement: TriggerEnablement) {
    this.controller = controller;
    this.enablement = enablement;
    this.subscription = controller.onDidChange(() => this.emitter.fire(undefined));
  }

  /** The view was shown or hidden: relative times are redrawn only while it shows. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    clearInterval(this.timer);
    this.timer = undefined;
    if (!visible) return;
    this.emitter.fire(undefined);
    this.timer = setInterval(() => this.emitter.fire(undefined), REDRAW_MS);
  }

  get isVisible(): boolean {
    return this.visible;
  }

  getTreeItem(node: UpcomingNode): vscode.TreeItem {
    return node.toTreeItem(Date.now());
  }

  getChildren(node?: UpcomingNode): UpcomingNode[] {
    return node === undefined ? this.rows() : [];
  }

  rows(): UpcomingNode[] {
    if (!vscode.workspace.isTrusted) return [new MessageNode('Triggers never run in Restricted Mode.', false)];
    if (!this.controller.isActive) {
      return [new MessageNode(this.enablement.allowed === false ? 'Triggers are off for this workspace. Enable…' : 'Triggers are not enabled for this workspace. Enable…', true)];
    }
    const states = this.controller.allStates;
    const triggers = states.flatMap((s) => s.triggers.map((t) => new TriggerNode(t, s.store)));
    triggers.sort((a, b) => rank(a) - rank(b) || (a.listing.next ?? 0) - (b.listing.next ?? 0) || a.listing.pipeline.localeCompare(b.listing.pipeline) || a.listing.trigger.localeCompare(b.listing.trigger));
    const refused = states.flatMap((s) => s.refused.map((r) => new RefusedFileNode(r)));
    const rows: UpcomingNode[] = [...triggers, ...refused];
    if (rows.length === 0) return [new MessageNode(states.length === 0 ? 'Starting the scheduler…' : 'No pipeline of this workspace has triggers.', false)];
    return rows;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

function rank(node: TriggerNode): number {
  if (node.listing.disabled) return 2;
  return node.listing.next !== undefined ? 0 : 1;
}
