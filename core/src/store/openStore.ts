import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SqlDriver } from './driver.ts';
import { openDriver } from './openDriver.ts';
import { checkSchema, migrate, SCHEMA_VERSION } from './schema.ts';
import { toStoreError } from './sqliteErrors.ts';
import { SqliteRunStore } from './sqliteRunStore.ts';
import { StoreError, type DriverChoice, type RunStore, type StoreOptions } from './types.ts';

export const DEFAULT_LOG_CAP_BYTES = 10 * 1024 * 1024;
/**
 * The stall period: a store operation waits for another process's lock as long as that process
 * makes progress, and gives up once the store has not changed at all for this long (see lockWait.ts).
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Opens (creating when writable) the run store at path. Before anything can write, the file is
 * checked: a non-SQLite file, another program's database, or a newer schema is refused and left
 * byte-for-byte as it was. A writable open then upgrades the schema and marks runs of dead owners
 * `interrupted`.
 *
 * Do not open one file with both drivers in one process: each bundles its own SQLite, and POSIX
 * locks are per process, so the two would not see each other's locks.
 */
export function openStore(path: string, options: StoreOptions = {}): RunStore {
  const absolute = resolve(path);
  const readonly = options.readonly ?? false;
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const logCapBytes = options.logCapBytes ?? DEFAULT_LOG_CAP_BYTES;
  const choice = options.driver ?? 'auto';
  const size = fileSize(absolute);
  if (size === undefined && readonly) throw new StoreError('not-found', `There is no run store at ${absolute} yet.`);
  if (size !== undefined && size > 0) checkHeader(absolute);
  if (size !== undefined && size > 0 && !readonly) {
    // Look with a read-only connection first, so that refusing a database cannot change it.
    withDriver(openOrExplain(absolute, choice, true, busyTimeoutMs), absolute, busyTimeoutMs, (probe) => checkSchema(probe, absolute));
  }
  if (!readonly) {
    try {
      mkdirSync(dirname(absolute), { recursive: true });
    } catch (error) {
      throw new StoreError('io', `Cannot create the folder of the run store ${absolute}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const driver = openOrExplain(absolute, choice, readonly, busyTimeoutMs);
  try {
    if (readonly) {
      requireCurrentSchema(driver, absolute);
    } else {
      // WAL: readers never block the writer and the writer never blocks readers (the editor's tree reads while a run writes).
      driver.prepare('PRAGMA journal_mode = WAL').get();
      // NORMAL is durable against crashes in WAL mode; a power cut may lose the last transactions, never the database.
      driver.exec('PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON');
      // 4 MB of page cache is plenty for a run history; better-sqlite3's default (16 MB) only adds to RSS while logs stream in.
      driver.exec('PRAGMA cache_size = -4000');
      migrate(driver, absolute);
    }
    const store = new SqliteRunStore(driver, { path: absolute, readonly, logCapBytes, busyTimeoutMs });
    store.markInterrupted();
    return store;
  } catch (error) {
    driver.close();
    throw toStoreError(error, absolute, busyTimeoutMs);
  }
}

function fileSize(path: string): number | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new StoreError('io', `The run store path ${path} is not a file.`);
    return stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof StoreError) throw error;
    throw new StoreError('io', `Cannot read the run store ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function checkHeader(path: string): void {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  let read = 0;
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, header, 0, header.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new StoreError('io', `Cannot read the run store ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (read < header.length || !header.equals(SQLITE_HEADER)) {
    throw new StoreError('corrupt', `${path} is not a Pipeline Studio run store (file is not a database); it was left untouched. Move it away or choose another store with --store.`);
  }
}

function requireCurrentSchema(driver: SqlDriver, path: string): void {
  const version = checkSchema(driver, path);
  if (version === 0) throw new StoreError('not-found', `The run store ${path} holds no runs yet.`);
  if (version < SCHEMA_VERSION) {
    throw new StoreError('schema', `The run store ${path} has an older schema (${version}); it is upgraded the next time it is opened for writing (run a pipeline, or 'pipeline-studio runs').`);
  }
}

function openOrExplain(path: string, choice: DriverChoice, readonly: boolean, busyTimeoutMs: number): SqlDriver {
  try {
    return openDriver(path, choice, { readonly, busyTimeoutMs });
  } catch (error) {
    throw toStoreError(error, path, busyTimeoutMs);
  }
}

function withDriver<T>(driver: SqlDriver, path: string, busyTimeoutMs: number, fn: (driver: SqlDriver) => T): T {
  try {
    return fn(driver);
  } catch (error) {
    throw toStoreError(error, path, busyTimeoutMs);
  } finally {
    driver.close();
  }
}
