import { runExportTo } from './exportToCommand.ts';
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { CSV_COLUMNS, csvHeader, csvRecord } from '../query/exportRows.ts';
import { EMPTY_JSON, JsonExport } from '../query/exportJson.ts';
import { EMPTY_RUN_JSON, RUN_LEVEL_BLOCK_FIELDS, RunJsonExport } from '../query/exportRunJson.ts';
import type { RunColumns, RunStore, RunSummary } from '../store/index.ts';
import { UsageError } from './files.ts';
import { checkQuery, runsAndQuery } from './queryOption.ts';
import { parseCommandArgs, resolveStorePath, withCliStore } from './storeOptions.ts';
import type { CliIo } from './validateCommand.ts';

const USAGE = `Usage: pipeline-studio export [--query "Q"] [--runs 3,5,9] --format csv|json [--details] [--out FILE] [--store PATH]
  CSV: one row per run (${CSV_COLUMNS.join(', ')}, then var.NAME and property.BLOCK.NAME columns).
  JSON: {"runs": [...]}: each run is what 'show --json' prints for it without "details", and its
  block runs (every attempt) with ${RUN_LEVEL_BLOCK_FIELDS.join(', ')} only.
  --details  JSON: each run is everything 'show --json' prints for it ({"runs": [...], "definitions": {...}}),
             but that details.run (the same as run) is left out and the definition text is kept once in
             "definitions", keyed by the run's details.detail.definitionSha256. Larger and slower.
  Newest run first; written as it is read.`;
/** Runs read per step: memory stays bounded by a page whatever the number of runs. */
export const EXPORT_PAGE = 500;

/** `export`: the matching runs as CSV or JSON, streamed page by page to a file or stdout. */
export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  // `export FILE --to argo` compiles a pipeline; without --to it exports recorded runs.
  if (args.some((a) => a === '--to' || a.startsWith('--to='))) return runExportTo(args, io);
  const { values, positionals } = parseCommandArgs(args, {
    query: { type: 'string', short: 'q' }, runs: { type: 'string' }, format: { type: 'string' }, details: { type: 'boolean' }, out: { type: 'string', short: 'o' }, store: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, USAGE);
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument '${positionals[0]}'.\n${USAGE}`);
  const format = values.format;
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format takes csv or json${format === undefined ? '' : `, not '${format}'`}.\n${USAGE}`);
  if (values.details === true && format !== 'json') throw new UsageError(`--details goes with --format json.\n${USAGE}`);
  const details = values.details === true;
  const text = checkQuery(runsAndQuery(values.runs, values.query, USAGE), USAGE);
  const path = resolveStorePath(values.store);
  const out = values.out === undefined ? undefined : resolve(values.out);
  return withCliStore(io, 'export', path, async (store) => {
    const written = await writeTo(io, out, (write) => exportRuns(store, { text, format, details }, write));
    if (out !== undefined) io.err(`Exported ${written} run${written === 1 ? '' : 's'} to ${out}.`);
    return 0;
  }, () => {
    // No store yet: no runs, in the shape of the format.
    const empty = format === 'json' ? (details ? EMPTY_JSON : EMPTY_RUN_JSON) : csvHeader({ variables: [], properties: [] });
    if (out === undefined) io.out(empty.slice(0, -1));
    else writeFileSync(out, empty);
    return 0;
  });
}

/** Where an export writes: a promise when the sink is full (a stream's `drain`), awaited before the next page. */
export type ExportSink = (chunk: string | Uint8Array) => void | Promise<void>;

/**
 * Writes the runs a query matches, newest first, a page at a time (paging by id, so each page is one
 * index range however deep), waiting for the sink between pages; returns how many. Shared with the editor's export.
 */
export async function exportRuns(store: RunStore, options: { text: string | undefined; format: 'csv' | 'json'; details?: boolean; pageSize?: number }, write: ExportSink): Promise<number> {
  const pageSize = options.pageSize ?? EXPORT_PAGE;
  const columns: RunColumns = options.format === 'csv' ? store.runColumns({ text: options.text }) : { variables: [], properties: [] };
  const json = options.format !== 'json' ? undefined : options.details === true ? new JsonExport(store) : new RunJsonExport(store);
  let before: number | undefined;
  let count = 0;
  try {
    await write(json === undefined ? csvHeader(columns) : json.head());
    for (;;) {
      // The JSON export reads the block runs themselves: no counts.
      const runs = store.listRuns({ text: options.text, before, limit: pageSize, counts: json === undefined });
      if (runs.length === 0) break;
      await write(json === undefined ? csvPage(store, runs, columns) : json.page(runs));
      count += runs.length;
      before = runs[runs.length - 1]?.id;
      if (runs.length < pageSize) break;
    }
    if (json !== undefined) await write(json.tail());
  } finally {
    json?.close();
  }
  return count;
}

function csvPage(store: RunStore, runs: readonly RunSummary[], columns: RunColumns): string {
  const outputs = new Map<number, Map<string, string>>();
  for (const o of store.outputsOf(runs.map((r) => r.id))) {
    let of = outputs.get(o.runId);
    if (of === undefined) outputs.set(o.runId, (of = new Map<string, string>()));
    of.set(`${o.block}.${o.name}`, o.value);
  }
  let chunk = '';
  for (const run of runs) chunk += csvRecord(run, outputs.get(run.id) ?? new Map<string, string>(), columns);
  return chunk;
}

/** A file written through a stream, waiting for `drain` when its buffer is full: memory holds about a page, however slow the disk. */
export async function toFile<T>(path: string, fn: (write: ExportSink) => Promise<T>): Promise<T> {
  const stream = createWriteStream(path);
  const failed = new Promise<never>((_resolve, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  try {
    const result = await Promise.race([fn(async (chunk) => {
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
    }), failed]);
    await new Promise<void>((resolveEnd, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolveEnd())));
    return result;
  } finally {
    stream.destroy();
  }
}

async function writeTo(io: CliIo, out: string | undefined, fn: (write: ExportSink) => Promise<number>): Promise<number> {
  if (out !== undefined) return toFile(out, fn);
  // io.out ends each call with a newline: hold back the chunk's last one.
  let pending = '';
  const result = await fn((chunk) => {
    // Pages end between records: a UTF-8 page decodes whole.
    const text = pending + (typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8'));
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      pending = text;
      return;
    }
    io.out(text.slice(0, cut));
    pending = text.slice(cut + 1);
  });
  if (pending !== '') io.out(pending);
  return result;
}
