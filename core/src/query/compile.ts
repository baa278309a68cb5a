import type { SqlValue } from '../store/driver.ts';
import type { Compared, QueryNode, Term } from './ast.ts';

/**
 * A parsed query as a SQL condition over `pipeline_run r`. Every value is a bound parameter: the
 * SQL text depends only on the query's shape (which keys, how many values), never on what was typed.
 */
export interface CompiledQuery {
  where: string;
  params: SqlValue[];
}

/** The `r` alias the condition refers to; the store selects `FROM pipeline_run r`. */
export function compileQuery(node: QueryNode | undefined, now = Date.now()): CompiledQuery {
  const params: SqlValue[] = [];
  const where = node === undefined ? '1' : compileNode(node, params, now, false);
  return { where, params };
}

function compileNode(node: QueryNode, params: SqlValue[], now: number, nested: boolean): string {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const sql = node.items.map((item) => compileNode(item, params, now, true)).join(node.kind === 'and' ? ' AND ' : ' OR ');
      return nested ? `(${sql})` : sql;
    }
    case 'not':
      // A NULL column (no branch, no commit) makes the condition NULL; NOT must still count it as "not matching".
      return `NOT coalesce(${compileNode(node.item, params, now, true)}, 0)`;
    case 'term':
      return compileTerm(node.term, params, now);
  }
}

function compileTerm(term: Term, params: SqlValue[], now: number): string {
  const bind = (...values: SqlValue[]): void => void params.push(...values);
  const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
  switch (term.key) {
    case 'pipeline': {
      const parts: string[] = [];
      if (term.names.length > 0) {
        parts.push(`r.pipeline_name COLLATE NOCASE IN (${marks(term.names.length)})`);
        bind(...term.names);
      }
      for (const file of term.files) {
        // The absolute path, or its end: `orders.pipeline.yaml`, `etl/orders.pipeline.yaml`.
        parts.push("(r.pipeline_file = ? OR r.pipeline_file LIKE ? ESCAPE '\\')");
        bind(file, `%/${escapeLike(file.replace(/^\.[/\\]/, '').replaceAll('\\', '/'))}`);
      }
      return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
    }
    case 'status':
      bind(...term.statuses);
      return `r.status IN (${marks(term.statuses.length)})`;
    case 'trigger': {
      // `schedule` also matches `schedule:nightly`: a range over the (trigger, id) index, not a LIKE.
      const parts = term.triggers.map((trigger) => {
        if (trigger.includes(':')) {
          bind(trigger);
          return 'r.trigger = ?';
        }
        bind(trigger, `${trigger}:`, `${trigger};`);
        return '(r.trigger = ? OR (r.trigger >= ? AND r.trigger < ?))';
      });
      return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
    }
    case 'branch':
      bind(...term.branches);
      return `r.git_branch IN (${marks(term.branches.length)})`;
    case 'commit':
      // Hex is lowercase and 'g' sorts after every hex digit: a prefix is a range on the index.
      bind(term.prefix, `${term.prefix}g`);
      return '(r.git_commit >= ? AND r.git_commit < ?)';
    case 'dirty':
      bind(term.dirty ? 1 : 0);
      return 'r.git_dirty = ?';
    case 'var':
      bind(term.name);
      return `r.id IN (SELECT v.run_id FROM run_variable v WHERE v.name = ? AND ${comparison('v', term.compare, params)})`;
    case 'property': {
      bind(term.name);
      const block = term.block === undefined ? '' : ' AND o.block = ?';
      if (term.block !== undefined) bind(term.block);
      return `r.id IN (SELECT o.run_id FROM block_output o WHERE o.name = ?${block} AND ${comparison('o', term.compare, params)})`;
    }
    case 'block': {
      bind(term.block);
      if (term.statuses === undefined) return 'r.id IN (SELECT b.run_id FROM block_run b WHERE b.block = ?)';
      bind(...term.statuses, term.block, ...term.statuses);
      // The block's status in the run is its latest attempt's. Two steps, so the costly one runs only for
      // the rows a page reads: runs where any attempt had the status (one range of the covering index
      // block_run_by_block_id), then, per run the outer query visits, the latest attempt's status. A
      // correlated max(attempt) inside the list cost a lookup per candidate: 25 ms for 14,000 failed b3 at 100k.
      const list = marks(term.statuses.length);
      return `(r.id IN (SELECT b.run_id FROM block_run b WHERE b.block = ? AND b.status IN (${list}))
        AND (SELECT l.status FROM block_run l WHERE l.run_id = r.id AND l.block = ? ORDER BY l.attempt DESC LIMIT 1) IN (${list}))`;
    }
    case 'date': {
      // The same expression as the pipeline_run_by_start index.
      const parts: string[] = [];
      if (term.from !== undefined) {
        parts.push('coalesce(r.started_at, r.created_at) >= ?');
        bind(term.from);
      }
      if (term.to !== undefined) {
        parts.push('coalesce(r.started_at, r.created_at) < ?');
        bind(term.to);
      }
      return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`;
    }
    case 'duration': {
      // A finished run by its length (an index on the expression); one still going has lasted until now,
      // i.e. by its start (a partial index): either side is an index range, not a scan.
      bind(term.ms, now - term.ms);
      const startOp = { '>': '<', '>=': '<=', '<': '>', '<=': '>=', '=': '=' }[term.op];
      return `(r.finished_at - r.started_at ${term.op} ? OR (r.finished_at IS NULL AND r.started_at ${startOp} ?))`;
    }
    case 'error':
      return textSearch('error', term.text, params);
    case 'batch':
      bind(...term.batches);
      return `r.batch_id IN (${marks(term.batches.length)})`;
    case 'id':
      bind(term.id);
      return 'r.id = ?';
    case 'text': {
      const number = /^(\d{1,15})$/.exec(term.text.trim())?.[1];
      const search = textSearch(undefined, term.text, params);
      if (number === undefined) return search;
      bind(Number(number));
      return `(${search} OR r.id = ?)`;
    }
  }
}

/**
 * Substring search through the trigram index (case-insensitive). Trigrams need 3 characters; a
 * shorter text scans the index's own copy of the text instead, which is still one table.
 */
function textSearch(column: 'error' | undefined, text: string, params: SqlValue[]): string {
  const needle = text.trim();
  if ([...needle].length >= 3) {
    const phrase = `"${needle.replaceAll('"', '""')}"`;
    params.push(column === undefined ? phrase : `${column} : ${phrase}`);
    return 'r.id IN (SELECT rowid FROM run_search WHERE run_search MATCH ?)';
  }
  const lower = needle.toLowerCase();
  if (column !== undefined) {
    params.push(lower);
    return `r.id IN (SELECT s.rowid FROM run_search s WHERE instr(lower(s.${column}), ?) > 0)`;
  }
  params.push(lower, lower);
  return 'r.id IN (SELECT s.rowid FROM run_search s WHERE instr(lower(s.text), ?) > 0 OR instr(lower(s.error), ?) > 0)';
}

/** Numbers compare as numbers (the side tables keep a numeric copy); anything else as text. */
function comparison(alias: string, compare: Compared, params: SqlValue[]): string {
  const column = compare.number === undefined ? `${alias}.text` : `${alias}.num`;
  params.push(compare.number ?? compare.text);
  // `!=`: also true when the value is not a number at all (NULL num): "not 5" holds for "prod".
  return compare.op === '!=' ? `${column} IS NOT ?` : `${column} ${compare.op} ?`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
