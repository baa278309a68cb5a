import { join } from 'node:path';
import { DetailsStore } from '../../core/src/details/detailsStore.ts';
import { openStore } from '../../core/src/store/index.ts';
import type { RunStore } from '../../core/src/store/types.ts';
import { tempDir } from '../runner/support.ts';

const FILE = '/work/demo/etl.pipeline.yaml';
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

function definition(variant: number): string {
  const extra = variant >= 3 ? '\n  publish:\n    depends_on: load\n    run: echo publish\n' : '';
  const train = variant === 2 || variant === 4 ? 'python train.py --epochs 20' : 'python train.py';
  const load = variant === 4 ? '' : '\n  load:\n    depends_on: train\n    run: echo load\n';
  return `name: etl\nvariables:\n  rows: 10\nblocks:\n  extract:\n    run: echo extract\n  train:\n    depends_on: extract\n    run: ${train}\n${load}${extra}`;
}

/**
 * A store holding 5 runs of one pipeline with fixed times, variables, outputs, git commits,
 * definitions and artifacts, written through the store APIs (no clock, no processes): the input
 * of the compare goldens.
 */
export function comparisonStore(): { store: RunStore; runIds: number[] } {
  const store = openStore(join(tempDir('ps-compare-'), 'runs.sqlite'));
  const details = DetailsStore.open(store);
  const runIds: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = T0 + i * 3_600_000;
    const run = store.createRun({
      pipelineName: 'etl', pipelineFile: FILE, trigger: i === 0 ? 'cli' : 'manual', mode: 'all', selection: [], sourceRunId: undefined,
      variables: { rows: i < 2 ? 10 : 10 * i, region: 'eu' },
      git: { commit: i < 3 ? 'a'.repeat(40) : 'b'.repeat(40), branch: 'main', dirty: i === 1 },
    });
    runIds.push(run.id);
    const text = definition(i);
    details.saveDefinition(run.id, text, `hash-${i}`);
    let at = start;
    for (const [block, ms, status] of [['extract', 1000 + i * 100, 'completed'], ['train', 5000 * (i + 1), i === 2 ? 'failed' : 'completed'], ['load', 300, 'completed']] as const) {
      if (block === 'load' && i === 4) continue;
      const row = store.createBlockRun({ runId: run.id, block, status, startedAt: at, finishedAt: at + ms, outputs: block === 'train' ? { accuracy: (0.8 + i / 100).toFixed(2), model: `m${i}.pkl` } : {} });
      store.updateBlockRun(row.id, { exitCode: status === 'failed' ? 1 : 0 });
      details.saveArtifacts([{
        runId: run.id, blockRunId: row.id, pipelineFile: FILE, block, direction: 'output', declared: 'out', path: `/work/demo/out/${block}.bin`,
        size: 100, mtimeMs: at, sha256: block === 'train' && i % 2 === 1 ? `${'c'.repeat(60)}000${i}` : 'd'.repeat(64), hashNote: undefined, changed: undefined, lineageBlockRunId: undefined,
      }]);
      at += ms;
    }
    store.updateRun(run.id, { status: i === 2 ? 'failed' : 'completed', startedAt: start, finishedAt: at });
  }
  details.close();
  return { store, runIds };
}
