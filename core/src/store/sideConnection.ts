import { statementCache, type SqlDriver, type SqlStatement } from './driver.ts';
import { openDriver } from './openDriver.ts';
import { DEFAULT_BUSY_TIMEOUT_MS } from './openStore.ts';
import type { RunStore } from './types.ts';

/**
 * A connection of its own to a run store's file, for a side store (details, triggers, execution
 * links) that keeps its tables apart from the run store's. Opened after the run store has brought
 * the schema up to date, with the run store's driver; its busy timeout is one slice of the wait
 * (see lockWait), so a side store reports it with its errors as the run store does.
 */
export interface SideConnection {
  readonly db: SqlDriver;
  /** Prepared once per SQL text. */
  readonly prepared: (text: string) => SqlStatement;
  readonly path: string;
  readonly busyTimeoutMs: number;
}

export function openSideConnection(store: RunStore, options: { readonly?: boolean; busyTimeoutMs?: number } = {}): SideConnection {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const db = openDriver(store.path, store.driver, { readonly: options.readonly ?? false, busyTimeoutMs });
  return { db, prepared: statementCache(db), path: store.path, busyTimeoutMs };
}
