import { BLOCK_ID_PATTERN, VARIABLE_NAME_PATTERN } from '../model/schema.ts';
import { BLOCK_STATUSES, RUN_STATUSES } from '../model/status.ts';
import type { BlockStatus, RunStatus } from '../store/types.ts';
import { QUERY_KEYS, type Term } from './ast.ts';
import { didYouMean, QueryError } from './errors.ts';
import { unquote } from './tokens.ts';
import { parseDateRange, parseDurationTerm, splitComparison, toCompared } from './values.ts';

/** Trigger kinds the store records (`schedule` also matches `schedule:nightly`). Others may appear; these get "did you mean". */
export const TRIGGER_KINDS = ['manual', 'cli', 'schedule', 'event', 'chained', 'always', 'save', 'retry', 'replay', 'debug', 'test', 'dry-run'] as const;

export interface TermSource {
  key: string;
  raw: string;
  column: number;
  valueColumn: number;
  /** `date:A TO B`: B. */
  upto?: { text: string; column: number };
}

/** One `key:value` token → a term, or a QueryError saying what the value should have been. */
export function parseTerm(source: TermSource, now: number): Term {
  const key = source.key.toLowerCase();
  const { raw, valueColumn } = source;
  if (!(QUERY_KEYS as readonly string[]).includes(key)) {
    throw new QueryError(`Unknown key '${source.key}'.${didYouMean(key, QUERY_KEYS)} Keys: ${QUERY_KEYS.join(', ')}.`, source.column, source.key.length);
  }
  if (raw === '') throw new QueryError(`${key}: needs a value${EXAMPLES[key] ?? ''}.`, valueColumn);
  switch (key) {
    case 'pipeline': {
      const names: string[] = [];
      const files: string[] = [];
      for (const item of list(raw, valueColumn, key)) (/[/\\]|\.ya?ml$/i.test(item.text) ? files : names).push(item.text);
      return { key, names, files };
    }
    case 'status':
      return { key, statuses: list(raw, valueColumn, key).map((item) => oneOf(item, RUN_STATUSES, 'run status')) as RunStatus[] };
    case 'trigger':
      return {
        key,
        triggers: list(raw, valueColumn, key).map((item) => (item.text.includes(':') ? item.text : oneOf({ ...item, text: item.text.toLowerCase() }, TRIGGER_KINDS, 'trigger'))),
      };
    case 'branch':
      return { key, branches: list(raw, valueColumn, key).map((item) => item.text) };
    case 'commit': {
      const prefix = unquote(raw).toLowerCase();
      if (!/^[0-9a-f]{1,64}$/.test(prefix)) throw new QueryError(`commit: expects a commit hash or its beginning (hex digits, like a3f9e2b), not '${raw}'.`, valueColumn, raw.length);
      return { key, prefix };
    }
    case 'dirty': {
      const value = unquote(raw).toLowerCase();
      if (value !== 'true' && value !== 'false') throw new QueryError(`dirty: expects true or false, not '${raw}'.`, valueColumn, raw.length);
      return { key, dirty: value === 'true' };
    }
    case 'var': {
      const [name, compare] = comparison(raw, valueColumn, key, VARIABLE_NAME_PATTERN);
      return { key, name, compare };
    }
    case 'property': {
      const [path, compare] = comparison(raw, valueColumn, key, /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)?$/);
      const dot = path.indexOf('.');
      return dot < 0 ? { key, block: undefined, name: path, compare } : { key, block: path.slice(0, dot), name: path.slice(dot + 1), compare };
    }
    case 'block': {
      const [block, statuses] = splitOnce(raw, ':');
      if (!BLOCK_ID_PATTERN.test(block)) throw new QueryError(`block: expects a block id (letters, digits, _ and -), not '${block}'.`, valueColumn, Math.max(1, block.length));
      if (statuses === undefined) return { key, block, statuses: undefined };
      if (statuses === '') throw new QueryError(`block:${block}: needs a block status after the colon (${BLOCK_STATUSES.join(', ')}).`, valueColumn + block.length + 1);
      return { key, block, statuses: list(statuses, valueColumn + block.length + 1, key).map((item) => oneOf(item, BLOCK_STATUSES, 'block status')) as BlockStatus[] };
    }
    case 'date':
      return { key, ...parseDateRange(unquote(raw), source.upto, now, valueColumn) };
    case 'duration':
      return { key, ...parseDurationTerm(raw, valueColumn) };
    case 'error': {
      const text = unquote(raw);
      if (text.trim() === '') throw new QueryError('error: needs some text to look for in failure reasons.', valueColumn, raw.length);
      return { key, text };
    }
    case 'batch':
      return { key, batches: list(raw, valueColumn, key).map((item) => item.text) };
  }
  throw new QueryError(`Unknown key '${source.key}'.`, source.column, source.key.length);
}

