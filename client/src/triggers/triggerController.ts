import * as vscode from 'vscode';
import type { SocketRunnerClient } from '../../../core/src/runner/client.ts';
import { triggerKey } from '../../../core/src/triggers/scheduler.ts';
import {
  DisableTriggersRequest, EnableTriggersRequest, FileEventsNotification, RunTriggerNowRequest, SetTriggerDisabledRequest, TriggerAlertNotification, TriggerLogNotification,
  TriggerStateNotification, type TriggerAlert, type TriggerState,
} from '../../../core/src/triggers/triggerProtocol.ts';
import { runsLog } from '../run/runsLog.ts';
import { ServiceProcess } from '../run/serviceProcess.ts';
import { storePathForRun } from '../runState/storeLocation.ts';
import { DISABLED_STATE } from './ids.ts';
import { longRunningAlert } from './triggerSettings.ts';

const PIPELINE_GLOB = '**/*.{pipeline.yaml,pipeline.yml}';
const RECONNECT_MS = 2000;

/**
 * The editor's side of the scheduler: asks the runner service of each workspace store to schedule
 * that store's folders, follows its state (triggers, next fires, the lease) and alerts, and feeds it
 * the file events of VS Code's watcher (pipeline files, and the globs of `files:` triggers).
 */
export class TriggerController implements vscode.Disposable {
  private readonly service: ServiceProcess;
  private readonly states = new Map<string, TriggerState>();
  private readonly listening = new WeakSet<SocketRunnerClient>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly alerted = new vscode.EventEmitter<TriggerAlert>();
  /** The scheduler's state changed (triggers, next fires, lease, on/off). */
  readonly onDidChange = this.changed.event;
  /** A triggered run failed, missed its SLA, timed out with `warn`, or is long-running. */
  readonly onAlert = this.alerted.event;
  private readonly workspaceState: vscode.Memento;
  private watchers = new Map<string, vscode.Disposable>();
  private pipelineWatchers: vscode.Disposable[] = [];
  private active = false;

  constructor(cliPath: string, workspaceState: vscode.Memento) {
    this.workspaceState = workspaceState;
    this.service = new ServiceProcess({
      cliPath,
      onRunEvent: () => undefined,
      onLogChunk: () => undefined,
      onStderr: (line) => runsLog().warn(`[service] ${line}`),
      onExit: (description, store) => this.serviceGone(description, store),
    });
  }

  get isActive(): boolean {
    return this.active;
  }

  /** The state of each store's scheduler (empty while off). */
  get allStates(): TriggerState[] {
    return [...this.states.values()];
  }

  /** Triggers this window turned off before they were kept in the store: moved there at the next enable. */
  private legacyDisabledKeys(): string[] {
    return this.workspaceState.get<string[]>(DISABLED_STATE, []);
  }

  /** Whether the store has the trigger turned off, as its scheduler last said. */
  isDisabled(file: string, trigger: string): boolean {
    const key = triggerKey(file, trigger);
    return this.allStates.some((state) => state.triggers.some((t) => t.disabled && triggerKey(t.file, t.trigger) === key));
  }

  /**
   * Disables or enables one trigger (not in its file): in the store, so that every window and the
   * headless scheduler on the store honour it.
   */
  async setDisabled(file: string, trigger: string, disabled: boolean): Promise<void> {
    const store = storePathForRun(vscode.Uri.file(file));
    const client = await this.connect(store);
    const state = await client.connection.sendRequest(SetTriggerDisabledRequest, { store, file, trigger, disabled });
    if (this.active) this.apply(state);
  }

  /** Starts scheduling the workspace's folders (idempotent). */
  async start(): Promise<void> {
    if (this.active) return;
    this.active = true;
    this.watchPipelineFiles();
    this.changed.fire();
    await this.refresh();
  }

