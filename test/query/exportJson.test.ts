// export --format json reads a page of runs ahead (core/src/query/exportDetails.ts): every record must
// still be exactly what `show --json` prints for that run, details (host, readiness, resources, logs,
// the "slow" history of each block) included, whatever the run has recorded.
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../core/src/cli/cli.ts';
import { exportRuns } from '../../core/src/cli/exportCommand.ts';
import { DetailsStore } from '../../core/src/details/detailsStore.ts';
import { fixtureStore } from './fixtureStore.ts';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: () => undefined });
  return { code, out: out.join('\n') };
}

test('export json: each run is what show --json prints, with and without details, across pages', async () => {
  const { store, path, cleanup } = fixtureStore();
  try {
    // More runs of orders-etl, so that its blocks have a duration history (and a slow mark) to compare.
    for (let i = 0; i < 30; i++) {
      const run = store.createRun({ pipelineName: 'orders-etl', pipelineFile: '/ws/etl/orders.pipeline.yaml', trigger: 'cli', mode: 'all', selection: [], sourceRunId: undefined, variables: {}, git: undefined });
      const startedAt = Date.parse('2026-01-21T00:00:00Z') + i * 3_600_000;
      store.updateRun(run.id, { status: 'running', startedAt });
      for (const block of ['extract', 'load']) {
        const blockRun = store.createBlockRun({ runId: run.id, block, status: 'running', attempt: 1, startedAt });
        store.updateBlockRun(blockRun.id, { status: 'completed', finishedAt: startedAt + (i === 29 && block === 'load' ? 600_000 : 1000 + i) });
      }
      store.updateRun(run.id, { status: 'completed', finishedAt: startedAt + 600_000 });
    }
    // Details on two runs only: a host, readiness, resources and a log.
    const details = DetailsStore.open(store);
    const last = store.latestRunId() as number;
    for (const runId of [2, last]) {
      details.saveHost(runId, { name: 'h', os: 'linux', cpus: 2, runtime: 'node', tool: '1' });
      const [first] = store.blockRuns(runId);
      assert.ok(first !== undefined);
      details.saveReady(runId, [{ block: first.block, at: first.startedAt ?? 0 }]);
      details.saveResources([{ blockRunId: first.id, runId, pid: 1, method: 'proc', cpuUserMs: 5, cpuSystemMs: 1, peakRssBytes: 1024, readBytes: 0, writeBytes: 8, samples: 2 }]);
      const log = store.openLog(first.id);
      log.write('stdout', 'hello\n');
      log.close();
    }
    details.close();

    const exported = JSON.parse((await cli(['export', '--store', path, '--format', 'json'])).out) as { run: { id: number } }[];
    assert.equal(exported.length, store.countRuns());
    for (const record of exported) {
      const show = JSON.parse((await cli(['show', String(record.run.id), '--store', path, '--json'])).out) as unknown;
      assert.deepEqual(record, show, `run #${record.run.id}`);
    }
    // Pages of 7: each page looks back on the history before it; the result is the same text.
    let paged = '';
    exportRuns(store, { text: undefined, format: 'json', pageSize: 7 }, (chunk) => void (paged += chunk));
    assert.deepEqual(JSON.parse(paged), exported);
    const newest = exported[0] as unknown as { details: { blocks: { block: string; slow: unknown }[]; resources: unknown[] } };
    assert.ok(newest.details.blocks.some((b) => b.block === 'load' && b.slow !== undefined), 'the newest load is marked slow against its history');
    assert.equal(newest.details.resources.length, 1);
  } finally {
    cleanup();
  }
});
