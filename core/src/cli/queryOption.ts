import { parseQuery, QueryError } from '../query/index.ts';
import { RUN_SORT_FIELDS, type RunSort, type RunSortField } from '../store/index.ts';
import { UsageError } from './files.ts';

/**
 * `--query` for runs, stats, export and cancel: read before the store is opened, so that a bad query
 * is a usage error (exit 2) showing the query with a caret under its column, never a crash.
 */
export function checkQuery(query: string | undefined, usage: string): string | undefined {
  if (query === undefined) return undefined;
  try {
    parseQuery(query);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    throw new UsageError(`bad --query, ${error.describe()}\n  ${query}\n  ${' '.repeat(error.column - 1)}${'^'.repeat(Math.min(error.length, Math.max(1, query.length - error.column + 1)))}\n${usage}`);
  }
  return query;
}

/** `--sort FIELD[:asc|desc]`; a field alone sorts descending (newest, longest, most first), as the table does. */
export function parseSort(text: string | undefined, usage: string): RunSort | undefined {
  if (text === undefined) return undefined;
  const [field = '', direction = 'desc', extra] = text.toLowerCase().split(':');
  if (!(RUN_SORT_FIELDS as readonly string[]).includes(field) || (direction !== 'asc' && direction !== 'desc') || extra !== undefined) {
    throw new UsageError(`--sort takes FIELD[:asc|desc] with FIELD one of ${RUN_SORT_FIELDS.join(', ')}, not '${text}'.\n${usage}`);
  }
  return { field: field as RunSortField, direction };
}

/** `--runs 3,5,9` as a query term (`#3 OR #5 OR #9`), combined with `--query` by AND. */
export function runsAndQuery(runs: string | undefined, query: string | undefined, usage: string): string | undefined {
  if (runs === undefined) return query;
  const ids = runs.split(',').map((s) => s.trim());
  if (ids.some((id) => !/^#?[1-9]\d{0,15}$/.test(id))) throw new UsageError(`--runs takes run numbers separated by commas (3,5,9), not '${runs}'.\n${usage}`);
  const term = `(${ids.map((id) => `#${id.replace(/^#/, '')}`).join(' OR ')})`;
  return query === undefined || query.trim() === '' ? term : `(${query}) ${term}`;
}
