import { hostname } from 'node:os';
import type { SqlDriver, SqlStatement } from './driver.ts';
import { openStore } from './openStore.ts';
import { isOwnerGone } from './ownerLiveness.ts';
import { openSideConnection, type SideConnection } from './sideConnection.ts';
import { toStoreError } from './sqliteErrors.ts';
import type { RunStore } from './types.ts';

export interface LeaseInfo {
  holder: string;
  ownerPid: number;
  ownerHost: string;
  acquiredAt: number;
  heartbeatAt: number;
}

export interface NewFire {
  pipelineFile: string;
  trigger: string;
  kind: string;
  scheduledFor: number;
  firedAt: number;
  /** The file that fired an event trigger. */
  detail?: string;
  upstreamRunId?: number;
}

export interface FireRecord extends NewFire {
  id: number;
  holder: string;
  runId: number | undefined;
  outcome: string;
}

/**
 * The scheduler's side of the run store: the lease (one scheduler per store fires) and the fires.
 * Its own connection to the store file, opened after the run store has brought the schema up to date.
 */
export class TriggerStore {
  readonly path: string;
  private readonly db: SqlDriver;
  private readonly prepared: (text: string) => SqlStatement;
  private readonly busyTimeoutMs: number;

  private constructor(side: SideConnection) {
    this.db = side.db;
    this.prepared = side.prepared;
    this.path = side.path;
    this.busyTimeoutMs = side.busyTimeoutMs;
  }

  /** Opens the trigger tables of the store at `store.path` (same driver as the run store). */
  static open(store: RunStore, options: { busyTimeoutMs?: number } = {}): TriggerStore {
    // The driver waits as the run store's does (see lockWait): SQLite's busy timeout is one slice, and
    // a write gives up only after the store has stopped changing for the whole stall period.
    return new TriggerStore(openSideConnection(store, { readonly: false, busyTimeoutMs: options.busyTimeoutMs }));
  }

  /** For tools and tests: opens (and migrates) the store at path, then its trigger tables. */
  static openPath(path: string): { store: RunStore; triggers: TriggerStore } {
    const store = openStore(path);
    return { store, triggers: TriggerStore.open(store) };
  }

  /**
   * Takes or keeps the lease. Another holder's lease is taken over when its process is gone (asked
   * directly on this host) or its heartbeat is older than `staleMs`. True when `holder` holds it now.
   */
  tryAcquireLease(holder: string, now: number, staleMs: number): boolean {
    return this.write(() => {
      const row = this.sql('SELECT holder, owner_pid, owner_host, acquired_at, heartbeat_at FROM scheduler_lease WHERE id = 1').get();
      if (row === undefined) {
        this.sql('INSERT INTO scheduler_lease (id, holder, owner_pid, owner_host, acquired_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?)').run(holder, process.pid, hostname(), now, now);
        return true;
      }
      if (String(row.holder) === holder) {
        this.sql('UPDATE scheduler_lease SET heartbeat_at = ? WHERE id = 1').run(now);
        return true;
      }
      const owner = { ownerPid: Number(row.owner_pid), ownerHost: String(row.owner_host), heartbeatAt: Number(row.heartbeat_at) };
      const stale = now - owner.heartbeatAt > staleMs || (owner.ownerPid !== process.pid && isOwnerGone(owner, Math.max(now, Date.now())));
      if (!stale) return false;
      this.sql('UPDATE scheduler_lease SET holder = ?, owner_pid = ?, owner_host = ?, acquired_at = ?, heartbeat_at = ? WHERE id = 1').run(holder, process.pid, hostname(), now, now);
      return true;
    });
  }

  releaseLease(holder: string): void {
    this.write(() => this.sql('DELETE FROM scheduler_lease WHERE id = 1 AND holder = ?').run(holder));
  }

  lease(): LeaseInfo | undefined {
    return this.guard(() => {
      const row = this.sql('SELECT holder, owner_pid, owner_host, acquired_at, heartbeat_at FROM scheduler_lease WHERE id = 1').get();
      if (row === undefined) return undefined;
      return { holder: String(row.holder), ownerPid: Number(row.owner_pid), ownerHost: String(row.owner_host), acquiredAt: Number(row.acquired_at), heartbeatAt: Number(row.heartbeat_at) };
    });
  }

