import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { busySliceMs, immediateTransaction, lockState, outsideTransaction, type DriverOpenOptions, type SqlDriver, type SqlStatement, type SqlValue } from './driver.ts';

/** better-sqlite3 13 ships one N-API 10 prebuild; older runtimes load it and then segfault. */
export const BETTER_SQLITE3_MIN_NAPI = 10;

let loaded: typeof BetterSqlite3 | undefined;

/**
 * Loads the native module on first use only, so importing the store costs nothing where it
 * cannot load. Throws (never crashes) when the runtime is too old for the prebuild.
 */
export function loadBetterSqlite3(): typeof BetterSqlite3 {
  if (loaded !== undefined) return loaded;
  const napi = Number(process.versions.napi ?? 0);
  if (!(napi >= BETTER_SQLITE3_MIN_NAPI)) {
    throw new Error(`better-sqlite3 needs Node-API ${BETTER_SQLITE3_MIN_NAPI} or newer, and this runtime has Node-API ${process.versions.napi ?? 'none'}`);
  }
  const Database = nodeRequire()('better-sqlite3') as typeof BetterSqlite3;
  // The module loads its native binary only when a database opens: open one in memory now, so a
  // missing binary or one for another platform falls back to node:sqlite instead of failing the store.
  new Database(':memory:').close();
  loaded = Database;
  return loaded;
}

// Under Node's type stripping this file is an ES module and needs createRequire; in the CommonJS
// bundles (dist/*.cjs, better-sqlite3 left external) the module's own require resolves it.
function nodeRequire(): NodeJS.Require {
  return typeof require === 'function' ? require : createRequire(import.meta.url);
}

export function openBetterSqlite3(path: string, options: DriverOpenOptions): SqlDriver {
  const Database = loadBetterSqlite3();
  const db = new Database(path, { readonly: options.readonly, fileMustExist: options.readonly, timeout: busySliceMs(options) });
  const state = lockState(path, options);
  const driver: SqlDriver = {
    name: 'better-sqlite3',
    prepare(sql: string): SqlStatement {
      const statement = db.prepare<SqlValue[], Record<string, unknown>>(sql);
      // Only statements that return rows may be read with get()/all().
      const reads = statement.reader;
      return {
        run: (...params) => {
          const result = outsideTransaction(state, () => statement.run(...params));
          return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
        },
        get: reads ? (...params) => outsideTransaction(state, () => statement.get(...params)) : () => undefined,
        all: reads ? (...params) => outsideTransaction(state, () => statement.all(...params)) : () => [],
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
