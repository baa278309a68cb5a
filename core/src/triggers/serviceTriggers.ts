import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { matchesGlob, relative, resolve, sep } from 'node:path';
import { ResponseError, type MessageConnection } from 'vscode-jsonrpc';
import { findPipelineFiles, PIPELINE_FILE } from '../cli/files.ts';
import type { RunRefusedData } from '../runner/protocol.ts';
import { TriggerStore } from '../store/triggerStore.ts';
import type { RunStore } from '../store/types.ts';
import { loadPipelinesApart } from './loadApart.ts';
import { releaseLoadMemory } from './releaseMemory.ts';
import type { LoadedPipeline } from './loadPipelines.ts';
import { longRunningThreshold } from './longRunning.ts';
import { runOnFailure } from './onFailure.ts';
import { Scheduler, type Alert, type LaunchedRun, type LaunchRequest, type SchedulerClock } from './scheduler.ts';
import {
  DisableTriggersRequest, EnableTriggersRequest, FileEventsNotification, RunTriggerNowRequest, SetTriggerDisabledRequest, TriggerAlertNotification, TriggerLogNotification,
  TriggerStateNotification, type EnableTriggersParams, type TriggerState, type WatchRequest,
} from './triggerProtocol.ts';

export interface ServiceTriggersOptions {
  /** The service's open store at this path (shared with its runs). */
  storeAt(path: string): RunStore;
  /** Starts a run in the service (so that windows can list and attach it); a refusal throws. */
  launch(request: LaunchRequest, store: string): Promise<LaunchedRun>;
  clock?: SchedulerClock;
  leaseHeartbeatMs?: number;
  /** Pipeline files changed: reload after this quiet time. Default 300. */
  reloadDelayMs?: number;
}

interface Subscription {
  folders: string[];
  longRunningAlert: boolean;
}

interface FileWatch extends WatchRequest {
  onFile: (path: string) => void;
}

const REFUSED = -32001;

/** The scheduler of one store in the service, for the windows that enabled triggers on it. */
class StoreTriggers {
  readonly subscribers = new Map<MessageConnection, Subscription>();
  readonly scheduler: Scheduler;
  private readonly triggers: TriggerStore;
  private readonly watches = new Set<FileWatch>();
  private readonly failures = new Set<Promise<unknown>>();
  private readonly reloadDelayMs: number;
  private reloadTimer: NodeJS.Timeout | undefined;
  private stateTimer: NodeJS.Timeout | undefined;
  private folders: string[] = [];
  private started = false;
  private stopped = false;
  /** Loads one at a time, in order: the last one reads the files as they are now. */
  private loading: Promise<void> = Promise.resolve();
  readonly store: string;
  private readonly runs: RunStore;

