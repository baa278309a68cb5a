import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { CompareView, HostMessage } from '../../../../webview/src/protocol.ts';
import { compareTexts, type Comparison } from './compareModels.ts';
import { repositoryOf, revisionsOf, textAt } from './gitRevisions.ts';
import { recordedDefinition, recordedRuns } from './runDefinitions.ts';

export const BASE_SCHEME = 'pipeline-studio-base';

/** The base texts compare mode diffs against, served read-only to vscode.diff. */
export class BaseTexts implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

/**
 * Compare mode's host side: the working copy's graph against the file at a git revision (HEAD by
 * default, or a commit or branch picked from a list), or against the definition recorded with a
 * run of this pipeline (see core/src/details). Recomputed as the text changes; a change in the
 * list opens the text diff.
 */
export class GraphCompare {
  private readonly file: vscode.Uri;
  private readonly baseTexts: BaseTexts;
  private base: { label: string; text: string; uri: vscode.Uri } | undefined;
  private comparison: Comparison | undefined;

  constructor(file: vscode.Uri, baseTexts: BaseTexts) {
    this.file = file;
    this.baseTexts = baseTexts;
  }

  get active(): boolean {
    return this.base !== undefined;
  }

  /** Every block id shown while comparing (removed blocks included), for checking webview messages. */
  get blocks(): string[] {
    return this.comparison?.model.nodes.map((n) => n.id) ?? [];
  }

  stop(): void {
    this.base = undefined;
    this.comparison = undefined;
  }

  /** Asks for a revision (HEAD first); false when there is none or the user cancelled. */
  async pick(): Promise<boolean> {
    const root = await repositoryOf(this.file.fsPath);
    if (root === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} is not in a git repository: there is no earlier version to compare with.', basename(this.file.fsPath)));
      return false;
    }
    const revisions = await revisionsOf(root, this.file.fsPath);
    const picked = await vscode.window.showQuickPick(
      revisions.map((r) => ({ label: r.label, description: r.detail, rev: r.rev })),
      { title: vscode.l10n.t('Compare the graph with…'), placeHolder: vscode.l10n.t('HEAD, a commit that changed this file, or a branch'), matchOnDescription: true },
    );
    if (picked === undefined) return false;
    const text = (await textAt(root, this.file.fsPath, picked.rev)) ?? '';
    this.useBase(picked.rev === 'HEAD' ? 'HEAD' : `${picked.label} (${picked.description})`, text, picked.rev);
    return true;
  }

  /** Asks for a run of this pipeline whose definition was recorded (newest first); false when there is none or the user cancelled. */
  async pickRun(storePath: string): Promise<boolean> {
    const runs = recordedRuns(storePath, this.file.fsPath);
    if (runs.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No run of {0} has a recorded definition to compare with: run the pipeline first.', basename(this.file.fsPath)));
      return false;
    }
    const picked = await vscode.window.showQuickPick(
      runs.map((r) => ({ label: r.label, runId: r.runId })),
      { title: vscode.l10n.t('Compare the graph with the definition of run…'), placeHolder: vscode.l10n.t('The pipeline text as it was when the run started') },
    );
    if (picked === undefined) return false;
    const text = recordedDefinition(storePath, picked.runId);
    if (text === undefined) return false;
    this.useBase(`run #${picked.runId}`, text, `run-${picked.runId}`);
    return true;
  }

  private useBase(label: string, text: string, query: string): void {
    const uri = vscode.Uri.from({ scheme: BASE_SCHEME, path: this.file.path, query });
    this.baseTexts.set(uri, text);
    this.base = { label, text, uri };
  }

  /** The compare message for the working copy's text. */
  message(currentText: string): HostMessage | undefined {
    if (this.base === undefined) return undefined;
    const comparison = compareTexts(this.base.text, currentText, this.file.fsPath);
    this.comparison = comparison;
    const view: CompareView = { label: this.base.label, nodes: comparison.nodes, addedEdges: comparison.addedEdges, removedEdges: comparison.removedEdges, changes: comparison.changes.map((c) => ({ block: c.block, change: c.change })) };
    return { type: 'compare', model: comparison.model, view };
  }

  /** The text diff, at the block. */
  async openDiff(block: string): Promise<void> {
    if (this.base === undefined) return;
    const change = this.comparison?.changes.find((c) => c.block === block);
    const document = await vscode.workspace.openTextDocument(this.file);
    const options: vscode.TextDocumentShowOptions = { preview: true };
    if (change?.currentOffset !== undefined) {
      const at = document.positionAt(change.currentOffset);
      options.selection = new vscode.Range(at, at.translate(0, block.length));
    }
    await vscode.commands.executeCommand('vscode.diff', this.base.uri, this.file, `${basename(this.file.fsPath)} (${this.base.label}) ↔ working copy: ${block}`, options);
  }
}
