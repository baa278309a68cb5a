import type { SqlDriver, SqlStatement } from '../store/driver.ts';
import { ExecutionLinks } from '../store/executionLinks.ts';
import { openDriver } from '../store/openDriver.ts';
import { DEFAULT_BUSY_TIMEOUT_MS } from '../store/openStore.ts';
import { pageRunLinks } from '../store/runLinks.ts';
import type { RunStore, RunSummary } from '../store/types.ts';

const CLOSE = Buffer.from(']}');

/**
 * Each run's block runs as JSON text, written by SQLite: what JSON.stringify writes of the
 * record's RUN_LEVEL_BLOCK_FIELDS (absent where rows.ts reads undefined; outputs `{}` unless the
 * column holds an object), comma-separated in id order, as bytes (a BLOB: never decoded into a
 * JavaScript string to be encoded back). Built in JavaScript from the rows, the text cost as much as
 * reading them.
 */
const BLOCK_RUNS_TEXT = `SELECT run_id, CAST(group_concat('{"id":' || id || ',"block":' || json_quote(block) || ',"status":' || json_quote(status) || ',"attempt":' || attempt
    || CASE WHEN exit_code IS NULL THEN '' ELSE ',"exitCode":' || exit_code END
    || CASE WHEN signal IS NULL THEN '' ELSE ',"signal":' || json_quote(signal) END
    || CASE WHEN reason IS NULL OR reason = '' THEN '' ELSE ',"reason":' || json_quote(reason) END
    || CASE WHEN started_at IS NULL THEN '' ELSE ',"startedAt":' || started_at END
    || CASE WHEN finished_at IS NULL THEN '' ELSE ',"finishedAt":' || finished_at END
    || ',"outputs":' || CASE WHEN outputs = '{}' THEN '{}' WHEN json_valid(outputs) AND json_type(outputs) = 'object' THEN json(outputs) ELSE '{}' END
    || CASE WHEN executor IS NULL THEN '' ELSE ',"executor":' || json_quote(executor) END || '}', ',' ORDER BY id) AS BLOB) AS text
  FROM block_run WHERE run_id IN (SELECT value FROM json_each(?)) AND item_of IS NULL GROUP BY run_id`;

function bytesOf(value: unknown): Uint8Array {
  return value instanceof Uint8Array ? value : Buffer.from(String(value));
}

/** The run-level export of no runs. */
export const EMPTY_RUN_JSON = '{"runs": []}\n';

/** The fields of each block run a run-level JSON export keeps (show --json's names): its status, timing and outputs. */
export const RUN_LEVEL_BLOCK_FIELDS = ['id', 'block', 'status', 'attempt', 'exitCode', 'signal', 'reason', 'startedAt', 'finishedAt', 'outputs', 'executor'] as const;

/**
 * The run-level JSON export (`export --format json` without `--details`), page by page:
 * `{"runs": [record, ...]}`, each record `show --json`'s without `details`, its block runs (every
 * attempt, fan-out items aside) cut to RUN_LEVEL_BLOCK_FIELDS. Each page is one buffer (one write):
 * encoding a page as one concatenated string cost more than building it.
 */
export class RunJsonExport {
  private readonly store: RunStore;
  private db: SqlDriver | undefined;
  private blockRuns: SqlStatement | undefined;
  private links: ExecutionLinks | undefined;
  private count = 0;

  constructor(store: RunStore) {
    this.store = store;
  }

  head(): string {
    return '{"runs": [';
  }

  /** The page's runs as UTF-8 (each on its own line, comma-separated from the previous page's). */
  page(runs: readonly RunSummary[]): Uint8Array {
    this.db ??= openDriver(this.store.path, this.store.driver, { readonly: true, busyTimeoutMs: DEFAULT_BUSY_TIMEOUT_MS });
    this.blockRuns ??= this.db.prepare(BLOCK_RUNS_TEXT);
    this.links ??= ExecutionLinks.open(this.store, { readonly: true });
    const ids = runs.map((r) => r.id);
    const links = this.links.linksOf(ids);
    const blocks = new Map<number, Uint8Array>();
    for (const row of this.blockRuns.all(JSON.stringify(ids))) blocks.set(Number(row.run_id), bytesOf(row.text));
    const parts: Uint8Array[] = [];
    runs.forEach(({ counts: _counts, ...run }, i) => {
      const l = pageRunLinks(links, run);
      parts.push(Buffer.from(`${i === 0 ? (this.count === 0 ? '\n' : ',\n') : ',\n'}{"run":${JSON.stringify(run)},"profile":${l.profile === undefined ? 'null' : JSON.stringify(l.profile)},"test":${String(l.test)},`
        + `"parent":${l.parent === undefined ? 'null' : JSON.stringify(l.parent)},"children":${JSON.stringify(l.children)},"blockRuns":[`));
      const list = blocks.get(run.id);
      if (list !== undefined) parts.push(list);
      parts.push(CLOSE);
    });
    this.count += runs.length;
    return Buffer.concat(parts);
  }

  tail(): string {
    return `${this.count === 0 ? '' : '\n'}]}\n`;
  }

  close(): void {
    this.links?.close();
    this.db?.close();
  }
}