  constructor(store: string, runs: RunStore, options: ServiceTriggersOptions) {
    this.store = store;
    this.runs = runs;
    this.reloadDelayMs = options.reloadDelayMs ?? 300;
    this.triggers = TriggerStore.open(runs);
    this.scheduler = new Scheduler({
      triggers: this.triggers,
      holder: `${hostname()}:${process.pid}:editor:${randomBytes(3).toString('hex')}`,
      launch: (request) => options.launch(request, store),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.leaseHeartbeatMs === undefined ? {} : { leaseHeartbeatMs: options.leaseHeartbeatMs }),
      log: (line) => this.log(line),
      watch: (folder, globs, onFile) => {
        const watch: FileWatch = { folder, globs, onFile };
        this.watches.add(watch);
        this.stateChanged();
        return () => {
          this.watches.delete(watch);
          this.stateChanged();
        };
      },
      finishRun: (runId, status, error) => runs.updateRun(runId, { status, error }),
      onAlert: (alert) => this.alert(alert),
      longRunningAfterMs: (file) => ([...this.subscribers.values()].some((s) => s.longRunningAlert) ? longRunningThreshold(this.triggers.recentDurations(file)) : undefined),
      onChange: () => this.stateChanged(),
    });
  }

  /**
   * Applies the subscribers' folders (starting the scheduler the first time); resolves once their
   * pipelines are loaded. Disabled triggers are the store's.
   */
  update(): Promise<void> {
    const subs = [...this.subscribers.values()];
    const folders = [...new Set(subs.flatMap((s) => s.folders.map((f) => resolve(f))))].sort();
    if (!this.started) {
      this.started = true;
      this.folders = folders;
      return this.queueLoad((loaded) => this.scheduler.start(loaded));
    }
    if (folders.join('\n') !== this.folders.join('\n')) {
      this.folders = folders;
      return this.queueLoad((loaded) => this.scheduler.load(loaded));
    }
    this.stateChanged();
    return this.loading;
  }

  state(): TriggerState {
    return {
      store: this.store,
      leader: this.scheduler.isLeader,
      triggers: this.scheduler.list(),
      refused: this.scheduler.pipelines.flatMap((p) => (p.refused === undefined ? [] : [p.refused])),
      watch: [...this.watches].map(({ folder, globs }) => ({ folder, globs })),
      running: this.scheduler.running,
    };
  }

  /** Files the editor saw change: fire `files:` triggers; reload when pipeline files changed. */
  filesChanged(paths: readonly string[]): void {
    let pipelines = false;
    for (const path of paths) {
      if (PIPELINE_FILE.test(path) && this.folders.some((f) => inside(f, path))) pipelines = true;
      for (const watch of this.watches) {
        if (!inside(watch.folder, path)) continue;
        const rel = relative(watch.folder, path).split(sep).join('/');
        if (watch.globs.some((glob) => matchesGlob(rel, glob.replace(/^\.\//, '')))) watch.onFile(path);
      }
    }
    if (!pipelines) return;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.log('pipeline files changed; reloading');
      void this.queueLoad((loaded) => this.scheduler.load(loaded));
    }, this.reloadDelayMs);
  }

  /** Turns a trigger off or on in the store (every window and scheduler on it honour the store's set). */
  setDisabled(file: string, trigger: string, disabled: boolean): void {
    this.scheduler.setTriggerDisabled(resolve(file), trigger, disabled);
    this.stateChanged();
  }

  runNow(file: string, trigger: string): Promise<number> {
    return this.scheduler.runNow(resolve(file), trigger);
  }

  /** No window wants triggers here any more: stop firing; runs in flight finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reloadTimer);
    await this.loading;
    clearTimeout(this.stateTimer);
    await this.scheduler.stop({ drain: true });
    await Promise.allSettled([...this.failures]);
    this.triggers.close();
  }

  /**
   * Reads the folders' pipelines in a short-lived child process (loadApart.ts): the service keeps the
   * triggers, not the parsed files nor the garbage of checking them (bench/triggersService.ts).
   */
  private queueLoad(apply: (loaded: LoadedPipeline[]) => void): Promise<void> {
    this.loading = this.loading.then(async () => {
      if (this.stopped) return;
      const loaded = await loadPipelinesApart(findPipelineFiles(this.folders.filter((f) => existsSync(f))), (line) => this.log(line));
      for (const p of loaded) if (p.refused !== undefined) this.log(`not scheduled, it has errors: ${p.refused}`);
      if (this.stopped) return;
      apply(loaded);
      // Arming the triggers (cron and time-zone arithmetic) grew the young generation; give it back.
      setImmediate(releaseLoadMemory);
      this.stateChanged();
    }).catch((error: unknown) => this.log(`could not load the pipelines: ${error instanceof Error ? error.message : String(error)}`));
    return this.loading;
  }

  private alert(alert: Alert): void {
    const loaded = this.scheduler.pipelines.find((l) => l.file === alert.file);
    const run = this.runs.getRun(alert.runId);
    const status = alert.kind === 'failed' ? 'failed' : (run?.status ?? 'running');
    this.broadcast((c) => void c.sendNotification(TriggerAlertNotification, { ...alert, store: this.store, pipeline: loaded?.pipeline.name ?? alert.file, status }));
    if ((alert.kind !== 'failed' && alert.kind !== 'sla') || loaded?.pipeline.onFailure === undefined) return;
    const trigger = loaded.pipeline.triggers.find((t) => t.name === alert.trigger);
    const failure = runOnFailure({
      file: loaded.file, pipeline: loaded.pipeline, runId: alert.runId, reason: alert.kind, status: run?.status ?? 'failed',
      label: run?.trigger ?? alert.trigger, variables: run?.variables ?? trigger?.variables ?? {},
    }, (line) => this.log(line));
    this.failures.add(failure);
    void failure.finally(() => this.failures.delete(failure));
  }

  private stateChanged(): void {
    // Several changes at once (a reload, a fire and its run) make one notification.
    this.stateTimer ??= setTimeout(() => {
      this.stateTimer = undefined;
      const state = this.state();
      this.broadcast((c) => void c.sendNotification(TriggerStateNotification, state));
    }, 50);
  }

  private log(line: string): void {
    this.broadcast((c) => void c.sendNotification(TriggerLogNotification, { store: this.store, line }));
  }

  private broadcast(send: (connection: MessageConnection) => void): void {
    for (const connection of this.subscribers.keys()) {
      try {
        send(connection);
      } catch {
        // Its connection closed a moment ago; the service's onClose unsubscribes it.
      }
    }
  }
}

/**
 * The triggers of the runner service: per store, one scheduler for every window that enabled
 * triggers on it. It stops when the last such window disables them or goes away.
 */
export class ServiceTriggers {
  private readonly stores = new Map<string, StoreTriggers>();
  private readonly stopping = new Set<Promise<void>>();
  private readonly options: ServiceTriggersOptions;

  constructor(options: ServiceTriggersOptions) {
    this.options = options;
  }

  /** Scheduled stores (for the service's idle check: it stays while one is). */
  get active(): number {
    return this.stores.size;
  }

  register(connection: MessageConnection): void {
    connection.onRequest(EnableTriggersRequest, (params) => this.enable(connection, params));
    connection.onRequest(DisableTriggersRequest, ({ store }) => {
      this.unsubscribe(connection, resolve(store));
      return {};
    });
    connection.onNotification(FileEventsNotification, ({ paths }) => {
      for (const store of this.stores.values()) if (store.subscribers.has(connection)) store.filesChanged(paths);
    });
    connection.onRequest(SetTriggerDisabledRequest, ({ store, file, trigger, disabled }) => {
      const host = this.stores.get(resolve(store));
      try {
        if (host === undefined) throw new Error('Triggers are not enabled for this store.');
        host.setDisabled(file, trigger, disabled);
        return host.state();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new ResponseError<RunRefusedData>(REFUSED, message, { problems: [message], diagnostics: [] });
      }
    });
    connection.onRequest(RunTriggerNowRequest, async ({ store, file, trigger }) => {
      const host = this.stores.get(resolve(store));
      try {
        if (host === undefined) throw new Error('Triggers are not enabled for this store.');
        return { runId: await host.runNow(file, trigger), store: host.store };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new ResponseError<RunRefusedData>(REFUSED, message, { problems: message.split('; '), diagnostics: [] });
      }
    });
  }

  /** The connection closed: its subscriptions end. */
  unregister(connection: MessageConnection): void {
    for (const path of [...this.stores.keys()]) this.unsubscribe(connection, path);
  }

  async close(): Promise<void> {
    for (const [path, host] of [...this.stores]) {
      this.stores.delete(path);
      this.track(host.stop());
    }
    await Promise.allSettled([...this.stopping]);
  }

  private async enable(connection: MessageConnection, params: EnableTriggersParams): Promise<TriggerState> {
    const path = resolve(params.store);
    let host = this.stores.get(path);
    if (host === undefined) {
      host = new StoreTriggers(path, this.options.storeAt(path), this.options);
      this.stores.set(path, host);
    }
    host.subscribers.set(connection, { folders: params.folders, longRunningAlert: params.longRunningAlert });
    await host.update();
    // A window's list from before disabled triggers were kept in the store: into the store, once.
    for (const key of params.disabled) {
      const at = key.lastIndexOf('#');
      if (at > 0) host.setDisabled(key.slice(0, at), key.slice(at + 1), true);
    }
    return host.state();
  }

  private unsubscribe(connection: MessageConnection, path: string): void {
    const host = this.stores.get(path);
    if (host === undefined || !host.subscribers.delete(connection)) return;
    if (host.subscribers.size > 0) {
      void host.update();
      return;
    }
    this.stores.delete(path);
    this.track(host.stop());
  }

  private track(stopping: Promise<void>): void {
    this.stopping.add(stopping);
    void stopping.finally(() => this.stopping.delete(stopping));
  }
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel);
}
