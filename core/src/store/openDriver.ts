import { openBetterSqlite3, loadBetterSqlite3 } from './betterSqliteDriver.ts';
import type { DriverOpenOptions, SqlDriver } from './driver.ts';
import { loadNodeSqlite, openNodeSqlite } from './nodeSqliteDriver.ts';
import { StoreError, type DriverChoice } from './types.ts';

const CANDIDATES = [
  { name: 'better-sqlite3', load: loadBetterSqlite3, open: openBetterSqlite3 },
  { name: 'node:sqlite', load: loadNodeSqlite, open: openNodeSqlite },
] as const;

/**
 * Opens the file with the chosen driver, or with the first that loads for `auto`. Loading is
 * separate from opening so that a missing driver falls back, while an error about the file itself
 * (locked, not a database) is reported as such rather than hidden by trying the next driver.
 */
export function openDriver(path: string, choice: DriverChoice, options: DriverOpenOptions): SqlDriver {
  const failures: string[] = [];
  for (const candidate of CANDIDATES) {
    if (choice !== 'auto' && choice !== candidate.name) continue;
    try {
      candidate.load();
    } catch (error) {
      failures.push(`${candidate.name}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    return candidate.open(path, options);
  }
  throw new StoreError(
    'driver',
    `Cannot open the run store: no SQLite driver loads in this runtime (Node ${process.version}, Node-API ${process.versions.napi ?? 'none'}` +
      `${process.versions.electron === undefined ? '' : `, Electron ${process.versions.electron}`}). ` +
      `Tried ${failures.join('; ')}. Needed: Node-API 10 or newer for better-sqlite3 (Node 22.14+), or the built-in node:sqlite (Node 22.13+).`,
  );
}

/** Which drivers can load here, for diagnostics and for tests that loop over both. */
export function availableDrivers(): ('better-sqlite3' | 'node:sqlite')[] {
  return CANDIDATES.filter((c) => {
    try {
      c.load();
      return true;
    } catch {
      return false;
    }
  }).map((c) => c.name);
}
