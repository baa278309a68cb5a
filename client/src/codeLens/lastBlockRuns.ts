import { openStore, StoreError, type BlockRunRecord, type RunStore } from '../../../core/src/store/index.ts';

/** How many of a pipeline's latest runs are searched for each block's last run. */
const RUNS_SEARCHED = 25;

export interface LastBlockRun {
  record: BlockRunRecord;
  store: string;
}

/**
 * The latest run of each block of a pipeline that actually did something (a block left out of a
 * run's selection is `skipped` there and does not count), read through a read-only connection
 * that is kept open between calls. Reads never throw: no store yet simply means no runs.
 */
export class LastBlockRuns {
  private readonly readers = new Map<string, RunStore>();

  read(storePath: string, pipelineFile: string): Map<string, LastBlockRun> {
    const found = new Map<string, LastBlockRun>();
    const store = this.reader(storePath);
    if (store === undefined) return found;
    try {
      for (const run of store.listRuns({ pipelineFile, limit: RUNS_SEARCHED })) {
        for (const record of store.blockRuns(run.id)) {
          if (record.status === 'skipped' && (record.reason ?? 'not selected').startsWith('not selected')) continue;
          const seen = found.get(record.block);
          // Newest run first; within a run the last attempt wins.
          if (seen === undefined || (seen.record.runId === record.runId && record.attempt > seen.record.attempt)) found.set(record.block, { record, store: storePath });
        }
      }
    } catch {
      this.forget(storePath);
    }
    return found;
  }

  dispose(): void {
    for (const path of [...this.readers.keys()]) this.forget(path);
  }

  private reader(path: string): RunStore | undefined {
    const open = this.readers.get(path);
    if (open !== undefined) return open;
    try {
      const store = openStore(path, { readonly: true, busyTimeoutMs: 100 });
      this.readers.set(path, store);
      return store;
    } catch (error) {
      // No store yet, or one that cannot be read: the history view explains which; lenses just omit the last run.
      if (!(error instanceof StoreError)) throw error;
      return undefined;
    }
  }

  private forget(path: string): void {
    const store = this.readers.get(path);
    this.readers.delete(path);
    try {
      store?.close();
    } catch {
      // Closing a broken read-only connection has nothing to lose.
    }
  }
}
