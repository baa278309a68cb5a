import { hostname } from 'node:os';
import { statementCache, type SqlDriver, type SqlStatement, type SqlValue } from './driver.ts';
import { CappedLogWriter, type LogSink } from './logWriter.ts';
import { HEARTBEAT_INTERVAL_MS, isOwnerGone } from './ownerLiveness.ts';
import { findGoneOwners, markInterrupted } from './interruptedRuns.ts';
import { BLOCK_RUN_COLUMNS, jsonOrNull, orNull, RUN_COLUMNS, toBlockRunRecord, toLogChunk, toRunRecord } from './rows.ts';
import { assign, runFilter, runOrder, timestampSets } from './sqlClauses.ts';
import { toStoreError } from './sqliteErrors.ts';
import { BLOCKS_ONLY, ITEM_COUNTS, ITEM_PAGE } from './fanOutTables.ts';
import {
  FINISHED_BLOCK_STATUSES, FINISHED_RUN_STATUSES, StoreError,
  type BlockRunRecord, type BlockRunUpdate, type BlockStatus, type LogChunk, type LogWriter, type NewBlockRun, type NewItemRun, type NewRun, type PipelineSummary,
  type RunColumns, type RunFact, type RunOutput, type RunQuery, type RunRecord, type RunStore, type RunSummary, type RunUpdate,
} from './types.ts';

export const DEFAULT_LIST_LIMIT = 100;
const FINISHED_RUN = `(${FINISHED_RUN_STATUSES.map((s) => `'${s}'`).join(', ')})`;
// Deleting history in slices keeps each write transaction short, so a run writing its logs
// meanwhile waits milliseconds, not the whole deletion.
const DELETE_SLICE = 200;

export interface SqliteRunStoreOptions {
  path: string;
  readonly: boolean;
  logCapBytes: number;
  busyTimeoutMs: number;
}

/** The RunStore over one SQLite connection; built by openStore() once the file is known good. */
export class SqliteRunStore implements RunStore {
  readonly path: string;
  readonly readonly: boolean;
  private readonly db: SqlDriver;
  private readonly prepared: (text: string) => SqlStatement;
  private readonly options: SqliteRunStoreOptions;
  private readonly ownedRuns = new Set<number>();
  private readonly writers = new Set<CappedLogWriter>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(db: SqlDriver, options: SqliteRunStoreOptions) {
    this.db = db;
    this.prepared = statementCache(db);
    this.options = options;
    this.path = options.path;
    this.readonly = options.readonly;
  }

  get driver(): SqlDriver['name'] {
    return this.db.name;
  }

