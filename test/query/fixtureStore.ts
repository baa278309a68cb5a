import { join } from 'node:path';
import { openStore, type BlockStatus, type NewRun, type RunStatus, type RunStore } from '../../core/src/store/index.ts';
import { tempFolder } from '../store/helpers.ts';

// Relative dates (today, -7d) are measured from here; local time is UTC (the test files set TZ).
export const NOW = Date.parse('2026-02-01T12:00:00Z');
const MINUTE = 60_000;

interface FixtureBlock {
  block: string;
  status: BlockStatus;
  attempt?: number;
  reason?: string;
  outputs?: Record<string, string>;
}

interface FixtureRun {
  name: string;
  file: string;
  status: RunStatus;
  trigger: NewRun['trigger'];
  git?: NewRun['git'];
  variables?: NewRun['variables'];
  start: string | number;
  minutes?: number;
  error?: string;
  blocks: FixtureBlock[];
}

const MAIN = { commit: 'a3f9e2b7c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5', branch: 'main', dirty: false };

/** The runs the golden cases (cases.golden.txt) query: ids 1–8 in this order. */
export const FIXTURE_RUNS: FixtureRun[] = [
  { name: 'orders-etl', file: '/ws/etl/orders.pipeline.yaml', status: 'completed', trigger: 'cli', git: MAIN, variables: { epochs: 10, env: 'prod' }, start: '2026-01-05T10:00:00Z', minutes: 2,
    blocks: [{ block: 'extract', status: 'completed', outputs: { rows: '120' } }, { block: 'load', status: 'completed' }] },
  { name: 'orders-etl', file: '/ws/etl/orders.pipeline.yaml', status: 'failed', trigger: 'manual', git: { ...MAIN, dirty: true }, variables: { epochs: 5, env: 'dev' }, start: '2026-01-10T10:00:00Z', minutes: 6,
    error: 'block load failed', blocks: [{ block: 'extract', status: 'completed', outputs: { rows: '80' } }, { block: 'load', status: 'failed', reason: 'exit code 1: disk full' }] },
  { name: 'mnist', file: '/ws/ml/mnist.pipeline.yaml', status: 'completed', trigger: 'schedule:nightly', git: { commit: 'b1c2d3e4f5a6b7c8d9e0', branch: 'feature/x', dirty: false },
    variables: { epochs: 20, lr: 0.01 }, start: '2026-01-20T08:00:00Z', minutes: 10, blocks: [{ block: 'train', status: 'completed', outputs: { accuracy: '0.93' } }] },
  { name: 'mnist', file: '/ws/ml/mnist.pipeline.yaml', status: 'cancelled', trigger: 'retry', git: { commit: 'b1c2d3e4f5a6b7c8d9e0', branch: 'feature/x', dirty: false },
    variables: { epochs: '15' }, start: '2026-01-31T23:30:00Z', minutes: 0.5, blocks: [{ block: 'train', status: 'cancelled', reason: 'cancelled' }] },
  { name: 'mnist', file: '/ws/ml/mnist.pipeline.yaml', status: 'running', trigger: 'event:on-data', variables: {}, start: NOW - 60 * MINUTE,
    blocks: [{ block: 'train', status: 'running' }] },
  { name: "weird'; DROP TABLE pipeline_run; --", file: '/ws/weird.pipeline.yaml', status: 'failed', trigger: 'debug', variables: { note: "=cmd|' /C calc'!A0", msg: 'a, "quoted"\nline' },
    start: '2026-01-25T12:00:00Z', minutes: 1, error: 'Timeout after 1m', blocks: [{ block: 'step', status: 'failed', reason: 'timeout', outputs: { accuracy: 'n/a' } }] },
  { name: 'orders-etl', file: '/ws/etl/orders.pipeline.yaml', status: 'completed', trigger: 'cli', git: MAIN, variables: { epochs: 12, env: 'prod' }, start: '2026-01-31T09:00:00Z', minutes: 3,
    blocks: [{ block: 'extract', status: 'completed', outputs: { rows: '200' } }, { block: 'load', status: 'failed', reason: 'timeout' }, { block: 'load', status: 'completed', attempt: 2 }] },
  { name: 'ab', file: '/ws/ab.pipeline.yaml', status: 'completed', trigger: 'schedule', variables: { flag: true }, start: '2026-01-31T10:00:00Z', minutes: 20,
    blocks: [{ block: 'x', status: 'skipped' }] },
];

/** A real store on disk with the fixture runs, written through the store's API (so its triggers fill the query tables). */
export function fixtureStore(driver: 'better-sqlite3' | 'node:sqlite' = 'better-sqlite3'): { store: RunStore; path: string; cleanup: () => void } {
  const { dir, cleanup } = tempFolder('ps-query-');
  const path = join(dir, 'runs.sqlite');
  const store = openStore(path, { driver });
  for (const run of FIXTURE_RUNS) {
    const record = store.createRun({
      pipelineName: run.name, pipelineFile: run.file, trigger: run.trigger, mode: 'all', selection: [], sourceRunId: undefined, variables: run.variables ?? {}, git: run.git,
    });
    const startedAt = typeof run.start === 'number' ? run.start : Date.parse(run.start);
    const finishedAt = run.minutes === undefined ? undefined : startedAt + run.minutes * MINUTE;
    store.updateRun(record.id, { status: 'running', startedAt });
    for (const b of run.blocks) {
      const blockRun = store.createBlockRun({ runId: record.id, block: b.block, status: 'running', attempt: b.attempt ?? 1, startedAt });
      store.updateBlockRun(blockRun.id, { status: b.status, reason: b.reason, outputs: b.outputs, finishedAt: b.status === 'running' ? undefined : finishedAt });
    }
    if (run.status !== 'running') store.updateRun(record.id, { status: run.status, finishedAt, error: run.error });
  }
  return { store, path, cleanup: () => { store.close(); cleanup(); } };
}
