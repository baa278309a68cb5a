import type { SqlValue } from './driver.ts';
import type { RunQuery } from './types.ts';
import { compileQuery } from '../query/compile.ts';
import { parseQuery } from '../query/parser.ts';

// Small builders for the store's dynamic WHERE and SET clauses; values are always bound, never spliced.

/** The WHERE clause of a run query over `pipeline_run r`; the text is compiled by the query language. */
export function runFilter(query: RunQuery): [string, SqlValue[]] {
  const terms: string[] = [];
  const params: SqlValue[] = [];
  assign(terms, params, 'r.pipeline_file = ?', query.pipelineFile);
  assign(terms, params, 'r.pipeline_name = ?', query.pipelineName);
  assign(terms, params, 'r.status = ?', query.status);
  assign(terms, params, 'r.id < ?', query.before);
  const text = query.text?.trim();
  if (text !== undefined && text !== '') {
    const now = query.now ?? Date.now();
    const compiled = compileQuery(parseQuery(text, now), now);
    // Parenthesised: `a OR b` must not bind to the clauses before it (`r.id < ? AND a OR b` paged forever).
    terms.push(`(${compiled.where})`);
    params.push(...compiled.params);
  }
  return [terms.length === 0 ? '' : `WHERE ${terms.join(' AND ')}`, params];
}

/** ORDER BY for a run query; ties (and the default) newest first. */
export function runOrder(query: RunQuery, params: SqlValue[]): string {
  const sort = query.sort;
  if (sort === undefined || sort.field === 'id') return `ORDER BY r.id ${sort?.direction === 'asc' ? 'ASC' : 'DESC'}`;
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  let expression: string;
  switch (sort.field) {
    case 'pipeline': expression = 'r.pipeline_name COLLATE NOCASE'; break;
    case 'status': expression = 'r.status'; break;
    case 'trigger': expression = 'r.trigger'; break;
    case 'started': expression = 'coalesce(r.started_at, r.created_at)'; break;
    case 'duration':
      // Twice: the expression appears twice below.
      params.push(query.now ?? Date.now(), query.now ?? Date.now());
      expression = '(coalesce(r.finished_at, ?) - r.started_at)';
      break;
    case 'blocks': expression = '(SELECT count(DISTINCT b.block) FROM block_run b WHERE b.run_id = r.id)'; break;
  }
  // Runs without a value (never started) sort last either way.
  return `ORDER BY ${expression} IS NULL, ${expression} ${direction}, r.id DESC`;
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
