import type { DetailsStore } from '../details/detailsStore.ts';
import type { DetailsReader, RunReader } from '../details/model.ts';
import type { SqlDriver, SqlStatement } from '../store/driver.ts';
import type { BlockRunRecord, RunRecord } from '../store/types.ts';

/**
 * A page of an export's runs read ahead, for loadRunDetails. The run and its block runs come from
 * the page already read; a block's duration history (the last 20 completed attempts before the run,
 * for the "slow" mark) comes from one range per pipeline file and block for the whole page. Asked
 * run by run, that history walked the block's rows from the newest down to the run: an export
 * newest first read the table once per block per run (28 s for 144 runs of a year-old page at 100k).
 * The other details are lookups by run id; a run with no rows in a details table (runs recorded
 * before details were, or by a runner that records none) is known from one query per table for the
 * page and costs no lookup.
 */
export class ExportPage implements RunReader, DetailsReader {
  private readonly runs: Map<number, RunRecord>;
  private readonly blockRunsByRun = new Map<number, BlockRunRecord[]>();
  /** `file\0block` → completed attempts, newest run first: [runId, ms]. */
  private readonly history = new Map<string, [number, number][]>();
  private readonly details: DetailsStore;
  private readonly present: PresentRows;

  constructor(page: { runs: readonly RunRecord[]; blockRuns: readonly BlockRunRecord[] }, details: DetailsStore, read: PageQueries) {
    this.details = details;
    this.runs = new Map(page.runs.map((r) => [r.id, r]));
    for (const b of page.blockRuns) {
      let list = this.blockRunsByRun.get(b.runId);
      if (list === undefined) this.blockRunsByRun.set(b.runId, (list = []));
      list.push(b);
    }
    const ids = page.runs.map((r) => r.id);
    this.present = read.present(ids, page.blockRuns.map((b) => b.id));
    if (ids.length === 0) return;
    const low = Math.min(...ids);
    const high = Math.max(...ids);
    const pairs = new Map<string, { file: string; block: string }>();
    // By the run's file, as loadRunDetails asks (the store may present it otherwise than the block run's copy).
    for (const b of page.blockRuns) {
      const file = this.runs.get(b.runId)?.pipelineFile;
      if (file !== undefined) pairs.set(`${file}\0${b.block}`, { file, block: b.block });
    }
    for (const [key, { file, block }] of pairs) this.history.set(key, read.history(file, block, low, high));
  }

  getRun(runId: number): RunRecord | undefined {
    return this.runs.get(runId);
  }

  blockRuns(runId: number): BlockRunRecord[] {
    return this.blockRunsByRun.get(runId) ?? [];
  }

  durationHistory(pipelineFile: string, block: string, runId: number, limit = 20): number[] {
    const rows = this.history.get(`${pipelineFile}\0${block}`);
    if (rows === undefined) return this.details.durationHistory(pipelineFile, block, runId, limit);
    // First row of a run before runId (rows are newest run first).
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((rows[mid] as [number, number])[0] >= runId) lo = mid + 1;
      else hi = mid;
    }
    return rows.slice(lo, lo + limit).map((r) => r[1]);
  }

  runDetail(runId: number): ReturnType<DetailsStore['runDetail']> {
    return this.present.runDetail.has(runId) ? this.details.runDetail(runId) : undefined;
  }

  resources(runId: number): ReturnType<DetailsStore['resources']> {
    return this.present.resources.has(runId) ? this.details.resources(runId) : [];
  }

  logSizes(runId: number): Map<number, number> {
    return this.present.logs.has(runId) ? this.details.logSizes(runId) : new Map<number, number>();
  }

  readyTimes(runId: number): Map<string, number> {
    return this.present.ready.has(runId) ? this.details.readyTimes(runId) : new Map<string, number>();
  }

  artifacts(runId: number): ReturnType<DetailsStore['artifacts']> {
    return this.present.artifacts.has(runId) ? this.details.artifacts(runId) : [];
  }
}

/** Which runs of a page have rows in each details table. */
export interface PresentRows {
  runDetail: Set<number>;
  resources: Set<number>;
  logs: Set<number>;
  ready: Set<number>;
  artifacts: Set<number>;
}

/** The page-wide reads, prepared once per export. */
export interface PageQueries {
  history: HistoryQuery;
  present(runIds: readonly number[], blockRunIds: readonly number[]): PresentRows;
}

export function pageQueries(db: SqlDriver): PageQueries {
  const cache = new Map<string, SqlStatement>();
  const runsWith = (table: string, ids: readonly number[]): Set<number> => {
    const sql = `SELECT DISTINCT run_id FROM ${table} WHERE run_id IN (SELECT value FROM json_each(?))`;
    let statement = cache.get(sql);
    if (statement === undefined) cache.set(sql, (statement = db.prepare(sql)));
    return new Set(statement.all(JSON.stringify(ids)).map((r) => Number(r.run_id)));
  };
  let logs: SqlStatement | undefined;
  return {
    history: historyQuery(db),
    present: (runIds, blockRunIds) => {
      logs ??= db.prepare('SELECT DISTINCT b.run_id FROM block_run b WHERE b.id IN (SELECT value FROM json_each(?)) AND EXISTS (SELECT 1 FROM block_log l WHERE l.block_run_id = b.id)');
      return {
        runDetail: runsWith('run_detail', runIds), resources: runsWith('attempt_resources', runIds), ready: runsWith('block_ready', runIds), artifacts: runsWith('artifact', runIds),
        logs: new Set(logs.all(JSON.stringify(blockRunIds)).map((r) => Number(r.run_id))),
      };
    },
  };
}

/** The completed attempts of a pipeline file's block that a page of runs `low..high` may look back on. */
export type HistoryQuery = (file: string, block: string, low: number, high: number) => [number, number][];

/**
 * Two ranges of block_run_by_file_block_run (queryExportIndexes.ts): the attempts of runs inside the
 * page's span, and the 20 before it. Newest run first; within a run, newest attempt first (the
 * details store orders by block run id, which is the same but when two runs of a file overlap).
 */
export function historyQuery(db: SqlDriver, limit = 20): HistoryQuery {
  const select = `SELECT run_id, finished_at - started_at AS ms FROM block_run
    WHERE pipeline_file = ? AND block = ? AND status = 'completed' AND started_at IS NOT NULL AND finished_at IS NOT NULL`;
  let inside: SqlStatement | undefined;
  let before: SqlStatement | undefined;
  return (file, block, low, high) => {
    inside ??= db.prepare(`${select} AND run_id >= ? AND run_id < ? ORDER BY run_id DESC, id DESC`);
    before ??= db.prepare(`${select} AND run_id < ? ORDER BY run_id DESC, id DESC LIMIT ?`);
    return [...inside.all(file, block, low, high), ...before.all(file, block, low, limit)].map((r) => [Number(r.run_id), Number(r.ms)]);
  };
}