  /** Stops scheduling: the services stop firing for this window; triggered runs in flight finish. */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    for (const d of [...this.pipelineWatchers, ...this.watchers.values()]) d.dispose();
    this.pipelineWatchers = [];
    this.watchers.clear();
    const stores = [...this.states.keys()];
    this.states.clear();
    this.changed.fire();
    await Promise.allSettled(stores.map(async (store) => (await this.service.connect(store)).connection.sendRequest(DisableTriggersRequest, { store })));
  }

  /** Sends the folders, disabled triggers and settings to every store's service again. */
  async refresh(): Promise<void> {
    if (!this.active) return;
    await Promise.allSettled([...this.storeFolders()].map(([store, folders]) => this.enableStore(store, folders)));
  }

  /** Starts a run of the trigger now, in its store's service; its run number. */
  async runNow(file: string, trigger: string): Promise<number> {
    const store = storePathForRun(vscode.Uri.file(file));
    const client = await this.connect(store);
    const { runId } = await client.connection.sendRequest(RunTriggerNowRequest, { store, file, trigger });
    return runId;
  }

  dispose(): void {
    for (const d of [...this.pipelineWatchers, ...this.watchers.values()]) d.dispose();
    this.watchers.clear();
    this.changed.dispose();
    this.alerted.dispose();
    // Closing the connections ends this window's subscriptions; the services go on for other windows.
    void this.service.dispose();
  }

  private storeFolders(): Map<string, string[]> {
    const byStore = new Map<string, string[]>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const store = storePathForRun(folder.uri);
      byStore.set(store, [...(byStore.get(store) ?? []), folder.uri.fsPath]);
    }
    return byStore;
  }

  private async enableStore(store: string, folders: string[]): Promise<void> {
    try {
      const client = await this.connect(store);
      const legacy = this.legacyDisabledKeys();
      const state = await client.connection.sendRequest(EnableTriggersRequest, { store, folders, disabled: legacy, longRunningAlert: longRunningAlert() });
      if (legacy.length > 0) await this.workspaceState.update(DISABLED_STATE, undefined);
      if (this.active) this.apply(state);
    } catch (error) {
      runsLog().warn(`Could not enable the triggers of ${store}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async connect(store: string): Promise<SocketRunnerClient> {
    const client = await this.service.connect(store);
    if (!this.listening.has(client)) {
      this.listening.add(client);
      client.connection.onNotification(TriggerStateNotification, (state) => {
        if (this.active) this.apply(state);
      });
      client.connection.onNotification(TriggerAlertNotification, (alert) => this.alerted.fire(alert));
      client.connection.onNotification(TriggerLogNotification, ({ line }) => runsLog().info(`[triggers] ${line}`));
    }
    return client;
  }

  private apply(state: TriggerState): void {
    this.states.set(state.store, state);
    this.syncWatchers();
    this.changed.fire();
  }

  /** One VS Code watcher per folder and glob that `files:` triggers ask for, of every store. */
  private syncWatchers(): void {
    const wanted = new Map<string, { store: string; folder: string; glob: string }>();
    for (const state of this.states.values()) {
      for (const w of state.watch) for (const glob of w.globs) wanted.set(`${state.store}\0${w.folder}\0${glob}`, { store: state.store, folder: w.folder, glob });
    }
    for (const [key, watcher] of this.watchers) {
      if (wanted.has(key)) continue;
      watcher.dispose();
      this.watchers.delete(key);
    }
    for (const [key, { store, folder, glob }] of wanted) {
      if (this.watchers.has(key)) continue;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), glob.replace(/^\.\//, '')), false, false, true);
      const send = (uri: vscode.Uri): void => this.sendFiles(store, [uri.fsPath]);
      this.watchers.set(key, vscode.Disposable.from(watcher, watcher.onDidCreate(send), watcher.onDidChange(send)));
    }
  }

  /** Edited, new and deleted pipeline files make the service re-read them. */
  private watchPipelineFiles(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const store = storePathForRun(folder.uri);
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, PIPELINE_GLOB));
      const send = (uri: vscode.Uri): void => this.sendFiles(store, [uri.fsPath]);
      this.pipelineWatchers.push(watcher, watcher.onDidCreate(send), watcher.onDidChange(send), watcher.onDidDelete(send));
    }
  }

  private sendFiles(store: string, paths: string[]): void {
    if (!this.active) return;
    void this.connect(store).then((client) => client.connection.sendNotification(FileEventsNotification, { paths }), () => undefined);
  }

  private serviceGone(description: string, store: string): void {
    if (!this.active) return;
    this.states.delete(store);
    this.changed.fire();
    runsLog().warn(`Triggers of ${store}: ${description}; scheduling again.`);
    setTimeout(() => void this.refresh(), RECONNECT_MS);
  }
}
