import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockStatus, RunStatus, RunStore } from '../../store/types.ts';
import { LogSanitizer } from '../../runner/sanitize.ts';
import type { ArgoBlockState } from './nodes.ts';
import type { ArgoRunHandle } from './submit.ts';

const FINAL: readonly BlockStatus[] = ['completed', 'failed', 'cancelled', 'condition_failed'];

export interface ArgoRow {
  id: number;
  attempt: number;
  status: BlockStatus;
}

export interface ArgoRecorderCallbacks {
  onStatus?: (block: string, status: BlockStatus, reason: string | undefined, attempt: number, blockRunId: number) => void;
  onOutput?: (block: string, text: string) => void;
}

/**
 * Records a followed Argo workflow in the store: each task's node phases become its block's
 * attempt rows (a retry is a new row), each finished attempt's log is fetched into its row, and at
 * the end the blocks the workflow never reached and the run's status are settled. Shared by a run
 * that submits the workflow and by `attach`, which follows it again after the CLI was killed (an
 * attempt already recorded as finished is not recorded, nor its log fetched, twice).
 */
export class ArgoRecorder {
  handle: ArgoRunHandle | undefined;
  workflow = '';
  private readonly fetching: Promise<void>[] = [];
  private readonly store: RunStore;
  private readonly runId: number;
  private readonly rows: Map<string, ArgoRow>;
  private readonly executor: string;
  private readonly callbacks: ArgoRecorderCallbacks;

  constructor(store: RunStore, runId: number, rows: Map<string, ArgoRow>, executor: string, callbacks: ArgoRecorderCallbacks) {
    this.store = store;
    this.runId = runId;
    this.rows = rows;
    this.executor = executor;
    this.callbacks = callbacks;
  }

  readonly onBlock = (block: string, state: ArgoBlockState): void => {
    let row = this.rows.get(block);
    if (row === undefined) return;
    if (state.attempt === row.attempt && FINAL.includes(row.status)) return;
    if (state.attempt > row.attempt) {
      row = { id: this.store.createBlockRun({ runId: this.runId, block, status: 'initial', attempt: state.attempt }).id, attempt: state.attempt, status: 'initial' };
      this.rows.set(block, row);
    }
    row.status = state.status;
    const final = FINAL.includes(state.status);
    this.store.updateBlockRun(row.id, {
      status: state.status, executor: this.executor, executorType: 'argo', executorJob: state.podName ?? this.workflow,
      // A queued reason is shown, not kept (as in a local run); an ended attempt's reason is.
      ...(state.reason === undefined || !final ? {} : { reason: state.reason }),
      ...(state.exitCode === undefined ? {} : { exitCode: state.exitCode }),
      ...(final && Object.keys(state.outputs).length > 0 ? { outputs: state.outputs } : {}),
    });
    this.callbacks.onStatus?.(block, state.status, state.reason, state.attempt, row.id);
    if (final && state.status !== 'condition_failed' && state.podName !== undefined) this.fetchLogs(block, row.id);
  };

  /** After the workflow's end: waits for the logs, settles unreached blocks and the run. */
  async settle(end: { phase: string; message: string | undefined }, cancelled: boolean): Promise<{ status: RunStatus; error: string | undefined }> {
    await Promise.all(this.fetching);
    // Blocks the workflow never reached (after a failure or a shutdown) did not run.
    for (const row of this.rows.values()) {
      if (row.status === 'initial' || row.status === 'queued' || row.status === 'running') this.store.updateBlockRun(row.id, { status: cancelled ? 'cancelled' : 'skipped', reason: cancelled ? 'cancelled' : 'not run by the workflow' });
    }
    const status: RunStatus = cancelled ? 'cancelled' : end.phase === 'Succeeded' ? 'completed' : 'failed';
    const error = status === 'failed' ? `Argo workflow ${this.workflow}: ${end.phase}${end.message === undefined ? '' : ` (${end.message})`}` : undefined;
    this.store.updateRun(this.runId, { status, finishedAt: Date.now(), ...(error === undefined ? {} : { error }) });
    return { status, error };
  }

  private fetchLogs(block: string, rowId: number): void {
    const h = this.handle;
    if (h === undefined) return;
    this.fetching.push(h.logs(block).then((text) => {
      if (text === '') return;
      const writer = this.store.openLog(rowId);
      const sanitizer = new LogSanitizer();
      writer.write('stdout', sanitizer.write(text) + sanitizer.end());
      writer.close();
      this.callbacks.onOutput?.(block, text);
    }, (error: unknown) => {
      const writer = this.store.openLog(rowId);
      writer.write('system', `could not fetch the log: ${error instanceof Error ? error.message : String(error)}\n`);
      writer.close();
    }));
  }
}

/** What a run that submitted a workflow leaves beside the pipeline, so that `attach` can follow it again. */
export interface ArgoRunRecord {
  runId: number;
  workflow: string;
  namespace: string | undefined;
  executor: string;
  submittedAt: string;
}

export function argoRecordPath(folder: string, runId: number): string {
  return join(folder, '.pipelines', 'argo', `run-${runId}.json`);
}

export function writeArgoRecord(folder: string, record: ArgoRunRecord): void {
  mkdirSync(join(folder, '.pipelines', 'argo'), { recursive: true });
  writeFileSync(argoRecordPath(folder, record.runId), `${JSON.stringify(record)}\n`);
}

export function readArgoRecord(folder: string, runId: number): ArgoRunRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(argoRecordPath(folder, runId), 'utf8')) as ArgoRunRecord;
    return typeof record.workflow === 'string' && record.runId === runId ? record : undefined;
  } catch {
    return undefined;
  }
}
