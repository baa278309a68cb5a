import type { SqlValue } from './driver.ts';
import type { RunQuery } from './types.ts';

// Small builders for the store's dynamic WHERE and SET clauses; values are always bound, never spliced.

export function runFilter(query: RunQuery): [string, SqlValue[]] {
  const terms: string[] = [];
  const params: SqlValue[] = [];
  assign(terms, params, 'pipeline_file = ?', query.pipelineFile);
  assign(terms, params, 'pipeline_name = ?', query.pipelineName);
  assign(terms, params, 'status = ?', query.status);
  assign(terms, params, 'id < ?', query.before);
  const text = query.text?.trim();
  if (text !== undefined && text !== '') {
    // LIKE is case-insensitive (ASCII) without building lowered copies of every row; the user's % and _
    // are escaped so that they match themselves.
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const columns = ['pipeline_name', 'git_branch', 'git_commit', 'trigger', 'variables', 'error'];
    const number = /^#?(\d{1,15})$/.exec(text)?.[1];
    terms.push(`(${columns.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')}${number === undefined ? '' : ' OR id = ?'})`);
    params.push(...columns.map(() => pattern), ...(number === undefined ? [] : [Number(number)]));
  }
  return [terms.length === 0 ? '' : `WHERE ${terms.join(' AND ')}`, params];
}

/** started_at/finished_at: given values win; otherwise `running` and a finished status stamp them once. */
export function timestampSets(
  sets: string[], params: SqlValue[], update: { startedAt?: number; finishedAt?: number }, starting: boolean, finished: boolean, now: number,
): void {
  if (update.startedAt !== undefined) assign(sets, params, 'started_at = ?', update.startedAt);
  else if (starting) assign(sets, params, 'started_at = coalesce(started_at, ?)', now);
  if (update.finishedAt !== undefined) assign(sets, params, 'finished_at = ?', update.finishedAt);
  else if (finished) assign(sets, params, 'finished_at = coalesce(finished_at, ?)', now);
}

export function assign(clauses: string[], params: SqlValue[], clause: string, value: SqlValue | undefined): void {
  if (value === undefined) return;
  clauses.push(clause);
  params.push(value);
}
