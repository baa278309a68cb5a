import type { SqlDriver, SqlStatement } from './driver.ts';
import { DEFAULT_BUSY_TIMEOUT_MS } from './openStore.ts';
import { openSideConnection, type SideConnection } from './sideConnection.ts';
import { toStoreError } from './sqliteErrors.ts';
import type { RunStore } from './types.ts';

export interface SubRunLink {
  childRunId: number;
  parentRunId: number;
  parentBlock: string;
  parentBlockRunId: number | undefined;
}

/**
 * The sub-pipeline links and run profiles of a store (executionTables.ts), on a connection of its
 * own to the store file, opened after the run store has brought the schema up to date.
 */
export class ExecutionLinks {
  private readonly db: SqlDriver;
  private readonly prepared: (text: string) => SqlStatement;
  private readonly path: string;

  private constructor(side: SideConnection) {
    this.db = side.db;
    this.path = side.path;
    this.prepared = side.prepared;
  }

  static open(store: RunStore, options: { readonly?: boolean } = {}): ExecutionLinks {
    return new ExecutionLinks(openSideConnection(store, { readonly: options.readonly ?? false }));
  }

  linkChild(link: SubRunLink): void {
    this.guard(() => this.db.transaction(() => this.prepared('INSERT OR REPLACE INTO sub_run (child_run_id, parent_run_id, parent_block, parent_block_run_id) VALUES (?, ?, ?, ?)')
      .run(link.childRunId, link.parentRunId, link.parentBlock, link.parentBlockRunId ?? null)));
  }

  /** The children a run started, oldest first (a retried block's block has one per attempt). */
  children(parentRunId: number): SubRunLink[] {
    return this.guard(() => this.prepared('SELECT child_run_id, parent_run_id, parent_block, parent_block_run_id FROM sub_run WHERE parent_run_id = ? ORDER BY child_run_id')
      .all(parentRunId).map(linkOf));
  }

  /** The latest child run a block of a run started. */
  childOf(parentRunId: number, block: string): number | undefined {
    return this.children(parentRunId).filter((l) => l.parentBlock === block).at(-1)?.childRunId;
  }

  parentOf(childRunId: number): SubRunLink | undefined {
    return this.guard(() => {
      const row = this.prepared('SELECT child_run_id, parent_run_id, parent_block, parent_block_run_id FROM sub_run WHERE child_run_id = ?').get(childRunId);
      return row === undefined ? undefined : linkOf(row);
    });
  }

  setProfile(runId: number, profile: string): void {
    this.guard(() => this.db.transaction(() => this.prepared('INSERT OR REPLACE INTO run_profile (run_id, profile) VALUES (?, ?)').run(runId, profile)));
  }

  profileOf(runId: number): string | undefined {
    return this.guard(() => {
      const row = this.prepared('SELECT profile FROM run_profile WHERE run_id = ?').get(runId);
      return row === undefined ? undefined : String(row.profile);
    });
  }

  close(): void {
    this.db.close();
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw toStoreError(error, this.path, DEFAULT_BUSY_TIMEOUT_MS);
    }
  }
}

function linkOf(row: Record<string, unknown>): SubRunLink {
  const blockRun = row.parent_block_run_id;
  return {
    childRunId: Number(row.child_run_id), parentRunId: Number(row.parent_run_id), parentBlock: String(row.parent_block),
    parentBlockRunId: typeof blockRun === 'number' || typeof blockRun === 'bigint' ? Number(blockRun) : undefined,
  };
}
