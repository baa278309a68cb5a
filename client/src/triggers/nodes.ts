import * as vscode from 'vscode';
import type { TriggerListing } from '../../../core/src/triggers/scheduler.ts';
import { formatRelative, formatWhen } from './format.ts';
import { ENABLE_TRIGGERS, GO_TO_TRIGGER } from './ids.ts';

const KIND_ICONS: Record<TriggerListing['kind'], string> = { cron: 'calendar', every: 'history', at: 'watch', always: 'sync', files: 'file', after: 'link' };

/** A node of the Upcoming view; each kind of row is its own class. */
export abstract class UpcomingNode {
  abstract toTreeItem(now: number): vscode.TreeItem;
}

/** A trigger: when it fires next (or what it waits for), its pipeline, and whether the user disabled it. */
export class TriggerNode extends UpcomingNode {
  readonly listing: TriggerListing;
  readonly store: string;

  constructor(listing: TriggerListing, store: string) {
    super();
    this.listing = listing;
    this.store = store;
  }

  toTreeItem(now: number): vscode.TreeItem {
    const { listing } = this;
    const item = new vscode.TreeItem(listing.trigger, vscode.TreeItemCollapsibleState.None);
    const when = listing.disabled
      ? 'disabled'
      : listing.next !== undefined ? `${formatWhen(listing.next, now)} (${formatRelative(listing.next, now)})` : (listing.waitsFor !== undefined ? `on ${listing.kind === 'files' ? 'change of' : 'end of'} ${listing.waitsFor}` : 'never fires again');
    item.description = `${listing.pipeline} · ${when}`;
    item.tooltip = new vscode.MarkdownString(
      `**${listing.trigger}** (${listing.kind}) of **${listing.pipeline}**\n\n${listing.disabled ? 'Disabled on this store (every window and scheduler on it): it does not fire.' : listing.next !== undefined ? `Next fire: ${new Date(listing.next).toString()}` : when}\n\n${listing.file}`,
    );
    item.iconPath = new vscode.ThemeIcon(listing.disabled ? 'circle-slash' : KIND_ICONS[listing.kind]);
    item.contextValue = listing.disabled ? 'trigger.disabled' : 'trigger.enabled';
    item.command = { command: GO_TO_TRIGGER, title: 'Go to Definition', arguments: [this] };
    item.id = `${this.store}\0${listing.file}\0${listing.trigger}`;
    return item;
  }
}

/** A pipeline file with errors: it keeps no triggers until fixed, and says why. */
export class RefusedFileNode extends UpcomingNode {
  readonly reason: string;

  constructor(reason: string) {
    super();
    this.reason = reason;
  }

  /** `path:line:col: …` → the file and its 0-based position. */
  get location(): { file: string; line: number; character: number } | undefined {
    const m = /^(.*?):(\d+):(\d+): /.exec(this.reason);
    return m === null ? undefined : { file: m[1] ?? '', line: Number(m[2]) - 1, character: Number(m[3]) - 1 };
  }

  toTreeItem(): vscode.TreeItem {
    const at = this.location;
    const item = new vscode.TreeItem(at === undefined ? this.reason : (at.file.split(/[\\/]/).at(-1) ?? at.file), vscode.TreeItemCollapsibleState.None);
    item.description = vscode.l10n.t('has errors: keeps no triggers');
    item.tooltip = this.reason;
    item.iconPath = new vscode.ThemeIcon('error');
    item.contextValue = 'trigger.refusedFile';
    if (at !== undefined) {
      const range = new vscode.Range(at.line, at.character, at.line, at.character);
      item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(at.file), { selection: range }] };
    }
    return item;
  }
}

/** Why the list is empty (triggers off, not enabled yet, or none in the workspace), with the way on. */
export class MessageNode extends UpcomingNode {
  readonly message: string;
  readonly enable: boolean;

  constructor(message: string, enable: boolean) {
    super();
    this.message = message;
    this.enable = enable;
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('info');
    item.contextValue = 'trigger.message';
    if (this.enable) item.command = { command: ENABLE_TRIGGERS, title: 'Enable Triggers for This Workspace' };
    return item;
  }
}