  createRun(run: NewRun): RunRecord {
    return this.guard(() => {
      const now = Date.now();
      const id = this.write(() =>
        this.sql(
          `INSERT INTO pipeline_run (pipeline_name, pipeline_file, status, trigger, mode, selection, source_run_id, variables,
             git_commit, git_branch, git_dirty, created_at, owner_pid, owner_host, heartbeat_at, batch_id)
           VALUES (?, ?, 'initial', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          run.pipelineName, run.pipelineFile, run.trigger, run.mode, JSON.stringify(run.selection), orNull(run.sourceRunId),
          JSON.stringify(run.variables), orNull(run.git?.commit), orNull(run.git?.branch), run.git === undefined ? null : Number(run.git.dirty),
          now, process.pid, hostname(), now, orNull(run.batchId),
        ).lastInsertRowid,
      );
      this.ownedRuns.add(id);
      this.startHeartbeats();
      return this.mustGetRun(id);
    });
  }

  updateRun(id: number, update: RunUpdate): void {
    this.guard(() => {
      const now = Date.now();
      const sets: string[] = ['heartbeat_at = ?'];
      const params: SqlValue[] = [now];
      const finished = update.status !== undefined && FINISHED_RUN_STATUSES.includes(update.status);
      assign(sets, params, 'status = ?', update.status);
      timestampSets(sets, params, update, update.status === 'running', finished, now);
      assign(sets, params, 'error = ?', update.error);
      const changed = this.write(() => this.sql(`UPDATE pipeline_run SET ${sets.join(', ')} WHERE id = ?`).run(...params, id).changes);
      if (changed === 0) throw new StoreError('not-found', `Run #${id} is not in the store ${this.path}.`);
      if (finished) this.ownedRuns.delete(id);
    });
  }

  heartbeat(id: number): void {
    this.guard(() => this.write(() => this.sql('UPDATE pipeline_run SET heartbeat_at = ? WHERE id = ?').run(Date.now(), id)));
  }

  getRun(id: number): RunRecord | undefined {
    return this.guard(() => {
      const row = this.sql(`SELECT ${RUN_COLUMNS} FROM pipeline_run WHERE id = ?`).get(id);
      return row === undefined ? undefined : this.present(toRunRecord(row));
    });
  }

  latestRunId(query: Omit<RunQuery, 'limit' | 'before'> = {}): number | undefined {
    return this.guard(() => {
      const [where, params] = runFilter(query);
      const row = this.sql(`SELECT r.id FROM pipeline_run r ${where} ORDER BY r.id DESC LIMIT 1`).get(...params);
      return row === undefined ? undefined : Number(row.id);
    });
  }

  listRuns(query: RunQuery = {}): RunSummary[] {
    return this.guard(() => {
      this.markInterruptedIfFree();
      const [where, params] = runFilter(query);
      const order = runOrder(query, params);
      const limit = query.limit ?? DEFAULT_LIST_LIMIT;
      const runs = this.sql(`SELECT ${RUN_COLUMNS} FROM pipeline_run r ${where} ${order} LIMIT ? OFFSET ?`)
        .all(...params, limit, query.offset ?? 0)
        .map((row): RunSummary => ({ ...this.present(toRunRecord(row)), counts: {} }));
      if (runs.length === 0 || query.counts === false) return runs;
      const byId = new Map(runs.map((run) => [run.id, run]));
      // Counts over the latest attempt of each block: a retried block counts once, as it ended.
      // SQLite takes a bare column (status) from the row that max() picked: the latest attempt, in one pass over the index.
      const counts = this.sql(
        `SELECT run_id, status, count(*) AS n FROM (
           SELECT b.run_id, b.block, b.status, max(b.attempt) FROM block_run b WHERE b.run_id IN (SELECT value FROM json_each(?)) AND b.${BLOCKS_ONLY} GROUP BY b.run_id, b.block)
         GROUP BY run_id, status`,
      ).all(JSON.stringify([...byId.keys()]));
      for (const row of counts) {
        const run = byId.get(Number(row.run_id));
        if (run === undefined) continue;
        let status = String(row.status) as BlockStatus;
        if (run.status === 'interrupted' && !FINISHED_BLOCK_STATUSES.includes(status)) status = 'cancelled';
        run.counts[status] = (run.counts[status] ?? 0) + Number(row.n);
      }
      return runs;
    });
  }

  countRuns(query: RunQuery = {}): number {
    return this.guard(() => {
      const [where, params] = runFilter({ ...query, before: undefined });
      return Number(this.sql(`SELECT count(*) AS n FROM pipeline_run r ${where}`).get(...params)?.n ?? 0);
    });
  }

  runFacts(query: RunQuery = {}): RunFact[] {
    return this.guard(() => {
      const [where, params] = runFilter(query);
      return this.sql(
        `SELECT r.id, r.pipeline_name, r.status, coalesce(r.started_at, r.created_at) AS started,
           CASE WHEN r.finished_at IS NOT NULL AND r.started_at IS NOT NULL THEN r.finished_at - r.started_at END AS duration
         FROM pipeline_run r ${where} ORDER BY r.id`,
      ).all(...params).map((row): RunFact => {
        const fact: RunFact = {
          id: Number(row.id), pipelineName: String(row.pipeline_name), status: String(row.status) as RunFact['status'], startedAt: Number(row.started),
          durationMs: row.duration === null || row.duration === undefined ? undefined : Number(row.duration),
        };
        return fact;
      });
    });
  }

  runColumns(query: RunQuery = {}): RunColumns {
    return this.guard(() => {
      const [where, params] = runFilter(query);
      const variables = this.sql(`SELECT DISTINCT v.name FROM run_variable v WHERE v.run_id IN (SELECT r.id FROM pipeline_run r ${where}) ORDER BY v.name`)
        .all(...params).map((row) => String(row.name));
      const properties = this.sql(
        `SELECT DISTINCT o.block || '.' || o.name AS name FROM block_output o WHERE o.run_id IN (SELECT r.id FROM pipeline_run r ${where}) ORDER BY 1`,
      ).all(...params).map((row) => String(row.name));
      return { variables, properties };
    });
  }

  outputsOf(runIds: readonly number[]): RunOutput[] {
    return this.guard(() =>
      // By block run: a later attempt's value comes after, and wins.
      this.sql('SELECT run_id, block, name, text FROM block_output WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY block_run_id')
        .all(JSON.stringify(runIds)).map((row) => ({ runId: Number(row.run_id), block: String(row.block), name: String(row.name), value: typeof row.text === 'string' ? row.text : String(row.text as number | null ?? '') })),
    );
  }

  blockRunsOf(runIds: readonly number[]): BlockRunRecord[] {
    return this.guard(() =>
      this.sql(`SELECT ${BLOCK_RUN_COLUMNS} FROM block_run WHERE run_id IN (SELECT value FROM json_each(?)) AND ${BLOCKS_ONLY} ORDER BY run_id, id`)
        .all(JSON.stringify(runIds)).map(toBlockRunRecord),
    );
  }

  listPipelines(): PipelineSummary[] {
    return this.guard(() => {
      // A skip-scan over the (pipeline_file, id) index: one seek per distinct file instead of reading every run.
      const rows = this.sql(
        `WITH RECURSIVE files(file) AS (
           SELECT min(pipeline_file) FROM pipeline_run
           UNION ALL
           SELECT (SELECT min(pipeline_file) FROM pipeline_run WHERE pipeline_file > files.file) FROM files WHERE files.file IS NOT NULL)
         SELECT ${RUN_COLUMNS} FROM files JOIN pipeline_run ON pipeline_run.id = (SELECT max(id) FROM pipeline_run WHERE pipeline_file = files.file)`,
      ).all();
      return rows.map((row) => {
        const run = this.present(toRunRecord(row));
        return { pipelineFile: run.pipelineFile, pipelineName: run.pipelineName, latestRunId: run.id, latestStatus: run.status, latestAt: run.startedAt ?? run.createdAt };
      });
    });
  }

  createBlockRun(blockRun: NewBlockRun): BlockRunRecord {
    return this.guard(() => {
      const now = Date.now();
      const status = blockRun.status ?? 'initial';
      const startedAt = blockRun.startedAt ?? (status === 'running' ? now : undefined);
      const finishedAt = blockRun.finishedAt ?? (FINISHED_BLOCK_STATUSES.includes(status) ? now : undefined);
      const { changes, lastInsertRowid } = this.write(() =>
        this.sql(
          `INSERT INTO block_run (run_id, pipeline_file, block, status, attempt, reason, started_at, finished_at, outputs, fingerprint, output_hashes, item_of, item_index, item_value)
           SELECT id, pipeline_file, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM pipeline_run WHERE id = ?`,
        ).run(
          blockRun.block, status, blockRun.attempt ?? 1, orNull(blockRun.reason), orNull(startedAt), orNull(finishedAt), JSON.stringify(blockRun.outputs ?? {}), orNull(blockRun.fingerprint), jsonOrNull(blockRun.outputHashes),
          orNull(blockRun.item?.of), orNull(blockRun.item?.index), orNull(blockRun.item?.value),
          blockRun.runId,
        ),
      );
      if (changes === 0) throw new StoreError('not-found', `Run #${blockRun.runId} is not in the store ${this.path}.`);
      return this.mustGetBlockRun(lastInsertRowid);
    });
  }

  updateBlockRun(id: number, update: BlockRunUpdate): void {
    this.updateBlockRuns([{ id, update }]);
  }

  updateBlockRuns(updates: readonly { id: number; update: BlockRunUpdate }[]): void {
    this.guard(() => {
      const now = Date.now();
      // One commit for all; a row that is not there (deleted meanwhile) does not undo the others.
      const missing = this.write(() => updates.filter(({ id, update }) => this.applyBlockRunUpdate(id, update, now) === 0).map(({ id }) => id));
      if (missing.length > 0) throw new StoreError('not-found', `Block run${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the store ${this.path}.`);
    });
  }

  /** Rows changed: 0 when the row is not there (an empty update changes nothing and is not missing). */
  private applyBlockRunUpdate(id: number, update: BlockRunUpdate, now: number): number {
    const sets: string[] = [];
    const params: SqlValue[] = [];
    assign(sets, params, 'status = ?', update.status);
    const finished = update.status !== undefined && FINISHED_BLOCK_STATUSES.includes(update.status);
    timestampSets(sets, params, update, update.status === 'running', finished, now);
    assign(sets, params, 'exit_code = ?', update.exitCode);
    assign(sets, params, 'signal = ?', update.signal);
    assign(sets, params, 'reason = ?', update.reason);
    assign(sets, params, 'outputs = ?', update.outputs === undefined ? undefined : JSON.stringify(update.outputs));
    assign(sets, params, 'fingerprint = ?', update.fingerprint);
    assign(sets, params, 'output_hashes = ?', update.outputHashes === undefined ? undefined : JSON.stringify(update.outputHashes));
    assign(sets, params, 'executor = ?', update.executor);
    assign(sets, params, 'executor_type = ?', update.executorType);
    assign(sets, params, 'executor_job = ?', update.executorJob);
    if (sets.length === 0) return 1;
    return this.sql(`UPDATE block_run SET ${sets.join(', ')} WHERE id = ?`).run(...params, id).changes;
  }

  createItemRuns(runId: number, of: string, items: readonly NewItemRun[]): number[] {
    return this.guard(() => {
      const file = this.sql('SELECT pipeline_file FROM pipeline_run WHERE id = ?').get(runId)?.pipeline_file;
      if (typeof file !== 'string') throw new StoreError('not-found', `Run #${runId} is not in the store ${this.path}.`);
      const insert = this.sql(
        `INSERT INTO block_run (run_id, pipeline_file, block, status, attempt, reason, started_at, finished_at, outputs, item_of, item_index, item_value)
         VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`,
      );
      // One transaction for all of them: 10,000 items are one commit, not 10,000.
      return this.write(() => items.map((item) => Number(insert.run(
        runId, file, `${of}[${item.index}]`, item.status, orNull(item.reason), orNull(item.startedAt), orNull(item.finishedAt),
        JSON.stringify(item.outputs ?? {}), of, item.index, item.value,
      ).lastInsertRowid)));
    });
  }

  itemRuns(runId: number, of: string, page: { offset?: number; limit?: number } = {}): BlockRunRecord[] {
    return this.guard(() =>
      this.sql(ITEM_PAGE.replace('%COLUMNS%', BLOCK_RUN_COLUMNS.split(', ').map((c) => `b.${c}`).join(', ')))
        .all(runId, of, page.limit ?? DEFAULT_LIST_LIMIT, page.offset ?? 0).map(toBlockRunRecord),
    );
  }

  itemCounts(runId: number, of: string): Partial<Record<BlockStatus, number>> {
    return this.guard(() => {
      const counts: Partial<Record<BlockStatus, number>> = {};
      for (const row of this.sql(ITEM_COUNTS).all(runId, of)) counts[String(row.status) as BlockStatus] = Number(row.n);
      return counts;
    });
  }

  getBlockRun(id: number): BlockRunRecord | undefined {
    return this.guard(() => {
      const row = this.sql(`SELECT ${BLOCK_RUN_COLUMNS} FROM block_run WHERE id = ?`).get(id);
      return row === undefined ? undefined : toBlockRunRecord(row);
    });
  }

  blockRuns(runId: number): BlockRunRecord[] {
    return this.guard(() => {
      const records = this.sql(`SELECT ${BLOCK_RUN_COLUMNS} FROM block_run WHERE run_id = ? AND ${BLOCKS_ONLY} ORDER BY id`).all(runId).map(toBlockRunRecord);
      if (this.readonly && this.getRun(runId)?.status === 'interrupted') {
        // Readers cannot mark a dead owner's run; show it as markInterrupted() would leave it.
        return records.map((r) => (FINISHED_BLOCK_STATUSES.includes(r.status) ? r : { ...r, status: 'cancelled', reason: 'interrupted' }));
      }
      return records;
    });
  }

  latestCompletedBlockRun(pipelineFile: string, block: string): BlockRunRecord | undefined {
    return this.guard(() => {
      // One index probe per status: (pipeline_file, block, status) ends with the rowid, so each LIMIT 1 is a seek.
      const row = this.sql(
        `SELECT ${BLOCK_RUN_COLUMNS} FROM block_run WHERE id IN (
           (SELECT id FROM block_run WHERE pipeline_file = ? AND block = ? AND status = 'completed' ORDER BY id DESC LIMIT 1),
           (SELECT id FROM block_run WHERE pipeline_file = ? AND block = ? AND status = 'cached' ORDER BY id DESC LIMIT 1))
         ORDER BY id DESC LIMIT 1`,
      ).get(pipelineFile, block, pipelineFile, block);
      return row === undefined ? undefined : toBlockRunRecord(row);
    });
  }

  findCachedBlockRun(pipelineFile: string, block: string, fingerprint: string): BlockRunRecord | undefined {
    return this.guard(() => {
      const row = this.sql(
        `SELECT ${BLOCK_RUN_COLUMNS} FROM block_run
         WHERE pipeline_file = ? AND block = ? AND fingerprint = ? AND status IN ('completed', 'cached')
         ORDER BY id DESC LIMIT 1`,
      ).get(pipelineFile, block, fingerprint);
      return row === undefined ? undefined : toBlockRunRecord(row);
    });
  }

  openLog(blockRunId: number): LogWriter {
    return this.guard(() => {
      this.assertWritable();
      if (this.getBlockRun(blockRunId) === undefined) throw new StoreError('not-found', `Block run ${blockRunId} is not in the store ${this.path}.`);
      const last = this.sql('SELECT max(seq) AS seq FROM block_log WHERE block_run_id = ?').get(blockRunId);
      const writer: CappedLogWriter = new CappedLogWriter(this.logSink(), blockRunId, this.options.logCapBytes, Number(last?.seq ?? 0) + 1, () => {
        this.writers.delete(writer);
      });
      this.writers.add(writer);
      return writer;
    });
  }

  readLogs(blockRunId: number, afterSeq = 0): LogChunk[] {
    return this.guard(() =>
      this.sql('SELECT seq, stream, time, chunk FROM block_log WHERE block_run_id = ? AND seq > ? ORDER BY seq').all(blockRunId, afterSeq).map(toLogChunk),
    );
  }

  deleteRun(id: number): boolean {
    return this.guard(() => {
      this.ownedRuns.delete(id);
      return this.write(() => this.sql('DELETE FROM pipeline_run WHERE id = ?').run(id).changes) > 0;
    });
  }

  clearHistory(pipelineFile?: string): number {
    return this.guard(() => {
      const where = `status IN ${FINISHED_RUN}${pipelineFile === undefined ? '' : ' AND pipeline_file = ?'}`;
      const params: SqlValue[] = pipelineFile === undefined ? [] : [pipelineFile];
      const slice = this.sql(`DELETE FROM pipeline_run WHERE id IN (SELECT id FROM pipeline_run WHERE ${where} LIMIT ${DELETE_SLICE})`);
      let total = 0;
      for (;;) {
        const deleted = this.write(() => slice.run(...params).changes);
        total += deleted;
        if (deleted < DELETE_SLICE) return total;
      }
    });
  }

  markInterrupted(): number {
    return this.guard(() => {
      if (this.readonly) return 0;
      const gone = findGoneOwners((text) => this.sql(text)).filter((run) => !this.ownedRuns.has(run.id));
      return gone.length === 0 ? 0 : this.write(() => markInterrupted((text) => this.sql(text), gone));
    });
  }

  /** Flushes and closes open log writers first; a failure to store their last output is thrown after closing. */
  close(): void {
    if (this.closed) return;
    let failure: Error | undefined;
    for (const writer of [...this.writers]) {
      try {
        writer.close();
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
      }
    }
    this.closed = true;
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    this.db.close();
    if (failure !== undefined) throw failure;
  }

  private logSink(): LogSink {
    const insert = this.sql('INSERT INTO block_log (block_run_id, seq, stream, time, chunk) VALUES (?, ?, ?, ?, ?)');
    const remove = this.sql('DELETE FROM block_log WHERE block_run_id = ? AND seq > ? AND seq <= ?');
    const marker = this.sql(
      `INSERT INTO block_log (block_run_id, seq, stream, time, chunk) VALUES (?, ?, 'system', ?, ?)
       ON CONFLICT (block_run_id, seq) DO UPDATE SET chunk = excluded.chunk, time = excluded.time`,
    );
    const dropped = this.sql('UPDATE block_run SET log_dropped_bytes = ? WHERE id = ?');
    return {
      transaction: (fn) => this.guard(() => this.write(fn)),
      insertChunk: (id, seq, stream, time, text) => void insert.run(id, seq, stream, time, text),
      deleteChunks: (id, afterSeq, uptoSeq) => void remove.run(id, afterSeq, uptoSeq),
      recordDropped: (id, bytes, markerSeq, text, time) => {
        marker.run(id, markerSeq, time, text);
        dropped.run(bytes, id);
      },
    };
  }

  /** Keeps the heartbeat of this process's unfinished runs fresh, so that other processes see the owner alive. */
  private startHeartbeats(): void {
    if (this.heartbeatTimer !== undefined) return;
    this.heartbeatTimer = setInterval(() => {
      if (this.ownedRuns.size === 0) {
        clearInterval(this.heartbeatTimer);
        this.heartbeatTimer = undefined;
        return;
      }
      try {
        const ids = JSON.stringify([...this.ownedRuns]);
        this.write(() => this.sql('UPDATE pipeline_run SET heartbeat_at = ? WHERE id IN (SELECT value FROM json_each(?))').run(Date.now(), ids));
      } catch {
        // Locked for now; the next beat tries again, well within the staleness limit.
      }
    }, HEARTBEAT_INTERVAL_MS);
    this.heartbeatTimer.unref();
  }

  private markInterruptedIfFree(): void {
    try {
      this.markInterrupted();
    } catch (error) {
      // Listing must work while another process holds the write lock; marking waits for the next listing.
      if (!(error instanceof StoreError && error.kind === 'locked')) throw error;
    }
  }

  /** Readers cannot write the `interrupted` mark, so they report it. */
  private present(run: RunRecord): RunRecord {
    if (!this.readonly || (run.status !== 'initial' && run.status !== 'running' && run.status !== 'paused') || !isOwnerGone(run)) return run;
    return { ...run, status: 'interrupted', finishedAt: Math.max(run.startedAt ?? run.heartbeatAt, run.heartbeatAt) };
  }

  private mustGetRun(id: number): RunRecord {
    const run = this.getRun(id);
    if (run === undefined) throw new StoreError('not-found', `Run #${id} vanished from the store ${this.path}.`);
    return run;
  }

  private mustGetBlockRun(id: number): BlockRunRecord {
    const blockRun = this.getBlockRun(id);
    if (blockRun === undefined) throw new StoreError('not-found', `Block run ${id} vanished from the store ${this.path}.`);
    return blockRun;
  }

  private write<T>(fn: () => T): T {
    this.assertWritable();
    return this.db.transaction(fn);
  }

  private assertWritable(): void {
    if (this.readonly) throw new StoreError('io', `The run store ${this.path} was opened read-only.`);
  }

  private sql(text: string): SqlStatement {
    return this.prepared(text);
  }

  private guard<T>(fn: () => T): T {
    if (this.closed) throw new StoreError('io', `The run store ${this.path} is closed.`);
    try {
      return fn();
    } catch (error) {
      throw toStoreError(error, this.path, this.options.busyTimeoutMs);
    }
  }
}
