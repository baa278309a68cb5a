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
   * lock up front, so waiting for another writer goes through the busy timeout; a deferred
   * transaction that reads and then writes fails at once with SQLITE_BUSY_SNAPSHOT instead.
   * Nested calls join the outer transaction.
   */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface DriverOpenOptions {
  readonly: boolean;
  busyTimeoutMs: number;
}

/** Shared by both drivers: the transaction bracket over exec(). */
export function immediateTransaction<T>(driver: { exec(sql: string): void }, state: { depth: number }, fn: () => T): T {
  if (state.depth > 0) return fn();
  driver.exec('BEGIN IMMEDIATE');
  state.depth++;
  try {
    const result = fn();
    driver.exec('COMMIT');
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
