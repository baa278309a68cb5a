import type { DetailsStore } from '../details/detailsStore.ts';
import type { DetailsReader, RunReader } from '../details/model.ts';
import type { ArtifactRecord, AttemptResources, RunDetailRecord } from '../details/types.ts';
import type { SqlDriver } from '../store/driver.ts';
import type { ExecutionLinks, PageLinks } from '../store/executionLinks.ts';
import { pageRunLinks, type RunLinks } from '../store/runLinks.ts';
import type { BlockRunRecord, RunRecord } from '../store/types.ts';

/**
 * A page of an export's runs read ahead, for loadRunDetails. The run and its block runs come from
 * the page already read; each details table is one query for the whole page (DetailsStore's batch
 * reads); a block's duration history (the last 20 completed attempts before the run, for the "slow"
 * mark) is one range per pipeline file and block for the whole page. Asked run by run, that
 * history walked the block's rows from the newest down to the run (28 s for 144 runs of a year-old
 * page at 100k), and the per-run lookups were 6 queries a run. The links (profile, parent,
 * children with their statuses) are three queries a page.
 */
export class ExportPage implements RunReader, DetailsReader {
  private readonly runs: Map<number, RunRecord>;
  private readonly blockRunsByRun = new Map<number, BlockRunRecord[]>();
  /** `file\0block` → completed attempts, newest run first: [runId, ms]. */
  private readonly history = new Map<string, [number, number][]>();
  private readonly details: DetailsStore;
  private readonly detail: Map<number, RunDetailRecord>;
  private readonly ready: Map<number, Map<string, number>>;
  private readonly resourceRows: Map<number, AttemptResources[]>;
  private readonly artifactRows: Map<number, ArtifactRecord[]>;
  private readonly logs: Map<number, Map<number, number>>;
  private readonly links: PageLinks;

  constructor(page: { runs: readonly RunRecord[]; blockRuns: readonly BlockRunRecord[] }, details: DetailsStore, history: HistoryQuery, links: ExecutionLinks) {
    this.details = details;
    this.runs = new Map(page.runs.map((r) => [r.id, r]));
    for (const b of page.blockRuns) {
      let list = this.blockRunsByRun.get(b.runId);
      if (list === undefined) this.blockRunsByRun.set(b.runId, (list = []));
      list.push(b);
    }
    const ids = page.runs.map((r) => r.id);
    this.links = links.linksOf(ids);
    this.detail = details.runDetailsOf(ids);
    this.ready = details.readyTimesOf(ids);
    this.resourceRows = details.resourcesOf(ids);
    this.artifactRows = details.artifactsOf(ids);
    this.logs = details.logSizesOf(page.blockRuns);
    if (ids.length === 0) return;
    let low = Infinity;
    let high = -Infinity;
    for (const id of ids) {
      low = Math.min(low, id);
      high = Math.max(high, id);
    }
    const pairs = new Map<string, { file: string; block: string }>();
    // By the run's file, as loadRunDetails asks (the store may present it otherwise than the block run's copy).
    for (const b of page.blockRuns) {
      const file = this.runs.get(b.runId)?.pipelineFile;
      if (file !== undefined) pairs.set(`${file}\0${b.block}`, { file, block: b.block });
    }
    for (const [key, { file, block }] of pairs) this.history.set(key, history(file, block, low, high));
  }

  /** The run's profile, parent and children, as `show --json` has them. */
  runLinks(run: RunRecord): RunLinks {
    return pageRunLinks(this.links, run);
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

  runDetail(runId: number): RunDetailRecord | undefined {
    return this.detail.get(runId);
  }

  resources(runId: number): AttemptResources[] {
    return this.resourceRows.get(runId) ?? [];
  }

  logSizes(runId: number): Map<number, number> {
    return this.logs.get(runId) ?? new Map<number, number>();
  }

  readyTimes(runId: number): Map<string, number> {
    return this.ready.get(runId) ?? new Map<string, number>();
  }

  artifacts(runId: number): ArtifactRecord[] {
    return this.artifactRows.get(runId) ?? [];
  }
}

/** The completed attempts of a pipeline file's block that a page of runs `low..high` may look back on: those of runs below `high`, newest run first. */
export type HistoryQuery = (file: string, block: string, low: number, high: number) => [number, number][];

/**
 * Ranges of block_run_by_file_block_run (queryExportIndexes.ts), newest run first; within a run,
 * newest attempt first. Pages come newest first, so each file and block keeps what it read below the
 * last page and reads on downwards only when that holds fewer than `limit` attempts below the new
 * page: a few hundred queries for an export of 100,000 runs, not two per block per page (each read
 * is a span of run ids, so that a run's attempts are never split between two reads).
 */
export function historyQuery(db: SqlDriver, limit = 20): HistoryQuery {
  const range = db.prepare(`SELECT run_id, finished_at - started_at AS ms FROM block_run
    WHERE pipeline_file = ? AND block = ? AND status = 'completed' AND started_at IS NOT NULL AND finished_at IS NOT NULL
    AND run_id >= ? AND run_id < ? ORDER BY run_id DESC, rowid DESC`);
  const held = new Map<string, { rows: [number, number][]; top: number; floor: number }>();
  return (file, block, low, high) => {
    const key = `${file}\0${block}`;
    let h = held.get(key);
    // First use, or a page outside what is held (a caller may skip down or go back up): start at the page.
    if (h === undefined || high > h.top || h.floor > high) held.set(key, (h = { rows: [], top: high, floor: high }));
    let first = 0;
    while (first < h.rows.length && (h.rows[first] as [number, number])[0] >= high) first++;
    if (first > 0) h.rows = h.rows.slice(first);
    h.top = high;
    const rows = h.rows;
    const below = (): number => {
      let n = 0;
      for (let i = rows.length - 1; i >= 0 && (rows[i] as [number, number])[0] < low; i--) n++;
      return n;
    };
    // Spans of run ids: a run's attempts are never split between two reads. Wider while they find too little.
    let span = Math.max(64, (high - low) * 4);
    while (h.floor > 0 && below() < limit) {
      const from = Math.max(0, h.floor - span);
      for (const r of range.all(file, block, from, h.floor)) rows.push([Number(r.run_id), Number(r.ms)]);
      h.floor = from;
      span *= 2;
    }
    return h.rows;
  };
}