  /**
   * Records a fire if `holder` still holds the lease and nobody fired this tick: in one transaction,
   * so a scheduler that lost the lease a moment ago cannot fire a tick its successor fires too.
   * Returns the fire's id, or undefined when this scheduler must not fire it.
   */
  claimFire(holder: string, fire: NewFire): number | undefined {
    return this.write(() => {
      const lease = this.sql('SELECT holder FROM scheduler_lease WHERE id = 1').get();
      if (lease === undefined || String(lease.holder) !== holder) return undefined;
      const result = this.sql(
        `INSERT OR IGNORE INTO trigger_fire (pipeline_file, trigger, kind, scheduled_for, fired_at, holder, detail, upstream_run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(fire.pipelineFile, fire.trigger, fire.kind, fire.scheduledFor, fire.firedAt, holder, fire.detail ?? null, fire.upstreamRunId ?? null);
      return result.changes === 0 ? undefined : result.lastInsertRowid;
    });
  }

  setFireOutcome(id: number, outcome: string, runId?: number): void {
    this.write(() => this.sql('UPDATE trigger_fire SET outcome = ?, run_id = coalesce(?, run_id) WHERE id = ?').run(outcome, runId ?? null, id));
  }

  /** Appends a line (an alert) to a fire's outcome. */
  appendOutcome(runId: number, line: string): void {
    this.write(() => this.sql("UPDATE trigger_fire SET outcome = outcome || char(10) || ? WHERE run_id = ?").run(line, runId));
  }

  /** The latest tick fired for a trigger (for catch-up), or undefined. */
  lastScheduledFor(pipelineFile: string, trigger: string): number | undefined {
    return this.guard(() => {
      const row = this.sql('SELECT max(scheduled_for) AS t FROM trigger_fire WHERE pipeline_file = ? AND trigger = ?').get(pipelineFile, trigger);
      return row?.t === null || row?.t === undefined ? undefined : Number(row.t);
    });
  }

  /** How long the last `limit` completed runs of a pipeline took (ms), newest first. */
  recentDurations(pipelineFile: string, limit = 20): number[] {
    return this.guard(() =>
      this.sql(`SELECT finished_at - coalesce(started_at, created_at) AS ms FROM pipeline_run
                WHERE pipeline_file = ? AND status = 'completed' AND finished_at IS NOT NULL ORDER BY id DESC LIMIT ?`)
        .all(pipelineFile, limit).map((row) => Number(row.ms)).filter((ms) => Number.isFinite(ms) && ms >= 0),
    );
  }

  /** The triggers turned off on this store, as triggerKey gives them (`<file>#<trigger>`). */
  disabledKeys(): Set<string> {
    return this.guard(() => new Set(this.sql('SELECT pipeline_file, trigger FROM trigger_disabled').all().map((row) => `${String(row.pipeline_file)}#${String(row.trigger)}`)));
  }

  /** Turns a trigger off (or on again) for every scheduler and window on this store. */
  setDisabled(pipelineFile: string, trigger: string, disabled: boolean, now = Date.now()): void {
    this.write(() => {
      if (disabled) this.sql('INSERT OR IGNORE INTO trigger_disabled (pipeline_file, trigger, disabled_at) VALUES (?, ?, ?)').run(pipelineFile, trigger, now);
      else this.sql('DELETE FROM trigger_disabled WHERE pipeline_file = ? AND trigger = ?').run(pipelineFile, trigger);
    });
  }

  /**
   * Claims the showing of an alert (a run and a kind of alert) for `by`: true for the first claim
   * only, so that of several windows on the store one shows it.
   */
  claimAlert(runId: number, kind: string, by: string, now = Date.now()): boolean {
    return this.write(() => this.sql('INSERT OR IGNORE INTO trigger_alert_shown (run_id, kind, shown_at, shown_by) VALUES (?, ?, ?, ?)').run(runId, kind, now, by).changes > 0);
  }

  fires(): FireRecord[] {
    return this.guard(() =>
      this.sql('SELECT id, pipeline_file, trigger, kind, scheduled_for, fired_at, holder, run_id, detail, upstream_run_id, outcome FROM trigger_fire ORDER BY id').all().map((row) => ({
        id: Number(row.id), pipelineFile: String(row.pipeline_file), trigger: String(row.trigger), kind: String(row.kind), scheduledFor: Number(row.scheduled_for),
        firedAt: Number(row.fired_at), holder: String(row.holder), runId: row.run_id === null ? undefined : Number(row.run_id),
        ...(row.detail === null ? {} : { detail: row.detail as string }), ...(row.upstream_run_id === null ? {} : { upstreamRunId: Number(row.upstream_run_id) }),
        outcome: String(row.outcome),
      })),
    );
  }

  close(): void {
    this.db.close();
  }

  private write<T>(fn: () => T): T {
    return this.guard(() => this.db.transaction(fn));
  }

  private sql(text: string): SqlStatement {
    return this.prepared(text);
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw toStoreError(error, this.path, this.busyTimeoutMs);
    }
  }
}
