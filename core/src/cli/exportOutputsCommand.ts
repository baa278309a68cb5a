import { resolve } from 'node:path';
import { DetailsStore } from '../details/detailsStore.ts';
import type { RunStore } from '../store/types.ts';
import { EXPORT_PAGE } from './exportCommand.ts';
import { UsageError } from './files.ts';
import { checkQuery, runsAndQuery } from './queryOption.ts';
import { parseCommandArgs, resolveStorePath, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio export-outputs BLOCK [--query "Q"] [--pipeline FILE] [--runs 1,2,5] [--limit N] --format csv [--store PATH]
  One CSV row per run (newest first) with the block's outputs (its latest attempt in that run).
  Q is the query language of \`runs --query\` (status:completed branch:main since:-7d …); --runs adds "and one of these runs".`;

/** `export-outputs`: a block's outputs across runs as CSV, for a spreadsheet or a notebook. */
export async function exportOutputsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    query: { type: 'string', short: 'q' }, pipeline: { type: 'string' }, runs: { type: 'string' }, limit: { type: 'string' }, format: { type: 'string' }, store: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`${positionals.length === 0 ? 'Which block?' : `Unexpected argument '${positionals[1] ?? ''}'.`}\n${USAGE}`);
  if ((values.format ?? 'csv') !== 'csv') throw new UsageError(`--format: only csv is supported, not '${values.format ?? ''}'.\n${USAGE}`);
  // --runs is a query term like any other, so that it combines with --query (and is checked the same way).
  const query = checkQuery(runsAndQuery(values.runs, values.query, USAGE), USAGE);
  let limit: number | undefined;
  if (values.limit !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(values.limit)) throw new UsageError(`--limit must be a whole number from 1, not '${values.limit}'.\n${USAGE}`);
    limit = Number(values.limit);
  }
  const block = positionals[0] ?? '';
  const path = resolveStorePath(values.store);
  return withCliStore(io, 'export-outputs', path, (store) => {
    const details = DetailsStore.open(store);
    try {
      const runIds = query === undefined ? undefined : matchingRunIds(store, query);
      const rows = details.blockOutputsByRun(block, { pipelineFile: values.pipeline === undefined ? undefined : resolve(values.pipeline), runIds, limit });
      const names = [...new Set(rows.flatMap((r) => Object.keys(r.outputs)))].sort();
      io.out(csvLine(['run', 'pipeline', 'status', 'finished', ...names]));
      for (const r of rows) {
        io.out(csvLine([String(r.runId), r.pipelineFile, r.status, r.finishedAt === undefined ? '' : new Date(r.finishedAt).toISOString(), ...names.map((n) => r.outputs[n] ?? '')]));
      }
      if (rows.length === 0) io.err(`pipeline-studio export-outputs: no run of block '${block}' found.`);
      return 0;
    } finally {
      details.close();
    }
  }, () => {
    io.err(`pipeline-studio export-outputs: no run store at ${path}.`);
    return 1;
  });
}

/** Every run the query matches (ids only, a page at a time). */
function matchingRunIds(store: RunStore, text: string): number[] {
  const ids: number[] = [];
  let before: number | undefined;
  for (;;) {
    const page = store.listRuns({ text, before, limit: EXPORT_PAGE });
    for (const run of page) ids.push(run.id);
    before = page[page.length - 1]?.id;
    if (page.length < EXPORT_PAGE) return ids;
  }
}

/**
 * RFC 4180 fields. A value starting with = + - @ (or a tab/CR) is prefixed with ' so that a
 * spreadsheet opening the file shows it as text instead of running it as a formula.
 */
export function csvLine(fields: readonly string[]): string {
  return fields.map((f) => {
    const safe = /^[=+\-@\t\r]/.test(f) && !/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(f) ? `'${f}` : f;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  }).join(',');
}
