import { StoreError } from './types.ts';

// Primary result codes (https://sqlite.org/rescode.html); node:sqlite reports numbers, better-sqlite3 names.
const PRIMARY_CODES: Record<number, string> = {
  5: 'SQLITE_BUSY', 6: 'SQLITE_LOCKED', 8: 'SQLITE_READONLY', 10: 'SQLITE_IOERR', 11: 'SQLITE_CORRUPT',
  13: 'SQLITE_FULL', 14: 'SQLITE_CANTOPEN', 26: 'SQLITE_NOTADB',
};

/** The primary SQLite code of an error from either driver (`SQLITE_BUSY`, …), or undefined. */
export function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  if (typeof errcode === 'number') return PRIMARY_CODES[errcode & 0xff] ?? `SQLITE_${errcode & 0xff}`;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    const extended = /^(SQLITE_[A-Z]+?)_[A-Z_]+$/.exec(code);
    // `SQLITE_BUSY_SNAPSHOT` → `SQLITE_BUSY`, but leave `SQLITE_NOTADB` and friends alone.
    return extended !== null && Object.values(PRIMARY_CODES).includes(extended[1] ?? '') ? extended[1] : code;
  }
  return undefined;
}

/** Thrown when a lock's holder made no progress for the whole stall period (see lockWait.ts). */
export class StalledLockError extends Error {
  readonly code = 'SQLITE_BUSY';
  readonly stalledMs: number;
  constructor(stalledMs: number, cause: unknown) {
    super(`database is locked, and nothing has changed for ${stalledMs} ms`, { cause });
    this.stalledMs = stalledMs;
    this.name = 'StalledLockError';
  }
}

/** Turns a driver error into the StoreError users should see; other errors pass through. */
export function toStoreError(error: unknown, path: string, stallMs: number): unknown {
  if (error instanceof StoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  switch (sqliteCode(error)) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new StoreError(
        'locked',
        `The run store ${path} is locked by another process that has made no progress for ${seconds(error instanceof StalledLockError ? error.stalledMs : stallMs)}. ` +
          'A process is stopped or hung in the middle of a write: end it or let it continue, then try again, or use a different store with --store.',
      );
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return new StoreError('corrupt', `${path} is not a Pipeline Studio run store (${message}); it was left untouched. Move it away or choose another store with --store.`);
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_READONLY':
    case 'SQLITE_IOERR':
    case 'SQLITE_FULL':
      return new StoreError('io', `Cannot use the run store ${path}: ${message}`);
    default:
      return error;
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
