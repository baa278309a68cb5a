import { hostname } from 'node:os';
import type { SqlStatement } from './driver.ts';
import { isOwnerGone, type RunOwner } from './ownerLiveness.ts';
import { removeRunFolders } from './runFolders.ts';

type Sql = (text: string) => SqlStatement;
const UNFINISHED_RUN = "('initial', 'running', 'paused')";
const UNFINISHED_BLOCK = "('initial', 'queued', 'running', 'paused', 'waiting')";

/** Unfinished runs whose owner process is certainly gone (see isOwnerGone). */
export function findGoneOwners(sql: Sql): (RunOwner & { id: number })[] {
  // INDEXED BY: once ANALYZE has seen a history of mostly `completed` runs, some SQLite versions
  // judge the status index useless and scan every run (5 ms at 100,000 runs) on each listing.
  return sql(`SELECT id, owner_pid, owner_host, heartbeat_at FROM pipeline_run INDEXED BY pipeline_run_by_status WHERE status IN ${UNFINISHED_RUN}`)
    .all()
    .map((row) => ({ id: Number(row.id), ownerPid: Number(row.owner_pid), ownerHost: String(row.owner_host), heartbeatAt: Number(row.heartbeat_at) }))
    .filter((run) => isOwnerGone(run));
}

/**
 * Marks the runs `interrupted` (inside the caller's write transaction), finished at their last
 * heartbeat, the best estimate of when the owner died. Block statuses have no `interrupted`: their
 * unfinished blocks become `cancelled` with reason 'interrupted', which retry mode re-runs. The
 * temporary folder a marked run's owner left on this host is removed (see runFolders.ts); the
 * owner's supervisor usually removed it already, but not when it died too, or before any block ran.
 */
export function markInterrupted(sql: Sql, runs: (RunOwner & { id: number })[]): number {
  const markRun = sql(
    `UPDATE pipeline_run SET status = 'interrupted', finished_at = max(coalesce(started_at, ?), ?), error = coalesce(error, ?)
     WHERE id = ? AND status IN ${UNFINISHED_RUN}`,
  );
  const markBlocks = sql(
    `UPDATE block_run SET status = 'cancelled', reason = 'interrupted', finished_at = max(coalesce(started_at, ?), ?)
     WHERE run_id = ? AND status IN ${UNFINISHED_BLOCK}`,
  );
  let marked = 0;
  let storePath: string | undefined;
  for (const run of runs) {
    const error = `The process that ran it (pid ${run.ownerPid} on ${run.ownerHost}) ended without finishing the run.`;
    // The status is checked again under the write lock: the owner may have finished meanwhile.
    const changed = markRun.run(run.heartbeatAt, run.heartbeatAt, error, run.id).changes;
    if (changed > 0) markBlocks.run(run.heartbeatAt, run.heartbeatAt, run.id);
    marked += changed;
    if (changed > 0 && run.ownerHost === hostname()) {
      storePath ??= mainDatabaseFile(sql);
      if (storePath !== '') removeRunFolders(storePath, run.id, run.ownerPid);
    }
  }
  return marked;
}

/** The file of the connection's main database ('' in memory): the store's path, as the owner named its folders. */
function mainDatabaseFile(sql: Sql): string {
  const main = sql('PRAGMA database_list').all().find((row) => row.name === 'main');
  return typeof main?.file === 'string' ? main.file : '';
}
