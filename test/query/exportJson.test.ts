// export --format json reads a page of runs ahead (core/src/query/exportDetails.ts): every record must
// still be what `show --json` prints for that run, details (host, readiness, resources, logs, the
// "slow" history of each block, the definition) included, whatever the run has recorded; but that
// details.run (the same as run) is left out and each definition text is written once, in
// `definitions` by its sha256 (core/src/query/exportJson.ts).
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../core/src/cli/cli.ts';
import { exportRuns } from '../../core/src/cli/exportCommand.ts';
import type { ExportedRun } from '../../core/src/query/exportJson.ts';
import { RUN_LEVEL_BLOCK_FIELDS } from '../../core/src/query/exportRunJson.ts';
import { createHash } from 'node:crypto';
import { DetailsStore } from '../../core/src/details/detailsStore.ts';
import { ExecutionLinks } from '../../core/src/store/executionLinks.ts';
import { fixtureStore } from './fixtureStore.ts';

/** An export chunk as text: the run-level JSON export writes bytes. */
function chunkText(chunk: string | Uint8Array): string {
  return typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
}

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
    // Details on two runs only: a host, readiness, resources and a log; definitions on three (two the same text).
    const details = DetailsStore.open(store);
    const last = store.latestRunId() as number;
    const definitions = ['name: orders-etl\nblocks:\n  extract: { run: echo e }\n  load: { run: echo l, depends_on: [extract] }\n', 'name: orders-etl\nblocks:\n  extract: { run: echo e2 }\n  load: { run: echo l }\n'];
    const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
    for (const [runId, text] of [[last, definitions[0]], [last - 1, definitions[0]], [last - 2, definitions[1]]] as const) details.saveDefinition(runId, text as string, sha(text as string));
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
    // Links in one page: a parent with two children (one retried block: two attempts), a profile, a test run.
    const links = ExecutionLinks.open(store);
    const newRun = (trigger: 'cli' | 'pipeline' | 'test'): number => store.createRun({ pipelineName: 'orders-etl', pipelineFile: '/ws/etl/orders.pipeline.yaml', trigger, mode: 'all', selection: [], sourceRunId: undefined, variables: {}, git: undefined }).id;
    const parent = newRun('cli');
    const children = [newRun('pipeline'), newRun('pipeline'), newRun('pipeline')];
    children.forEach((child, i) => links.linkChild({ childRunId: child, parentRunId: parent, parentBlock: i === 2 ? 'report' : 'load', parentBlockRunId: undefined }));
    store.updateRun(children[0] as number, { status: 'failed', finishedAt: Date.parse('2026-01-22T00:00:00Z') });
    links.setProfile(parent, 'gpu');
    links.setProfile(children[1] as number, 'cpu');
    newRun('test');
    links.close();

    const text = (await cli(['export', '--store', path, '--format', 'json', '--details'])).out;
    const exported = JSON.parse(text) as { runs: ExportedRun[]; definitions: Record<string, string> };
    assert.deepEqual(Object.keys(exported).sort(), ['definitions', 'runs']);
    assert.equal(exported.runs.length, store.countRuns());
    // Each distinct text once, by its hash; no run carries it.
    assert.deepEqual(exported.definitions, Object.fromEntries(definitions.map((d) => [sha(d), d])));
    assert.equal(text.split('depends_on: [extract]').length, 2, 'the shared definition is written once');
    let withDefinition = 0;
    for (const record of exported.runs) {
      const show = JSON.parse((await cli(['show', String(record.run.id), '--store', path, '--json'])).out) as { details: { run: unknown; detail: { definition?: string } | undefined } };
      assert.ok(record.details !== undefined, `run #${record.run.id} has details`);
      assert.equal('run' in record.details, false);
      // Put back what the export leaves out: then every field must be show's.
      const detail = record.details.detail;
      const sha256 = detail?.definitionSha256;
      if (sha256 !== undefined) {
        withDefinition++;
        assert.equal('definition' in (detail as object), false, `run #${record.run.id} carries no definition text`);
      }
      const rebuilt = {
        ...record,
        details: { run: record.run, ...record.details, detail: detail === undefined ? undefined : { ...detail, ...(sha256 === undefined ? {} : { definition: exported.definitions[sha256] }) } },
      };
      assert.deepEqual(JSON.parse(JSON.stringify(rebuilt)), show, `run #${record.run.id}`);
    }
    assert.equal(withDefinition, 3);
    const linked = (id: number): Record<string, unknown> => exported.runs.find((r) => r.run.id === id) as Record<string, unknown>;
    assert.deepEqual(linked(parent).children, [
      { runId: children[0], block: 'load', status: 'failed' }, { runId: children[1], block: 'load', status: 'initial' }, { runId: children[2], block: 'report', status: 'initial' },
    ]);
    assert.equal(linked(parent).profile, 'gpu');
    assert.deepEqual(linked(children[1] as number).parent, { runId: parent, block: 'load' });
    assert.equal(linked(children[1] as number).profile, 'cpu');
    assert.equal(linked(parent + 4).test, true);
    // Pages of 7: each page looks back on the history before it; the result is the same text.
    let paged = '';
    assert.equal(await exportRuns(store, { text: undefined, format: 'json', details: true, pageSize: 7 }, (chunk) => void (paged += chunkText(chunk))), exported.runs.length);
    assert.deepEqual(JSON.parse(paged), exported);
    // A sparse query, a run a page: each page's history is read afresh below it, the records are the same.
    const ids = [last, last - 3, 5, 2];
    let sparse = '';
    await exportRuns(store, { text: ids.map((id) => `#${id}`).join(' OR '), format: 'json', details: true, pageSize: 1 }, (chunk) => void (sparse += chunkText(chunk)));
    assert.deepEqual((JSON.parse(sparse) as typeof exported).runs, ids.map((id) => exported.runs.find((r) => r.run.id === id)));
    // Without --details: show --json's record less details, block runs cut to status, timing and outputs; the same in pages of 3.
    const runLevel = JSON.parse((await cli(['export', '--store', path, '--format', 'json'])).out) as { runs: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(runLevel), ['runs']);
    let pagedRunLevel = '';
    await exportRuns(store, { text: undefined, format: 'json', pageSize: 3 }, (chunk) => void (pagedRunLevel += chunkText(chunk)));
    assert.deepEqual(JSON.parse(pagedRunLevel), runLevel);
    assert.deepEqual(runLevel.runs.map((r) => (r.run as { id: number }).id), exported.runs.map((r) => r.run.id));
    let blockRunsSeen = 0;
    for (const record of exported.runs) {
      const { details: _details, blockRuns, ...rest } = record;
      const cut = blockRuns.map((b) => Object.fromEntries(RUN_LEVEL_BLOCK_FIELDS.filter((f) => f in b).map((f) => [f, b[f]])));
      blockRunsSeen += cut.length;
      assert.deepEqual(runLevel.runs.find((r) => (r.run as { id: number }).id === record.run.id), JSON.parse(JSON.stringify({ ...rest, blockRuns: cut })), `run-level #${record.run.id}`);
    }
    assert.ok(blockRunsSeen > 60, `block runs compared: ${blockRunsSeen}`);
    const newest = exported.runs.find((r) => r.run.id === last) as unknown as { details: { blocks: { block: string; slow: unknown }[]; resources: unknown[] } };
    assert.ok(newest.details.blocks.some((b) => b.block === 'load' && b.slow !== undefined), 'the newest load is marked slow against its history');
    assert.equal(newest.details.resources.length, 1);
  } finally {
    cleanup();
  }
});
