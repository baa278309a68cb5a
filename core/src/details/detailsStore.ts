import type { SqlDriver, SqlStatement, SqlValue } from '../store/driver.ts';
import { DEFAULT_BUSY_TIMEOUT_MS } from '../store/openStore.ts';
import { orNull } from '../store/rows.ts';
import { openSideConnection, type SideConnection } from '../store/sideConnection.ts';
import { toStoreError } from '../store/sqliteErrors.ts';
import type { RunStore } from '../store/types.ts';
import type { ArtifactRecord, AttemptResources, GitExtras, HostInfo, NewArtifact, RunDetailRecord } from './types.ts';

/** A file as last recorded: enough to skip hashing it again when size and mtime still match. */
export interface KnownFile {
  size: number | undefined;
  mtimeMs: number | undefined;
  sha256: string | undefined;
}

/**
 * The details side of the run store: its own connection to the store file (like TriggerStore),
 * opened after the run store has brought the schema up to date. Writers batch: a run's details
 * are a handful of transactions, not one per event.
 */
export class DetailsStore {
  readonly path: string;
  private readonly db: SqlDriver;
  private readonly prepared: (text: string) => SqlStatement;
  private readonly busyTimeoutMs: number;
  private closed = false;

  private constructor(side: SideConnection) {
    this.db = side.db;
    this.prepared = side.prepared;
    this.path = side.path;
    this.busyTimeoutMs = side.busyTimeoutMs;
  }

