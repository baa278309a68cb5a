import { DetailsStore } from '../details/detailsStore.ts';
import { loadRunDetails, type RunDetails } from '../details/model.ts';
import type { RunDetailRecord } from '../details/types.ts';
import type { SqlDriver } from '../store/driver.ts';
import { ExecutionLinks } from '../store/executionLinks.ts';
import { runJson } from '../store/runLinks.ts';
import { openDriver } from '../store/openDriver.ts';
import { DEFAULT_BUSY_TIMEOUT_MS } from '../store/openStore.ts';
import type { BlockRunRecord, RunRecord, RunStore, RunSummary } from '../store/types.ts';
import { ExportPage, historyQuery, type HistoryQuery } from './exportDetails.ts';

/** The export of no runs. */
export const EMPTY_JSON = '{"runs": [],\n"definitions": {}}\n';

/**
 * One run of a JSON export: what `show --json` prints for it, less two repeats: `details.run` (it
 * is `run`) and `details.detail.definition` (the definition text, kept once per distinct text in
 * the export's `definitions`, keyed by `details.detail.definitionSha256`). 100,000 runs of the
 * same few pipelines carried the same text 100,000 times.
 */
export interface ExportedRun {
  run: RunRecord;
  blockRuns: BlockRunRecord[];
  /** The links `show --json` has (profile, test, parent, children): see `runJson`. */
  [link: string]: unknown;
  details: (Omit<RunDetails, 'run' | 'detail'> & { detail: Omit<RunDetailRecord, 'definition'> & { definition?: string } | undefined }) | undefined;
}

/**
 * The JSON export, page by page: `{"runs": [ExportedRun, ...], "definitions": {sha256: text}}`.
 * The definitions come last, so that the runs stream as they are read with only the distinct
 * texts held.
 */
export class JsonExport {
  private readonly store: RunStore;
  private details: DetailsStore | undefined;
  private history: SqlDriver | undefined;
  private links: ExecutionLinks | undefined;
  private read: HistoryQuery | undefined;
  private readonly definitions = new Map<string, string>();
  private count = 0;

  constructor(store: RunStore) {
    this.store = store;
  }

  head(): string {
    return '{"runs": [';
  }

  /** The page's runs as JSON text (each on its own line, comma-separated from the previous page's). */
  page(runs: readonly RunSummary[]): string {
    this.details ??= DetailsStore.open(this.store);
    this.history ??= openDriver(this.store.path, this.store.driver, { readonly: true, busyTimeoutMs: DEFAULT_BUSY_TIMEOUT_MS });
    this.read ??= historyQuery(this.history);
    this.links ??= ExecutionLinks.open(this.store, { readonly: true });
    const records = runs.map(({ counts: _counts, ...run }) => run);
    const page = new ExportPage({ runs: records, blockRuns: this.store.blockRunsOf(records.map((r) => r.id)) }, this.details, this.read, this.links);
    const parts: string[] = [];
    for (const run of records) parts.push(JSON.stringify(this.record(run, page, loadRunDetails(page, page, run.id))));
    const text = `${this.count === 0 ? '' : ','}\n${parts.join(',\n')}`;
    this.count += runs.length;
    return text;
  }

  tail(): string {
    const definitions = JSON.stringify(Object.fromEntries(this.definitions), null, 0);
    return `${this.count === 0 ? '' : '\n'}],\n"definitions": ${definitions}}\n`;
  }

  close(): void {
    this.details?.close();
    this.links?.close();
    this.history?.close();
  }

  private record(run: RunRecord, page: ExportPage, loaded: RunDetails | undefined): ExportedRun {
    const exported = (details: ExportedRun['details']): ExportedRun => runJson(run, page.runLinks(run), page.blockRuns(run.id), details) as ExportedRun;
    if (loaded === undefined) return exported(undefined);
    const { run: _same, detail, ...rest } = loaded;
    if (detail?.definition === undefined || detail.definitionSha256 === undefined) return exported({ detail, ...rest });
    if (!this.definitions.has(detail.definitionSha256)) this.definitions.set(detail.definitionSha256, detail.definition);
    const { definition: _text, ...kept } = detail;
    return exported({ detail: kept, ...rest });
  }
}
