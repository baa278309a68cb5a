import * as vscode from 'vscode';
import { LogFollower } from './logFollower.ts';
import { parseLogQuery } from './logUri.ts';
import { StoreConnection } from './storeConnection.ts';
import { StoreWatcher } from './storeWatcher.ts';

/**
 * `pipeline-log:` documents: read-only by construction (a content provider has no save). Each open
 * document has a follower that appends what the store gained since the last look; `refresh()` runs
 * when a store changes and fires only the documents whose text grew.
 */
export class LogContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  private readonly followers = new Map<string, { uri: vscode.Uri; follower: LogFollower; connection: StoreConnection }>();
  private readonly connections = new Map<string, StoreConnection>();
  private readonly watchers = new Map<string, StoreWatcher>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    const target = parseLogQuery(uri.query);
    if ('error' in target) return `${target.error}\n`;
    const key = uri.toString();
    let entry = this.followers.get(key);
    if (entry === undefined) {
      let connection = this.connections.get(target.storePath);
      if (connection === undefined) {
        connection = new StoreConnection(target.storePath);
        this.connections.set(target.storePath, connection);
        // Its own watcher: a log may come from a store the tree does not show (a setting changed since).
        this.watchers.set(target.storePath, new StoreWatcher(target.storePath, () => this.refresh(), { delayMs: 200 }));
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

  /** Reads what is new for every log still being written; called when a store's files change. */
  refresh(): void {
    for (const { uri, follower, connection } of this.followers.values()) {
      if (follower.finished) continue;
      connection.checkFile();
      if (connection.read((store) => follower.update(store)) === true) this.changes.fire(uri);
    }
  }

  /** A closed document stops being followed. */
  forget(uri: vscode.Uri): void {
    this.followers.delete(uri.toString());
  }

  dispose(): void {
    for (const watcher of this.watchers.values()) watcher.dispose();
    this.watchers.clear();
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
    this.followers.clear();
    this.changes.dispose();
  }
}
