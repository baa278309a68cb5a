import type { DatabaseSync as DatabaseSyncClass } from 'node:sqlite';
import { busySliceMs, immediateTransaction, lockState, outsideTransaction, type DriverOpenOptions, type SqlDriver, type SqlStatement } from './driver.ts';

let loaded: typeof DatabaseSyncClass | undefined;

/** node:sqlite is built into Node 22.5+ (behind a flag before 22.13); absent from Node 20 and maybe from Electron. */
export function loadNodeSqlite(): typeof DatabaseSyncClass {
  if (loaded !== undefined) return loaded;
  // getBuiltinModule loads it lazily without a static import, which would fail at import time where it is absent.
  const sqlite = typeof process.getBuiltinModule === 'function' ? (process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite') | undefined) : undefined;
  if (sqlite === undefined) throw new Error(`node:sqlite is not built into Node ${process.version}`);
  loaded = sqlite.DatabaseSync;
  return loaded;
}

export function openNodeSqlite(path: string, options: DriverOpenOptions): SqlDriver {
  const DatabaseSync = loadNodeSqlite();
  const db = new DatabaseSync(path, { readOnly: options.readonly, timeout: busySliceMs(options) });
  const state = lockState(path, options);
  const driver: SqlDriver = {
    name: 'node:sqlite',
    prepare(sql: string): SqlStatement {
      const statement = db.prepare(sql);
      return {
        run: (...params) => {
          const result = outsideTransaction(state, () => statement.run(...params));
          return { changes: Number(result.changes), lastInsertRowid: Number(result.lastInsertRowid) };
        },
        get: (...params) => outsideTransaction(state, () => statement.get(...params)),
        all: (...params) => outsideTransaction(state, () => statement.all(...params)),
      };
    },
    exec(sql: string): void {
      outsideTransaction(state, () => db.exec(sql));
    },
    transaction: (fn) => immediateTransaction(driver, state, fn),
    close(): void {
      db.close();
    },
  };
  return driver;
}
