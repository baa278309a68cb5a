import type { BlockRunRecord } from '../../../core/src/store/index.ts';
import type { StoreReader } from '../runState/storeConnection.ts';

/** How many of a pipeline's latest runs are searched for each block's last run. */
const RUNS_SEARCHED = 25;

export interface LastBlockRun {
  record: BlockRunRecord;
  store: string;
}

/**
 * The latest run of each block of a pipeline that actually did something (a block left out of a
 * run's selection is `skipped` there and does not count), read through the run-state model's shared
 * connection, held between calls. Reads never throw: no store yet simply means no runs.
 */
export class LastBlockRuns {
  private readonly connections = new Map<string, StoreReader>();
  private readonly hold: (storePath: string) => StoreReader;
  /** What the lenses of each (store, pipeline file) last showed, to tell whether a store change alters them. */
  private readonly shown = new Map<string, { storePath: string; pipelineFile: string; signature: string }>();

  constructor(hold: (storePath: string) => StoreReader) {
    this.hold = hold;
  }

  /**
   * Whether the lenses shown for pipelines of this store would now read differently. A store changes
   * many times a second while a run writes logs; asking VS Code to redraw lenses only when a block's
   * last result changed keeps every other write from costing a redraw of every open pipeline.
   */
  changed(storePath: string, openFiles: ReadonlySet<string>): boolean {
    let changed = false;
    for (const [key, entry] of this.shown) {
      if (!openFiles.has(entry.pipelineFile)) this.shown.delete(key);
      else if (entry.storePath === storePath && !changed) changed = signature(this.compute(storePath, entry.pipelineFile)) !== entry.signature;
    }
    return changed;
  }

  read(storePath: string, pipelineFile: string): Map<string, LastBlockRun> {
    const found = this.compute(storePath, pipelineFile);
    this.shown.set(`${storePath}\0${pipelineFile}`, { storePath, pipelineFile, signature: signature(found) });
    return found;
  }

  private compute(storePath: string, pipelineFile: string): Map<string, LastBlockRun> {
    const found = new Map<string, LastBlockRun>();
    const connection = this.connectionTo(storePath);
    // The file may have been deleted or replaced since the last read (history wiped by hand, the CLI
    // starting a new store): a connection kept to the old file would show its runs for ever.
    connection.checkFile();
    // A store that cannot be read leaves the lenses without a last run; the history view says why.
    connection.read((store) => {
      for (const run of store.listRuns({ pipelineFile, limit: RUNS_SEARCHED })) {
        for (const record of store.blockRuns(run.id)) {
          if (record.status === 'skipped' && (record.reason ?? 'not selected').startsWith('not selected')) continue;
          const seen = found.get(record.block);
          // Newest run first; within a run the last attempt wins.
          if (seen === undefined || (seen.record.runId === record.runId && record.attempt > seen.record.attempt)) found.set(record.block, { record, store: storePath });
        }
      }
    });
    return found;
  }

  dispose(): void {
    for (const connection of this.connections.values()) connection.release();
    this.connections.clear();
    this.shown.clear();
  }

  private connectionTo(path: string): StoreReader {
    let connection = this.connections.get(path);
    if (connection === undefined) {
      connection = this.hold(path);
      this.connections.set(path, connection);
    }
    return connection;
  }
}

function signature(found: ReadonlyMap<string, LastBlockRun>): string {
  return JSON.stringify([...found].map(([block, { record }]) => [block, record.id, record.status, record.finishedAt, record.attempt]));
}
