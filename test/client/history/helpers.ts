import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type NewRun, type RunStore } from '../../../core/src/store/index.ts';
import { HistoryModel } from '../../../client/src/history/historyModel.ts';

export function tempStore(): { dir: string; path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ps-history-'));
  return { dir, path: join(dir, '.pipelines', 'runs.sqlite'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    pipelineName: 'etl', pipelineFile: '/work/example/etl.pipeline.yaml', trigger: 'cli', mode: 'all', selection: [], sourceRunId: undefined,
    variables: { region: 'eu' }, git: { commit: 'a3f9e2b1c0', branch: 'main', dirty: false }, ...overrides,
  };
}

/** A finished run with one block run per status given, written through the real store. */
export function finishedRun(store: RunStore, status: 'completed' | 'failed', overrides: Partial<NewRun> = {}): number {
  const run = store.createRun(newRun(overrides));
  store.updateRun(run.id, { status: 'running' });
  const block = store.createBlockRun({ runId: run.id, block: 'extract', status: 'running' });
  store.updateBlockRun(block.id, { status, exitCode: status === 'completed' ? 0 : 1 });
  store.updateRun(run.id, { status });
  return run.id;
}

export function writableStore(path: string): RunStore {
  return openStore(path);
}

export function modelFor(path: string, pageSize?: number): HistoryModel {
  const model = new HistoryModel({ pageSize });
  model.setStores([{ name: 'work', folderPath: '/work', storePath: path }]);
  return model;
}
