import { statSync } from 'node:fs';
import { sqliteCode, StalledLockError } from './sqliteErrors.ts';

/**
 * SQLite's own busy handler waits at most this long per attempt (sleeping 1 to 100 ms between
 * tries); between attempts the store looks for progress. Short, so a stall is noticed promptly.
 */
export const BUSY_SLICE_MS = 250;

export type LockWait = <T>(attempt: () => T) => T;

/**
 * Runs attempt(); while it fails with SQLITE_BUSY, tries again for as long as another writer is
 * making progress. A fixed busy timeout refuses a writer that merely lost the race for the lock
 * many times on a busy machine (SQLite's busy handler is not a queue); here a writer waits while
 * the store's files keep changing (every commit appends to the WAL, every checkpoint writes the
 * database), and gives up only after stallMs with no change at all: a holder that is stopped or hung.
 * An attempt that fails with SQLITE_BUSY changed nothing, so trying it again is safe.
 */
export function lockWait(path: string, stallMs: number, now: () => number = () => performance.now()): LockWait {
  return <T>(attempt: () => T): T => {
    let lastChange = now();
    let seen: string | undefined;
    for (;;) {
      const startedAt = now();
      try {
        return attempt();
      } catch (error) {
        if (sqliteCode(error) !== 'SQLITE_BUSY' || error instanceof StalledLockError) throw error;
        // Some refusals skip SQLite's busy handler (a journal-mode change while another process
        // creates the store); pause briefly rather than spin.
        if (now() - startedAt < 1) sleepMs(5);
        const state = fileState(path);
        const at = now();
        if (seen !== undefined && state !== seen) lastChange = at;
        seen = state;
        if (at - lastChange >= stallMs) throw new StalledLockError(stallMs, error);
      }
    }
  };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread, as SQLite's busy handler itself does: the drivers are synchronous. */
function sleepMs(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

/** Identity, size and modification time (ns) of the database, its WAL and its rollback journal. */
function fileState(path: string): string {
  return ['', '-wal', '-journal']
    .map((suffix) => {
      const stat = statSync(path + suffix, { bigint: true, throwIfNoEntry: false });
      return stat === undefined ? '-' : `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
    })
    .join('|');
}
