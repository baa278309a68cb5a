import { resolve } from 'node:path';
import * as vscode from 'vscode';
import type { RunStateModel, StoreHold } from '../runState/index.ts';
import { LogFollower } from './logFollower.ts';
import { parseLogQuery } from './logUri.ts';

/**
 * `pipeline-log:` documents: read-only by construction (a content provider has no save). Each open
 * document has a follower that appends what the store gained since the last look; when the
 * run-state model reports a change of a store, only the documents of that store whose text grew fire.
 * A log may come from a store the tree does not show (a setting changed since): holding it makes
 * the model follow that store too.
 */
export class LogContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  private readonly followers = new Map<string, { uri: vscode.Uri; follower: LogFollower; connection: StoreHold }>();
  private readonly connections = new Map<string, StoreHold>();
  private readonly runState: RunStateModel;
  private readonly subscription: vscode.Disposable;

  constructor(runState: RunStateModel) {
    this.runState = runState;
    this.subscription = runState.onDidChange((change) => {
      if (this.connections.has(change.storePath)) this.refresh(change.storePath);
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const target = parseLogQuery(uri.query);
    if ('error' in target) return `${target.error}\n`;
    const key = uri.toString();
    let entry = this.followers.get(key);
    if (entry === undefined) {
      // Keyed by the resolved path, the spelling the model's changes carry.
      const storePath = resolve(target.storePath);
      let connection = this.connections.get(storePath);
      if (connection === undefined) {
        connection = this.runState.hold(storePath);
        this.connections.set(storePath, connection);
      }
      entry = { uri, follower: new LogFollower(target.blockRunId), connection };
      this.followers.set(key, entry);
    }
    const { follower, connection } = entry;
    connection.read((store) => follower.update(store));
    const state = connection.state;
    if (state.kind === 'error') return `${follower.text}\n[${state.message}]\n`;
    if (state.kind === 'missing') return `There is no run store at ${target.storePath}.\n`;
    return follower.text;
  }

  /** Reads what is new for every log still being written (of one store, or of all). */
  refresh(storePath?: string): void {
    for (const { uri, follower, connection } of this.followers.values()) {
      if (follower.finished || (storePath !== undefined && connection.storePath !== storePath)) continue;
      connection.checkFile();
      if (connection.read((store) => follower.update(store)) === true) this.changes.fire(uri);
    }
  }

  /** A closed document stops being followed. */
  forget(uri: vscode.Uri): void {
    this.followers.delete(uri.toString());
  }

  dispose(): void {
    this.subscription.dispose();
    for (const connection of this.connections.values()) connection.release();
    this.connections.clear();
    this.followers.clear();
    this.changes.dispose();
  }
}