const EXAMPLES: Record<string, string> = {
  pipeline: ' (a pipeline name or file, like pipeline:orders-etl)',
  status: ` (${RUN_STATUSES.join(', ')}; several with commas)`,
  trigger: ` (${TRIGGER_KINDS.join(', ')})`,
  branch: ' (a git branch, like branch:main)',
  commit: ' (a commit hash or its beginning, like commit:a3f9e2b)',
  dirty: ' (true or false)',
  var: ' (a comparison, like var:epochs>10 or var:env=prod)',
  property: ' (a block output comparison, like property:accuracy>=0.9 or property:train.accuracy>=0.9)',
  block: ' (a block id, optionally with a status: block:train or block:train:failed)',
  date: ' (like date:2026-01-31, date:>-7d or date:2026-01-01 TO 2026-01-31)',
  duration: ' (a comparison, like duration:>5m)',
  error: ' (text to look for in failure reasons, like error:"exit code 1")',
  batch: ' (the id a `run --for-each` batch printed, like batch:3f9e2b1c)',
};

interface Item {
  text: string;
  column: number;
}

/** `a,b,"c d"` → its items with their columns; an empty item is an error. */
function list(raw: string, column: number, key: string): Item[] {
  const items: Item[] = [];
  let start = 0;
  let quoted = false;
  for (let at = 0; at <= raw.length; at++) {
    const c = raw[at];
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && quoted) at++;
    else if (at === raw.length || (c === ',' && !quoted)) {
      const text = unquote(raw.slice(start, at));
      if (text === '') throw new QueryError(`${key}: has an empty value in its list; separate values with single commas.`, column + start);
      items.push({ text, column: column + start });
      start = at + 1;
    }
  }
  return items;
}

function oneOf(item: Item, allowed: readonly string[], what: string): string {
  const lower = item.text.toLowerCase();
  if (allowed.includes(lower)) return lower;
  throw new QueryError(`'${item.text}' is not a ${what}.${didYouMean(lower, allowed)} Expected one of ${allowed.join(', ')}.`, item.column, item.text.length);
}

/** `NAME OP VALUE` (var:, property:) with the name checked against `namePattern`. */
function comparison(raw: string, column: number, key: string, namePattern: RegExp): [string, ReturnType<typeof toCompared>] {
  const nameEnd = raw.search(/[!=<>]/);
  const name = nameEnd < 0 ? raw : raw.slice(0, nameEnd);
  if (!namePattern.test(name)) {
    throw new QueryError(`${key}: expects a name first${EXAMPLES[key] ?? ''}, not '${name}'.`, column, Math.max(1, name.length));
  }
  const compared = nameEnd < 0 ? undefined : splitComparison(raw.slice(nameEnd));
  if (compared === undefined) {
    throw new QueryError(`${key}:${name} needs a comparison: one of = != > >= < <= and a value, like ${key}:${name}=value.`, column + name.length);
  }
  const [op, rest] = compared;
  const value = unquote(rest);
  if (value === '' && !rest.startsWith('"')) throw new QueryError(`${key}:${name}${op} needs a value after '${op}' (quote it for an empty one: "").`, column + name.length + op.length);
  return [name, toCompared(op, value)];
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
