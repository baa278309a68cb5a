import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DetailsStore } from '../../core/src/details/detailsStore.ts';
import { loadRunDetails } from '../../core/src/details/model.ts';
import { openStore } from '../../core/src/store/index.ts';
import { pipelineDir, tempDir } from '../runner/support.ts';
import { recordRun } from './support.ts';

const DIAMOND = `variables:
  t: 0.05
blocks:
  a:
    run: sleep 0.1
  b:
    depends_on: a
    run: sleep 0.1
  c:
    depends_on: a
    run: sleep \${{ vars.t }}
  d:
    depends_on: [b, c]
    run: "true"
`;

test('a real run: its critical path, per-block queue waits and resources, and a block flagged against its median', async () => {
  const { file } = pipelineDir(DIAMOND);
  const store = openStore(join(tempDir('ps-details-'), 'runs.sqlite'));
  for (let i = 0; i < 3; i++) await recordRun(file, { store, recorder: { resources: false } });
  const slow = await recordRun(file, { store, variables: { t: 1.5 } });
  const details = DetailsStore.open(store);
  const model = loadRunDetails(store, details, slow.result.runId);
  assert.ok(model !== undefined);
  assert.deepEqual(model.criticalPath, ['a', 'c', 'd']);
  assert.deepEqual(model.blocks.filter((b) => b.critical).map((b) => b.block), ['a', 'c', 'd']);
  const c = model.blocks.find((b) => b.block === 'c');
  assert.ok(c?.slow !== undefined && c.slow.ratio >= 2, JSON.stringify(c?.slow));
  assert.equal(model.blocks.find((b) => b.block === 'b')?.slow, undefined);
  assert.deepEqual(model.blocks.find((b) => b.block === 'd')?.dependsOn, ['b', 'c']);
  assert.ok(model.blocks.every((b) => b.readyAt !== undefined));
  // c ran 1.5 s, long enough to be sampled (a block ending within the first interval is not).
  assert.ok(c.cpuMs !== undefined && c.peakRssBytes !== undefined && c.peakRssBytes > 0);
  assert.ok(model.totals.cpuMs !== undefined);
  assert.equal(model.detail?.definition, DIAMOND);
});

test('a run recorded where resources are not measured (not Linux) says so in the model that show and the details view read', async () => {
  const { file } = pipelineDir('blocks:\n  a:\n    run: sleep 0.3\n');
  const store = openStore(join(tempDir('ps-details-'), 'runs.sqlite'));
  const r = await recordRun(file, { store });
  const details = DetailsStore.open(store);
  const measured = loadRunDetails(store, details, r.result.runId);
  assert.equal(measured?.resourcesUnmeasured, false);
  // What a recorder on macOS or Windows writes: method 'none' for every attempt.
  const row = store.blockRuns(r.result.runId)[0];
  assert.ok(row !== undefined);
  details.saveResources([{ blockRunId: row.id, runId: r.result.runId, pid: undefined, method: 'none', cpuUserMs: undefined, cpuSystemMs: undefined, peakRssBytes: undefined, readBytes: undefined, writeBytes: undefined, samples: 0 }]);
  const model = loadRunDetails(store, details, r.result.runId);
  assert.equal(model?.resourcesUnmeasured, true);
  assert.equal(model?.totals.cpuMs, undefined);
});
