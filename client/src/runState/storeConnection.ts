import { statSync } from 'node:fs';
import { openStore, StoreError, type DriverChoice, type RunStore } from '../../../core/src/store/index.ts';

/** Why a store cannot be shown: no file yet is normal (no runs), anything else is an error to explain. */
export type StoreState =
  | { kind: 'ready' }
  | { kind: 'missing' }
  | { kind: 'error'; errorKind: StoreError['kind'] | 'unexpected'; message: string };

/**
 * What a view reads a store through: the shared connection of the run-state model (client/src/runState)
 * or, in tests, a private `StoreConnection`. `generation` counts the files seen at the path (a new
 * one each time the store is created, replaced or deleted), so a view can tell that what it shows
 * came from an earlier file even when someone else noticed the change.
 */
export interface StoreReader {
  readonly path: string;
  readonly state: StoreState;
  readonly generation: number;
  read<T>(fn: (store: RunStore) => T): T | undefined;
  /** True when the file on disk is no longer the one read until now; the next read opens the new one. */
  checkFile(): boolean;
  /** The view is done with the store. */
  release(): void;
}

// Reads run on the extension host's thread: waiting long for a writer's lock would freeze the editor,
// and WAL readers almost never wait anyway.
const READ_BUSY_TIMEOUT_MS = 250;

/**
 * One read-only connection to a store, opened lazily and kept while it works. The file can appear,
 * vanish or be replaced (another store moved in place) while the editor runs, so `checkFile()` notices a
 * new inode and reopens; a failure closes the connection, records why, and the next use tries again.
 */
export class StoreConnection implements StoreReader {
  readonly path: string;
  private readonly driver: DriverChoice;
  private store: RunStore | undefined;
  private inode: number | undefined;
  private current: StoreState = { kind: 'missing' };
  private files = 0;

  constructor(path: string, driver: DriverChoice = 'auto') {
    this.path = path;
    this.driver = driver;
  }

  get state(): StoreState {
    return this.current;
  }

  get generation(): number {
    return this.files;
  }

  /** Runs fn on the open store; undefined (with `state` saying why) when it cannot be read. */
  read<T>(fn: (store: RunStore) => T): T | undefined {
    const store = this.open();
    if (store === undefined) return undefined;
    try {
      return fn(store);
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }

  /** True when the file on disk is no longer the one the connection holds (created, deleted, replaced). */
  checkFile(): boolean {
    const inode = currentInode(this.path);
    if (inode === this.inode) return false;
    // Remembered even though nothing is open yet: a file that failed to open is reported once, not
    // at every look (each report makes every view read again, and fail again).
    this.drop();
    this.inode = inode;
    this.files++;
    return true;
  }

  release(): void {
    this.close();
  }

  close(): void {
    this.drop();
    this.inode = undefined;
  }

  /** Closes the database but keeps the file it was: the next read opens it again. */
  private drop(): void {
    const store = this.store;
    this.store = undefined;
    try {
      store?.close();
    } catch {
      // A read-only connection has nothing to flush; closing a broken one may still complain.
    }
  }

  private open(): RunStore | undefined {
    if (this.store !== undefined) return this.store;
    this.inode = currentInode(this.path);
    if (this.inode === undefined) {
      this.current = { kind: 'missing' };
      return undefined;
    }
    try {
      this.store = openStore(this.path, { readonly: true, busyTimeoutMs: READ_BUSY_TIMEOUT_MS, driver: this.driver });
      this.current = { kind: 'ready' };
      return this.store;
    } catch (error) {
      // An empty database (created, no schema yet) is a store without runs, not a broken one.
      if (error instanceof StoreError && error.kind === 'not-found') {
        this.current = { kind: 'missing' };
        return undefined;
      }
      this.fail(error);
      return undefined;
    }
  }

  private fail(error: unknown): void {
    this.drop();
    this.current = error instanceof StoreError
      ? { kind: 'error', errorKind: error.kind, message: error.message }
      : { kind: 'error', errorKind: 'unexpected', message: `Cannot read the run store ${this.path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function currentInode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}
