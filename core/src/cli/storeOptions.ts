import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultStorePath, openStore, StoreError, STORE_FILE, STORE_FOLDER, type RunRecord, type RunStore } from '../store/index.ts';
import { formatDuration } from '../util/duration.ts';
import { isFinalStatus } from '../model/status.ts';
import { UsageError } from './files.ts';
import type { CliIo } from './validateCommand.ts';

/**
 * The store a CLI command uses: `--store PATH` (relative to cwd), else `<cwd>/.pipelines/runs.sqlite`.
 * With `create` (commands that record runs) the default folder is made, with its `.gitignore`.
 */
export function resolveStorePath(storeOption: string | undefined, options: { cwd?: string; create?: boolean } = {}): string {
  const cwd = options.cwd ?? process.cwd();
  if (storeOption !== undefined) return resolve(cwd, storeOption);
  return options.create === true ? defaultStorePath(cwd) : join(resolve(cwd), STORE_FOLDER, STORE_FILE);
}

/** node:util parseArgs, with its errors turned into usage errors (exit 2) that show the usage. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
}

/**
 * Opens the store for a read command and closes it after. Opening for writing lets the store
 * upgrade its schema and mark runs of dead owners `interrupted`. Store errors exit 1 with their message.
 */
export async function withCliStore(
  io: CliIo, command: string, path: string, fn: (store: RunStore) => number | Promise<number>, whenMissing: () => number,
): Promise<number> {
  if (!existsSync(path)) return whenMissing();
  let store: RunStore | undefined;
  try {
    try {
      store = openStore(path);
    } catch (error) {
      // A store we may not write (a copied artifact, a read-only mount) can still be read.
      if (!(error instanceof StoreError && error.kind === 'io')) throw error;
      store = openStore(path, { readonly: true });
    }
    return await fn(store);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    io.err(`pipeline-studio ${command}: ${error.message}`);
    return 1;
  } finally {
    store?.close();
  }
}

/** `42`, `#42` or `latest` → a run id; undefined when `latest` and there are no runs. */
export function parseRunId(text: string, store: RunStore, usage: string): number | undefined {
  if (text === 'latest') return store.latestRunId();
  const match = /^#?([1-9]\d{0,15})$/.exec(text);
  if (match === null) throw new UsageError(`'${text}' is not a run; name a run by its number (42) or 'latest'.\n${usage}`);
  return Number(match[1]);
}

export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '-';
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Duration of something that started; a running one counts up to now. */
export function formatSpan(startedAt: number | undefined, finishedAt: number | undefined, now = Date.now()): string {
  if (startedAt === undefined) return '-';
  return formatDuration(Math.max(0, (finishedAt ?? now) - startedAt));
}

export function runIsFinished(run: RunRecord): boolean {
  return isFinalStatus(run.status);
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function formatTable(header: string[], rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 && !rightAligned.has(i) ? cell : rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
