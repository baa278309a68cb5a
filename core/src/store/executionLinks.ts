import type { SqlDriver, SqlStatement } from './driver.ts';
import { DEFAULT_BUSY_TIMEOUT_MS } from './openStore.ts';
import { openSideConnection, type SideConnection } from './sideConnection.ts';
import { toStoreError } from './sqliteErrors.ts';
import type { RunStatus, RunStore } from './types.ts';

export interface SubRunLink {
  childRunId: number;
  parentRunId: number;
  parentBlock: string;
  parentBlockRunId: number | undefined;
}

/** The links of a page of runs (ExecutionLinks.linksOf), by run id; a run without one is absent. */
export interface PageLinks {
  profiles: Map<number, string>;
  /** By child run id. */
  parents: Map<number, SubRunLink>;
  /** By parent run id, oldest child first. */
  children: Map<number, (SubRunLink & { status: RunStatus | undefined })[]>;
}

const LINK_SELECT = 'SELECT child_run_id, parent_run_id, parent_block, parent_block_run_id FROM sub_run';

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
    return this.guard(() => this.prepared(`${LINK_SELECT} WHERE parent_run_id = ? ORDER BY child_run_id`)
      .all(parentRunId).map(linkOf));
  }

  /** The latest child run a block of a run started. */
  childOf(parentRunId: number, block: string): number | undefined {
    return this.children(parentRunId).filter((l) => l.parentBlock === block).at(-1)?.childRunId;
  }

  parentOf(childRunId: number): SubRunLink | undefined {
    return this.guard(() => {
      const row = this.prepared(`${LINK_SELECT} WHERE child_run_id = ?`).get(childRunId);
      return row === undefined ? undefined : linkOf(row);
    });
  }

  /**
   * The links of a page of runs, one query per kind (an export asks for 500 runs at a time; run by
   * run it was three queries a run and one more per child). Each child carries its run's status,
   * undefined when the child run was deleted.
   */
  linksOf(runIds: readonly number[]): PageLinks {
    const ids = JSON.stringify(runIds);
    return this.guard(() => {
      const profiles = new Map<number, string>();
      for (const r of this.prepared('SELECT run_id, profile FROM run_profile WHERE run_id IN (SELECT value FROM json_each(?))').all(ids)) profiles.set(Number(r.run_id), String(r.profile));
      const parents = new Map<number, SubRunLink>();
      for (const r of this.prepared(`${LINK_SELECT} WHERE child_run_id IN (SELECT value FROM json_each(?))`).all(ids)) parents.set(Number(r.child_run_id), linkOf(r));
      const children = new Map<number, (SubRunLink & { status: RunStatus | undefined })[]>();
      const childRows = this.prepared(`SELECT s.child_run_id, s.parent_run_id, s.parent_block, s.parent_block_run_id, r.status FROM sub_run s
        LEFT JOIN pipeline_run r ON r.id = s.child_run_id WHERE s.parent_run_id IN (SELECT value FROM json_each(?)) ORDER BY s.parent_run_id, s.child_run_id`).all(ids);
      for (const r of childRows) {
        const parent = Number(r.parent_run_id);
        let list = children.get(parent);
        if (list === undefined) children.set(parent, (list = []));
        list.push({ ...linkOf(r), status: typeof r.status === 'string' ? r.status as RunStatus : undefined });
      }
      return { profiles, parents, children };
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
