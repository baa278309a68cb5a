import { runExportTo } from './exportToCommand.ts';
import { DetailsStore } from '../details/detailsStore.ts';
import { loadRunDetails } from '../details/model.ts';
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { CSV_COLUMNS, csvHeader, csvRecord } from '../query/exportRows.ts';
import { ExportPage, pageQueries, type PageQueries } from '../query/exportDetails.ts';
import type { SqlDriver } from '../store/driver.ts';
import { openDriver } from '../store/openDriver.ts';
import { DEFAULT_BUSY_TIMEOUT_MS } from '../store/openStore.ts';
import type { RunColumns, RunStore } from '../store/index.ts';
import { ExecutionLinks } from '../store/executionLinks.ts';
import { UsageError } from './files.ts';
import { readRunLinks, runJson } from './showLinks.ts';
import { checkQuery, runsAndQuery } from './queryOption.ts';
import { parseCommandArgs, resolveStorePath, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio export [--query "Q"] [--runs 3,5,9] --format csv|json [--out FILE] [--store PATH]
  CSV: one row per run (${CSV_COLUMNS.join(', ')}, then var.NAME and property.BLOCK.NAME columns).
  JSON: an array of what 'show --json' prints, one per run. Newest run first; written as it is read.`;
/** Runs read per step: memory stays bounded by a page whatever the number of runs. */
export const EXPORT_PAGE = 500;

/** `export`: the matching runs as CSV or JSON, streamed page by page to a file or stdout. */
export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  // `export FILE --to argo` compiles a pipeline; without --to it exports recorded runs.
  if (args.some((a) => a === '--to' || a.startsWith('--to='))) return runExportTo(args, io);
  const { values, positionals } = parseCommandArgs(args, {
    query: { type: 'string', short: 'q' }, runs: { type: 'string' }, format: { type: 'string' }, out: { type: 'string', short: 'o' }, store: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument '${positionals[0]}'.\n${USAGE}`);
  const format = values.format;
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format takes csv or json${format === undefined ? '' : `, not '${format}'`}.\n${USAGE}`);
  const text = checkQuery(runsAndQuery(values.runs, values.query, USAGE), USAGE);
  const path = resolveStorePath(values.store);
  const out = values.out === undefined ? undefined : resolve(values.out);
  return withCliStore(io, 'export', path, (store) => {
    const written = writeTo(io, out, (write) => exportRuns(store, { text, format }, write));
    if (out !== undefined) io.err(`Exported ${written} run${written === 1 ? '' : 's'} to ${out}.`);
    return 0;
  }, () => {
    writeTo(io, out, (write) => void write(format === 'json' ? '[]\n' : csvHeader({ variables: [], properties: [] })));
    return 0;
  });
}

/**
 * Writes the runs a query matches, newest first, a page at a time (paging by id, so each page is one
 * index range however deep); returns how many. Shared with the editor's export.
 */
export function exportRuns(store: RunStore, options: { text: string | undefined; format: 'csv' | 'json'; pageSize?: number }, write: (chunk: string) => void): number {
  const columns: RunColumns = options.format === 'csv' ? store.runColumns({ text: options.text }) : { variables: [], properties: [] };
  write(options.format === 'csv' ? csvHeader(columns) : '[');
  let before: number | undefined;
  let count = 0;
  let details: DetailsStore | undefined;
  let history: SqlDriver | undefined;
  let links: ExecutionLinks | undefined;
  let reads: PageQueries | undefined;
  try {
    for (;;) {
      const runs = store.listRuns({ text: options.text, before, limit: options.pageSize ?? EXPORT_PAGE });
      if (runs.length === 0) break;
      const ids = runs.map((r) => r.id);
      let chunk = '';
      if (options.format === 'csv') {
        const outputs = new Map<number, Map<string, string>>();
        for (const o of store.outputsOf(ids)) {
          let of = outputs.get(o.runId);
          if (of === undefined) outputs.set(o.runId, (of = new Map<string, string>()));
          of.set(`${o.block}.${o.name}`, o.value);
        }
        for (const run of runs) chunk += csvRecord(run, outputs.get(run.id) ?? new Map<string, string>(), columns);
      } else {
        details ??= DetailsStore.open(store);
        history ??= openDriver(store.path, store.driver, { readonly: true, busyTimeoutMs: DEFAULT_BUSY_TIMEOUT_MS });
        reads ??= pageQueries(history);
        const runRecords = runs.map(({ counts: _counts, ...run }) => run);
        const page = new ExportPage({ runs: runRecords, blockRuns: store.blockRunsOf(ids) }, details, reads);
        // Everything `show --json` has, the run's details (host, queue times, resources, artifacts) included.
        for (const run of runRecords) {
          links ??= ExecutionLinks.open(store, { readonly: true });
          const record = runJson(run, readRunLinks(store, run, links), page.blockRuns(run.id), loadRunDetails(page, page, run.id));
          chunk += `${count === 0 && chunk === '' ? '' : ','}\n${JSON.stringify(record)}`;
        }
      }
      count += runs.length;
      write(chunk);
      before = runs[runs.length - 1]?.id;
      if (runs.length < (options.pageSize ?? EXPORT_PAGE)) break;
    }
  } finally {
    details?.close();
    links?.close();
    history?.close();
  }
  if (options.format === 'json') write(count === 0 ? ']\n' : '\n]\n');
  return count;
}

function writeTo(io: CliIo, out: string | undefined, fn: (write: (chunk: string) => void) => number | void): number {
  if (out === undefined) {
    // io.out ends each call with a newline: hold back the chunk's last one.
    let pending = '';
    const result = fn((chunk) => {
      const text = pending + chunk;
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        pending = text;
        return;
      }
      io.out(text.slice(0, cut));
      pending = text.slice(cut + 1);
    });
    if (pending !== '') io.out(pending);
    return result ?? 0;
  }
  const fd = openSync(out, 'w');
  try {
    return fn((chunk) => void writeSync(fd, chunk)) ?? 0;
  } finally {
    closeSync(fd);
  }
}
