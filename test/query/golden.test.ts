// The query language's golden cases: test/query/cases.golden.txt holds, per case, the query, the SQL
// it compiles to with its bound parameters, and the ids it finds in the fixture store, or its error
// with the column. UPDATE_GOLDEN=1 rewrites the expectations from what the code does (review the diff).
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileQuery, parseQuery, QueryError } from '../../core/src/query/index.ts';
import { DRIVERS } from '../store/helpers.ts';
import { fixtureStore, NOW } from './fixtureStore.ts';

const FILE = join(import.meta.dirname, 'cases.golden.txt');
const FIELDS = ['sql', 'params', 'ids', 'error'] as const;

interface Case {
  query: string;
  expected: Record<string, string>;
  comments: string[];
}

function readCases(): Case[] {
  const cases: Case[] = [];
  let comments: string[] = [];
  let current: Case | undefined;
  for (const line of readFileSync(FILE, 'utf8').split('\n')) {
    if (line.startsWith('#') || line.trim() === '') {
      if (line.startsWith('#')) comments.push(line);
      current = line.trim() === '' ? undefined : current;
      continue;
    }
    const match = /^(query|sql|params|ids|error): ?(.*)$/.exec(line);
    if (match === null) throw new Error(`cases.golden.txt: cannot read '${line}'`);
    const [, field, value] = match as unknown as [string, string, string];
    if (field === 'query') {
      current = { query: JSON.parse(value) as string, expected: {}, comments };
      comments = [];
      cases.push(current);
    } else if (current !== undefined) {
      current.expected[field] = value;
    }
  }
  return cases;
}

function actualOf(query: string, ids: (q: string) => number[]): Record<string, string> {
  try {
    const compiled = compileQuery(parseQuery(query, NOW), NOW);
    return { sql: compiled.where.replace(/\s+/g, ' '), params: JSON.stringify(compiled.params), ids: ids(query).join(' ') || '(none)' };
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    return { error: error.describe() };
  }
}

const cases = readCases();
assert.ok(cases.length >= 40, 'the golden file has its cases');

for (const driver of DRIVERS) {
  test(`${driver}: every golden query compiles to its SQL and finds its runs, or fails at its column`, () => {
    const { store, cleanup } = fixtureStore(driver);
    try {
      const ids = (q: string): number[] => store.listRuns({ text: q, now: NOW, limit: 1000 }).map((r) => r.id);
      const actual = cases.map((c) => actualOf(c.query, ids));
      if (process.env.UPDATE_GOLDEN === '1' && driver === DRIVERS[0]) {
        const blocks = cases.map((c, i) => [...c.comments, `query: ${JSON.stringify(c.query)}`, ...FIELDS.filter((f) => actual[i]?.[f] !== undefined).map((f) => `${f}: ${actual[i]?.[f]}`)].join('\n'));
        writeFileSync(FILE, `${blocks.join('\n\n')}\n`);
        return;
      }
      cases.forEach((c, i) => assert.deepEqual(actual[i], c.expected, `query ${JSON.stringify(c.query)}`));
      // The payload was data: the table it names is still there, with every run.
      assert.equal(store.countRuns(), 8);
    } finally {
      cleanup();
    }
  });
}
