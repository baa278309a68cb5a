// The store side of the query language: the migration indexes runs recorded before it, the side
// tables follow every write and delete, and sorting, paging and counting agree with the query.
process.env.TZ = 'UTC';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDriver } from '../../core/src/store/openDriver.ts';
import { MIGRATIONS } from '../../core/src/store/schema.ts';
import { QUERY_INDEXES } from '../../core/src/store/queryIndexes.ts';
import { openStore } from '../../core/src/store/index.ts';
import { DRIVERS, newRun, tempFolder } from '../store/helpers.ts';
import { fixtureStore, NOW } from './fixtureStore.ts';

for (const driver of DRIVERS) {
  test(`${driver}: runs recorded before the query migration are found by variables, outputs and text`, () => {
    const { dir, cleanup } = tempFolder('ps-query-');
    const path = join(dir, 'runs.sqlite');
    try {
      // A store as the previous version left it: every migration before this one.
      const before = MIGRATIONS.indexOf(QUERY_INDEXES);
      assert.ok(before > 0);
      const db = openDriver(path, driver, { readonly: false, busyTimeoutMs: 5000 });
      db.transaction(() => {
        for (const sql of MIGRATIONS.slice(0, before)) db.exec(sql);
        db.exec(`PRAGMA user_version = ${before}`);
        db.exec(`INSERT INTO pipeline_run (pipeline_name, pipeline_file, status, trigger, mode, variables, created_at, started_at, error, owner_pid, owner_host, heartbeat_at)
          VALUES ('old', '/ws/old.pipeline.yaml', 'failed', 'cli', 'all', '{"epochs": 30}', 1, 1, 'ran out of disk', 1, 'h', 1),
                 ('bad', '/ws/bad.pipeline.yaml', 'completed', 'cli', 'all', 'not json', 2, 2, NULL, 1, 'h', 2)`);
        db.exec(`INSERT INTO block_run (run_id, pipeline_file, block, status, reason, outputs) VALUES (1, '/ws/old.pipeline.yaml', 'train', 'failed', 'exit code 3', '{"loss": "0.25"}')`);
      });
      db.close();
      const store = openStore(path, { driver });
      try {
        const ids = (text: string): number[] => store.listRuns({ text }).map((r) => r.id);
        assert.deepEqual(ids('var:epochs>=30'), [1]);
        assert.deepEqual(ids('property:train.loss<0.5'), [1]);
        assert.deepEqual(ids('error:"exit code 3"'), [1]);
        assert.deepEqual(ids('error:"out of disk"'), [1]);
        assert.deepEqual(ids('bad'), [2]);
      } finally {
        store.close();
      }
    } finally {
      cleanup();
    }
  });

  test(`${driver}: the query tables follow new runs, new outputs and reasons, and deletions`, () => {
    const { dir, cleanup } = tempFolder('ps-query-');
    const store = openStore(join(dir, 'runs.sqlite'), { driver });
    try {
      const ids = (text: string): number[] => store.listRuns({ text }).map((r) => r.id);
      const run = store.createRun(newRun({ variables: { epochs: 7 } }));
      const block = store.createBlockRun({ runId: run.id, block: 'train', status: 'running' });
      assert.deepEqual(ids('property:accuracy>0'), []);
      store.updateBlockRun(block.id, { outputs: { accuracy: '0.5' } });
      assert.deepEqual(ids('property:train.accuracy=0.5'), [run.id]);
      store.updateBlockRun(block.id, { outputs: { accuracy: '0.75' } });
      assert.deepEqual(ids('property:accuracy=0.5'), []);
      assert.deepEqual(ids('property:accuracy=0.75'), [run.id]);
      store.updateBlockRun(block.id, { status: 'failed', reason: 'out of memory' });
      assert.deepEqual(ids('error:memory'), [run.id]);
      store.updateRun(run.id, { status: 'failed', error: 'train failed' });
      assert.deepEqual(ids('error:"train failed"'), [run.id]);
      assert.deepEqual(ids('error:memory'), [run.id], 'the run error joins the block reasons, not replaces them');
      const other = store.createRun(newRun({ variables: { epochs: 9 } }));
      store.updateRun(other.id, { status: 'completed' });
      assert.deepEqual(ids('var:epochs>5'), [other.id, run.id]);
      assert.ok(store.deleteRun(run.id));
      assert.deepEqual(ids('var:epochs>5'), [other.id]);
      assert.deepEqual(ids('error:memory'), []);
      assert.equal(store.clearHistory(), 1);
      assert.deepEqual(ids('var:epochs>5'), []);
    } finally {
      store.close();
      cleanup();
    }
  });

  test(`${driver}: sorting, paging and counting follow the query`, () => {
    const { store, cleanup } = fixtureStore(driver);
    try {
      const ids = (query: Parameters<typeof store.listRuns>[0]): number[] => store.listRuns({ now: NOW, ...query }).map((r) => r.id);
      assert.deepEqual(ids({}), [8, 7, 6, 5, 4, 3, 2, 1]);
      assert.deepEqual(ids({ sort: { field: 'id', direction: 'asc' } }), [1, 2, 3, 4, 5, 6, 7, 8]);
      // Durations: 2, 6, 10, 0.5, running 60, 1, 3, 20 minutes.
      assert.deepEqual(ids({ sort: { field: 'duration', direction: 'desc' } }), [5, 8, 3, 2, 7, 1, 6, 4]);
      assert.deepEqual(ids({ sort: { field: 'duration', direction: 'asc' }, limit: 3 }), [4, 6, 1]);
      assert.deepEqual(ids({ sort: { field: 'started', direction: 'asc' } }), [1, 2, 3, 6, 7, 8, 4, 5]);
      assert.deepEqual(ids({ sort: { field: 'pipeline', direction: 'asc' } }), [8, 5, 4, 3, 7, 2, 1, 6]);
      assert.deepEqual(ids({ sort: { field: 'blocks', direction: 'desc' }, limit: 3 }), [7, 2, 1]);
      assert.deepEqual(ids({ text: 'pipeline:mnist,orders-etl', limit: 2, offset: 2 }), [4, 3]);
      assert.equal(store.countRuns({ text: 'pipeline:mnist,orders-etl', now: NOW }), 6);
      assert.equal(store.countRuns({ text: 'status:failed', limit: 1 }), 2);
      const facts = store.runFacts({ text: 'pipeline:mnist', now: NOW });
      assert.deepEqual(facts.map((f) => [f.id, f.status, f.durationMs]), [[3, 'completed', 600_000], [4, 'cancelled', 30_000], [5, 'running', undefined]]);
      assert.deepEqual(store.runColumns({ text: 'pipeline:orders-etl,mnist' }), {
        variables: ['env', 'epochs', 'lr'], properties: ['extract.rows', 'train.accuracy'],
      });
      assert.deepEqual(store.blockRunsOf([7, 1]).map((b) => `${b.runId}:${b.block}#${b.attempt}`), ['1:extract#1', '1:load#1', '7:extract#1', '7:load#1', '7:load#2']);
    } finally {
      cleanup();
    }
  });
}
