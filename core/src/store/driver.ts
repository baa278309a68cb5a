import { BUSY_SLICE_MS, lockWait, type LockWait } from './lockWait.ts';

/**
 * The little of SQLite the store needs, so that better-sqlite3 and node:sqlite are interchangeable.
 * Both are synchronous; the store's transactions are short, so blocking is measured in microseconds.
 */

export type SqlValue = string | number | bigint | null | Uint8Array;

export interface SqlStatement {
  run(...params: SqlValue[]): { changes: number; lastInsertRowid: number };
  get(...params: SqlValue[]): Record<string, unknown> | undefined;
  all(...params: SqlValue[]): Record<string, unknown>[];
}

export type DriverName = 'better-sqlite3' | 'node:sqlite';

export interface SqlDriver {
  readonly name: DriverName;
  prepare(sql: string): SqlStatement;
  exec(sql: string): void;
  /**
   * Runs fn inside `BEGIN IMMEDIATE … COMMIT` (rolled back if fn throws). IMMEDIATE takes the write
   * lock up front, so waiting for another writer happens before fn runs, where it can be retried;
   * a deferred transaction that reads and then writes fails at once with SQLITE_BUSY_SNAPSHOT instead.
   * Nested calls join the outer transaction.
   */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface DriverOpenOptions {
  readonly: boolean;
  /** The stall period: how long an operation waits for the lock while its holder makes no progress at all. */
  busyTimeoutMs: number;
}

/** What both drivers share: whether a transaction is open, and how to wait for the lock outside one. */
export interface LockState {
  depth: number;
  wait: LockWait;
}

export function lockState(path: string, options: DriverOpenOptions): LockState {
  return { depth: 0, wait: lockWait(path, options.busyTimeoutMs) };
}

/** The busy timeout given to SQLite itself: one slice of the wait (see lockWait). */
export function busySliceMs(options: DriverOpenOptions): number {
  return Math.max(1, Math.min(BUSY_SLICE_MS, Math.floor(options.busyTimeoutMs)));
}

/**
 * Outside a transaction a statement runs alone, and one refused with SQLITE_BUSY did nothing, so it
 * is retried while the store progresses. Inside one, this connection holds the write lock already.
 */
export function outsideTransaction<T>(state: LockState, fn: () => T): T {
  return state.depth > 0 ? fn() : state.wait(fn);
}

/** Shared by both drivers: the transaction bracket over exec(). */
export function immediateTransaction<T>(driver: { exec(sql: string): void }, state: LockState, fn: () => T): T {
  if (state.depth > 0) return fn();
  // exec() outside a transaction already waits for the lock.
  driver.exec('BEGIN IMMEDIATE');
  state.depth++;
  try {
    const result = fn();
    // In WAL mode COMMIT needs no further lock; in rollback mode (a store being created) it may, and a refused COMMIT leaves the transaction open to try again.
    state.wait(() => driver.exec('COMMIT'));
    return result;
  } catch (error) {
    try {
      driver.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (e.g. after SQLITE_FULL); the original error is the one to report.
    }
    throw error;
  } finally {
    state.depth--;
  }
}

/** Statements prepared once per connection and text, for the stores that share one driver. */
export function statementCache(db: SqlDriver): (text: string) => SqlStatement {
  const statements = new Map<string, SqlStatement>();
  return (text) => {
    let statement = statements.get(text);
    if (statement === undefined) {
      statement = db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
}