  static open(store: RunStore, options: { busyTimeoutMs?: number } = {}): DetailsStore {
    try {
      return new DetailsStore(openSideConnection(store, { readonly: store.readonly, busyTimeoutMs: options.busyTimeoutMs }));
    } catch (error) {
      throw toStoreError(error, store.path, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    }
  }

  // ---- writes ----

  /**
   * The run store's own durability (openStore: WAL with synchronous NORMAL) for this connection:
   * SQLite's default (FULL) syncs the WAL at every commit, which held the recorder's thread (and
   * with it the scheduler) for milliseconds per sweep on a busy disk. A recorder calls this once.
   */
  syncLikeRunStore(): void {
    this.guard(() => this.db.exec('PRAGMA synchronous = NORMAL'));
  }

  saveDefinition(runId: number, text: string, sha256: string): void {
    this.upsert(runId, { definition: text, definition_sha256: sha256 });
  }

  saveHost(runId: number, host: HostInfo): void {
    this.upsert(runId, { host_name: host.name, host_os: host.os, host_cpus: host.cpus, runtime_version: host.runtime, tool_version: host.tool });
  }

  saveGit(runId: number, git: GitExtras): void {
    this.upsert(runId, { git_author: orNull(git.author), git_commit_time: orNull(git.commitTime), git_subject: orNull(git.subject), git_remote: orNull(git.remote) });
  }

  saveReady(runId: number, ready: readonly { block: string; at: number }[]): void {
    this.saveTimings(runId, ready, []);
  }

  saveResources(list: readonly AttemptResources[]): void {
    this.saveTimings(undefined, [], list);
  }

  /** When blocks became ready (of run `runId`) and attempts' resources, in one transaction. */
  saveTimings(runId: number | undefined, ready: readonly { block: string; at: number }[], resources: readonly AttemptResources[]): void {
    if ((ready.length === 0 || runId === undefined) && resources.length === 0) return;
    this.write(() => {
      if (runId !== undefined && ready.length > 0) {
        const insert = this.sql('INSERT OR REPLACE INTO block_ready (run_id, block, ready_at) VALUES (?, ?, ?)');
        for (const r of ready) insert.run(runId, r.block, r.at);
      }
      if (resources.length === 0) return;
      const insert = this.sql(
        `INSERT OR REPLACE INTO attempt_resources (block_run_id, run_id, pid, method, cpu_user_ms, cpu_system_ms, peak_rss_bytes, read_bytes, write_bytes, samples)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const r of resources) {
        insert.run(r.blockRunId, r.runId, orNull(r.pid), r.method, orNull(r.cpuUserMs), orNull(r.cpuSystemMs), orNull(r.peakRssBytes), orNull(r.readBytes), orNull(r.writeBytes), r.samples);
      }
    });
  }

  saveArtifacts(list: readonly NewArtifact[]): void {
    if (list.length === 0) return;
    this.write(() => {
      const insert = this.sql(
        `INSERT INTO artifact (run_id, block_run_id, pipeline_file, block, direction, declared, path, size, mtime_ms, sha256, hash_note, changed, lineage_block_run_id, reused_from_block_run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const a of list) {
        insert.run(
          a.runId, a.blockRunId, a.pipelineFile, a.block, a.direction, a.declared, a.path, orNull(a.size), orNull(a.mtimeMs), orNull(a.sha256), orNull(a.hashNote),
          a.changed === undefined ? null : Number(a.changed), orNull(a.lineageBlockRunId), orNull(a.reusedFromBlockRunId),
        );
      }
    });
  }

  // ---- lookups while recording ----

  /** The newest record of this file (either direction), for skipping a re-hash. */
  knownFile(path: string): KnownFile | undefined {
    const row = this.guard(() => this.sql('SELECT size, mtime_ms, sha256 FROM artifact WHERE path = ? AND sha256 IS NOT NULL ORDER BY id DESC LIMIT 1').get(path));
    return row === undefined ? undefined : { size: optionalNumber(row.size), mtimeMs: optionalNumber(row.mtime_ms), sha256: optionalString(row.sha256) };
  }

  /**
   * For every block of the pipeline file and each direction, its files in the newest completed
   * block run before `runId` (in one query: a run's recording asks this
   * once instead of twice per block. Keyed `block\0direction`, then by path.
   */
  previousRunFiles(pipelineFile: string, runId: number): Map<string, Map<string, KnownFile>> {
    const rows = this.guard(() => this.sql(
      `WITH last AS (
         SELECT a.block, a.direction, max(a.block_run_id) AS id FROM artifact a JOIN block_run b ON b.id = a.block_run_id
         WHERE a.pipeline_file = ? AND a.run_id < ? AND b.status = 'completed' GROUP BY a.block, a.direction)
       SELECT a.block, a.direction, a.path, a.sha256, a.size, a.mtime_ms FROM last JOIN artifact a ON a.block_run_id = last.id AND a.direction = last.direction`,
    ).all(pipelineFile, runId));
    const byBlock = new Map<string, Map<string, KnownFile>>();
    for (const r of rows) {
      const key = `${String(r.block)}\0${String(r.direction)}`;
      let files = byBlock.get(key);
      if (files === undefined) byBlock.set(key, (files = new Map<string, KnownFile>()));
      files.set(String(r.path), { size: optionalNumber(r.size), mtimeMs: optionalNumber(r.mtime_ms), sha256: optionalString(r.sha256) });
    }
    return byBlock;
  }

  /** The block run that last wrote this file: a cached block's record names the one it reused. */
  lastWriter(path: string): number | undefined {
    const row = this.guard(() => this.sql("SELECT block_run_id, reused_from_block_run_id FROM artifact WHERE path = ? AND direction = 'output' ORDER BY id DESC LIMIT 1").get(path));
    return optionalNumber(row?.reused_from_block_run_id) ?? optionalNumber(row?.block_run_id);
  }

  /**
   * The records a cached block copies: those of the block run its cache hit names, or when that one
   * has none (recorded with details off, or a cached row from before they were copied) those of the
   * newest earlier run of the block with the same fingerprint and the same output hashes: the same files.
   */
  reusableArtifacts(blockRunId: number): { from: number; records: ArtifactRecord[] } | undefined {
    // CROSS JOIN keeps the hit (by its id) first; artifact rows are found by (run_id, block_run_id), their index.
    const source = this.guard(() => this.sql(
      `SELECT s.id, s.run_id FROM block_run h CROSS JOIN block_run s ON s.pipeline_file = h.pipeline_file AND s.block = h.block AND s.fingerprint = h.fingerprint
       WHERE h.id = ? AND s.id <= h.id AND s.status IN ('completed', 'cached') AND s.output_hashes IS h.output_hashes
         AND EXISTS (SELECT 1 FROM artifact a WHERE a.run_id = s.run_id AND a.block_run_id = s.id)
       ORDER BY s.id DESC LIMIT 1`,
    ).get(blockRunId));
    if (source === undefined) return undefined;
    const from = Number(source.id);
    const runId = Number(source.run_id);
    const rows = this.guard(() => this.sql(`${ARTIFACT_SELECT} WHERE a.run_id = ? AND a.block_run_id = ? ORDER BY a.id`).all(runId, from));
    return { from, records: rows.map((r) => toArtifact(runId, r)) };
  }

  // ---- reads ----

  runDetail(runId: number): RunDetailRecord | undefined {
    const row = this.guard(() => this.sql('SELECT * FROM run_detail WHERE run_id = ?').get(runId));
    return row === undefined ? undefined : toRunDetail(runId, row);
  }

  readyTimes(runId: number): Map<string, number> {
    const rows = this.guard(() => this.sql('SELECT block, ready_at FROM block_ready WHERE run_id = ?').all(runId));
    return new Map(rows.map((r) => [String(r.block), Number(r.ready_at)]));
  }

  resources(runId: number): AttemptResources[] {
    const rows = this.guard(() => this.sql('SELECT * FROM attempt_resources WHERE run_id = ? ORDER BY block_run_id').all(runId));
    return rows.map((r) => toResources(runId, r));
  }

  artifacts(runId: number): ArtifactRecord[] {
    const rows = this.guard(() => this.sql(`${ARTIFACT_SELECT} WHERE a.run_id = ? ORDER BY a.id`).all(runId));
    return rows.map((r) => toArtifact(runId, r));
  }

  /** Stored log bytes per block run of the run. */
  logSizes(runId: number): Map<number, number> {
    const rows = this.guard(() => this.sql(
      'SELECT l.block_run_id AS id, sum(length(CAST(l.chunk AS BLOB))) AS bytes FROM block_log l JOIN block_run b ON b.id = l.block_run_id WHERE b.run_id = ? GROUP BY l.block_run_id',
    ).all(runId));
    return new Map(rows.map((r) => [Number(r.id), Number(r.bytes)]));
  }

  /** Durations (ms) of the block's last `limit` completed attempts in runs before `runId`, newest first. */
  durationHistory(pipelineFile: string, block: string, runId: number, limit = 20): number[] {
    const rows = this.guard(() => this.sql(
      `SELECT finished_at - started_at AS ms FROM block_run
       WHERE pipeline_file = ? AND block = ? AND status = 'completed' AND run_id < ? AND started_at IS NOT NULL AND finished_at IS NOT NULL
       ORDER BY id DESC LIMIT ?`,
    ).all(pipelineFile, block, runId, limit));
    return rows.map((r) => Number(r.ms));
  }

  /** One row per run of the pipeline file (newest first) with the block's latest attempt's status and outputs. */
  blockOutputsByRun(block: string, filter: { pipelineFile?: string; runIds?: number[]; limit?: number }): { runId: number; pipelineFile: string; status: string; outputs: Record<string, string>; finishedAt: number | undefined }[] {
    const where: string[] = ['b.block = ?'];
    const params: SqlValue[] = [block];
    if (filter.pipelineFile !== undefined) {
      where.push('b.pipeline_file = ?');
      params.push(filter.pipelineFile);
    }
    if (filter.runIds !== undefined) {
      where.push('b.run_id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(filter.runIds));
    }
    const rows = this.guard(() => this.sql(
      `SELECT b.run_id, b.pipeline_file, b.status, b.outputs, b.finished_at FROM block_run b
       WHERE ${where.join(' AND ')} AND b.attempt = (SELECT max(l.attempt) FROM block_run l WHERE l.run_id = b.run_id AND l.block = b.block)
       ORDER BY b.run_id DESC LIMIT ?`,
    ).all(...params, filter.limit ?? 1_000_000));
    return rows.map((r) => ({
      runId: Number(r.run_id), pipelineFile: String(r.pipeline_file), status: String(r.status),
      outputs: parseObject(r.outputs), finishedAt: optionalNumber(r.finished_at),
    }));
  }

  // ---- batch reads (an export's page of runs: one query per table, not one per run) ----

  /** runDetail of each run that has one. */
  runDetailsOf(runIds: readonly number[]): Map<number, RunDetailRecord> {
    const rows = this.guard(() => this.sql('SELECT * FROM run_detail WHERE run_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(runIds)));
    return new Map(rows.map((r) => [Number(r.run_id), toRunDetail(Number(r.run_id), r)]));
  }

  /** readyTimes of each run that has some. */
  readyTimesOf(runIds: readonly number[]): Map<number, Map<string, number>> {
    const rows = this.guard(() => this.sql('SELECT run_id, block, ready_at FROM block_ready WHERE run_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(runIds)));
    return groupBy(rows, (r) => Number(r.run_id), () => new Map<string, number>(), (m, r) => m.set(String(r.block), Number(r.ready_at)));
  }

  /** resources of each run that has some, each list in block run order. */
  resourcesOf(runIds: readonly number[]): Map<number, AttemptResources[]> {
    const rows = this.guard(() => this.sql('SELECT * FROM attempt_resources WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY block_run_id').all(JSON.stringify(runIds)));
    return groupBy(rows, (r) => Number(r.run_id), (): AttemptResources[] => [], (list, r) => list.push(toResources(Number(r.run_id), r)));
  }

  /** artifacts of each run that has some, each list in id order. */
  artifactsOf(runIds: readonly number[]): Map<number, ArtifactRecord[]> {
    const rows = this.guard(() => this.sql(`${ARTIFACT_SELECT} WHERE a.run_id IN (SELECT value FROM json_each(?)) ORDER BY a.id`).all(JSON.stringify(runIds)));
    return groupBy(rows, (r) => Number(r.run_id), (): ArtifactRecord[] => [], (list, r) => list.push(toArtifact(Number(r.run_id), r)));
  }

  /** logSizes of each run that has logs, asked by the runs' block run ids (the log table's index). */
  logSizesOf(blockRuns: readonly { id: number; runId: number }[]): Map<number, Map<number, number>> {
    const runOf = new Map(blockRuns.map((b) => [b.id, b.runId]));
    const rows = this.guard(() => this.sql(
      'SELECT block_run_id AS id, sum(length(CAST(chunk AS BLOB))) AS bytes FROM block_log WHERE block_run_id IN (SELECT value FROM json_each(?)) GROUP BY block_run_id',
    ).all(JSON.stringify([...runOf.keys()])));
    return groupBy(rows, (r) => runOf.get(Number(r.id)) ?? 0, () => new Map<number, number>(), (m, r) => m.set(Number(r.id), Number(r.bytes)));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private upsert(runId: number, columns: Record<string, SqlValue>): void {
    const names = Object.keys(columns);
    this.write(() =>
      this.sql(
        `INSERT INTO run_detail (run_id, ${names.join(', ')}) VALUES (?, ${names.map(() => '?').join(', ')})
         ON CONFLICT (run_id) DO UPDATE SET ${names.map((n) => `${n} = excluded.${n}`).join(', ')}`,
      ).run(runId, ...names.map((n) => columns[n] ?? null)),
    );
  }

  private write(fn: () => void): void {
    this.guard(() => this.db.transaction(fn));
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

const ARTIFACT_SELECT = `SELECT a.*, w.run_id AS lineage_run_id, w.block AS lineage_block, f.run_id AS reused_from_run_id FROM artifact a
  LEFT JOIN block_run w ON w.id = a.lineage_block_run_id LEFT JOIN block_run f ON f.id = a.reused_from_block_run_id`;

type Row = Record<string, unknown>;

function toRunDetail(runId: number, row: Row): RunDetailRecord {
  const hostName = optionalString(row.host_name);
  const hasGit = row.git_author !== null || row.git_subject !== null || row.git_remote !== null || row.git_commit_time !== null;
  return {
    runId,
    definition: optionalString(row.definition),
    definitionSha256: optionalString(row.definition_sha256),
    git: hasGit ? { author: optionalString(row.git_author), commitTime: optionalNumber(row.git_commit_time), subject: optionalString(row.git_subject), remote: optionalString(row.git_remote) } : undefined,
    host: hostName === undefined ? undefined : {
      name: hostName, os: optionalString(row.host_os) ?? '', cpus: Number(row.host_cpus ?? 0), runtime: optionalString(row.runtime_version) ?? '', tool: optionalString(row.tool_version) ?? '',
    },
  };
}

function toResources(runId: number, r: Row): AttemptResources {
  return {
    blockRunId: Number(r.block_run_id), runId, pid: optionalNumber(r.pid), method: r.method === 'proc' ? 'proc' : 'none',
    cpuUserMs: optionalNumber(r.cpu_user_ms), cpuSystemMs: optionalNumber(r.cpu_system_ms), peakRssBytes: optionalNumber(r.peak_rss_bytes),
    readBytes: optionalNumber(r.read_bytes), writeBytes: optionalNumber(r.write_bytes), samples: Number(r.samples),
  };
}

function toArtifact(runId: number, r: Row): ArtifactRecord {
  return {
    id: Number(r.id), runId, blockRunId: Number(r.block_run_id), pipelineFile: String(r.pipeline_file), block: String(r.block),
    direction: r.direction === 'input' ? 'input' : 'output', declared: String(r.declared), path: String(r.path),
    size: optionalNumber(r.size), mtimeMs: optionalNumber(r.mtime_ms), sha256: optionalString(r.sha256), hashNote: optionalString(r.hash_note),
    changed: r.changed === null || r.changed === undefined ? undefined : Number(r.changed) === 1,
    lineageBlockRunId: optionalNumber(r.lineage_block_run_id), lineageRunId: optionalNumber(r.lineage_run_id), lineageBlock: optionalString(r.lineage_block),
    reusedFromBlockRunId: optionalNumber(r.reused_from_block_run_id), reusedFromRunId: optionalNumber(r.reused_from_run_id),
  };
}

/** Rows grouped by run: `make` a value for each run seen, `add` each row to it. */
function groupBy<T>(rows: readonly Row[], key: (r: Row) => number, make: () => T, add: (value: T, r: Row) => unknown): Map<number, T> {
  const out = new Map<number, T>();
  for (const r of rows) {
    const k = key(r);
    let value = out.get(k);
    if (value === undefined) out.set(k, (value = make()));
    add(value, r);
  }
  return out;
}

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function optionalString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
}

function parseObject(value: unknown): Record<string, string> {
  try {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : undefined;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, string>;
  } catch {
    // a hand-edited row: no outputs
  }
  return {};
}
