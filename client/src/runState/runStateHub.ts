import { resolve } from 'node:path';
import type { DriverChoice } from '../../../core/src/store/types.ts';
import { StoreConnection, type StoreReader } from './storeConnection.ts';
import { StoreWatcher } from './storeWatcher.ts';

/**
 * Something changed in a store: `runIds` are the runs the runner service reported on (its live
 * events), 'any' when the file changed under us (the CLI, a headless scheduler, another window,
 * a store deleted or replaced), which could be any run.
 */
export interface RunStateChange {
  storePath: string;
  runIds: readonly number[] | 'any';
}

/** A view's handle on a store: the shared read connection, followed while any view holds it. */
export interface StoreHold extends StoreReader {
  readonly storePath: string;
}

/** Injected so that the merge window can be tested without waiting on a loaded machine. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface FileWatch {
  /** Called once a burst of reported changes has been merged (the watcher may re-check its folder). */
  recheck?(): void;
  dispose(): void;
}

export interface RunStateHubOptions {
  /** Changes of one store coming closer together than this are reported as one. */
  delayMs?: number;
  driver?: DriverChoice;
  timers?: Timers;
  /** Starts the watch of a store's files; default a StoreWatcher (fs.watch of its folder, polling while it is missing). */
  watch?: (storePath: string, onChange: () => void) => FileWatch;
}

const REAL_TIMERS: Timers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface FollowedStore {
  connection: StoreConnection;
  watch: FileWatch;
  holders: number;
}

interface PendingChange {
  runIds: Set<number> | 'any';
  timer: unknown;
}

/**
 * The run state of every store a view shows, VS-Code-free: one read connection and one file watch
 * per store however many views hold it, and one stream of changes merging the runner service's live
 * events with writes made by other processes. Changes of a store are merged over `delayMs`, so a
 * run writing logs every few milliseconds costs each view one refresh per window, and before a change
 * is reported the connection is checked against the file on disk, so a store deleted or replaced is
 * reopened before any view reads it again.
 */
export class RunStateHub {
  private readonly stores = new Map<string, FollowedStore>();
  private readonly pending = new Map<string, PendingChange>();
  private readonly listeners = new Set<(change: RunStateChange) => void>();
  private readonly delayMs: number;
  private readonly driver: DriverChoice;
  private readonly timers: Timers;
  private readonly watch: (storePath: string, onChange: () => void) => FileWatch;
  private disposed = false;

  constructor(options: RunStateHubOptions = {}) {
    this.delayMs = options.delayMs ?? 200;
    this.driver = options.driver ?? 'auto';
    this.timers = options.timers ?? REAL_TIMERS;
    this.watch = options.watch ?? ((path, onChange) => new StoreWatcher(path, onChange));
  }

  /** The stores some view holds. */
  get followed(): string[] {
    return [...this.stores.keys()];
  }

  subscribe(listener: (change: RunStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The shared connection to a store; its file is watched until every hold is released. */
  hold(storePath: string): StoreHold {
    const path = resolve(storePath);
    let followed = this.stores.get(path);
    if (followed === undefined) {
      const created: FollowedStore = { connection: new StoreConnection(path, this.driver), watch: { dispose: () => undefined }, holders: 0 };
      created.watch = this.watch(path, () => this.fileChanged(path));
      this.stores.set(path, created);
      followed = created;
    }
    followed.holders++;
    return this.handle(path, followed);
  }

  /** The store's files changed (reported by its watcher, or by VS Code's). */
  fileChanged(storePath: string): void {
    this.note(resolve(storePath), 'any');
  }

  /** The runner service reported on a run of this store. */
  runChanged(storePath: string, runId: number): void {
    this.note(resolve(storePath), runId);
  }

  /**
   * Checks a store's file now: when it was deleted or replaced the connection reopens on its next
   * read and every view hears of it (they may hold nodes of the old file). True when it changed.
   */
  verify(storePath: string): boolean {
    const path = resolve(storePath);
    const replaced = this.stores.get(path)?.connection.checkFile() ?? false;
    if (replaced) this.note(path, 'any');
    return replaced;
  }

  /** Reports what is pending at once (an explicit refresh, or a test). */
  flush(storePath?: string): void {
    const paths = storePath === undefined ? [...this.pending.keys()] : [resolve(storePath)];
    for (const path of paths) this.report(path);
  }

  dispose(): void {
    this.disposed = true;
    for (const pending of this.pending.values()) this.timers.clear(pending.timer);
    this.pending.clear();
    for (const followed of this.stores.values()) {
      followed.watch.dispose();
      followed.connection.close();
    }
    this.stores.clear();
    this.listeners.clear();
  }

  private note(path: string, runId: number | 'any'): void {
    if (this.disposed) return;
    const pending = this.pending.get(path);
    if (pending === undefined) {
      const runIds = runId === 'any' ? 'any' : new Set([runId]);
      this.pending.set(path, { runIds, timer: this.timers.set(() => this.report(path), this.delayMs) });
      return;
    }
    // A file change within the window may be anything: it swallows the run numbers.
    if (runId === 'any') pending.runIds = 'any';
    else if (pending.runIds !== 'any') pending.runIds.add(runId);
  }

  private report(path: string): void {
    const pending = this.pending.get(path);
    if (pending === undefined) return;
    this.pending.delete(path);
    this.timers.clear(pending.timer);
    const followed = this.stores.get(path);
    followed?.watch.recheck?.();
    const replaced = followed?.connection.checkFile() ?? false;
    const runIds = replaced || pending.runIds === 'any' ? 'any' : [...pending.runIds].sort((a, b) => a - b);
    const change: RunStateChange = { storePath: path, runIds };
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        // One broken view must not keep the others from updating.
        console.error(`[run state] a view failed on a change of ${path}:`, error);
      }
    }
  }

  private release(path: string, followed: FollowedStore): void {
    followed.holders--;
    if (followed.holders > 0 || this.stores.get(path) !== followed) return;
    this.stores.delete(path);
    followed.watch.dispose();
    followed.connection.close();
  }

  private handle(path: string, followed: FollowedStore): StoreHold {
    let released = false;
    const { connection } = followed;
    return {
      storePath: path,
      path,
      get state() {
        return connection.state;
      },
      get generation() {
        return connection.generation;
      },
      read: (fn) => connection.read(fn),
      checkFile: () => this.verify(path),
      release: () => {
        if (released) return;
        released = true;
        this.release(path, followed);
      },
    };
  }
}
