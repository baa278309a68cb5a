import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import { runYaml, tempDir, waitFor } from './support.ts';

// A block still waiting for its upstream has no process and no queue entry; cancelling it must end
// it at once (recorded `cancelled`, its dependents with it), not leave it `initial` until its
// upstream finishes, or for good if the run dies first.
test('cancelling a block that waits for its upstream records it cancelled at once; the upstream goes on', async () => {
  const store = openStore(join(tempDir('ps-store-'), 'runs.sqlite'));
  let checked = false;
  let failure: unknown;
  const r = await runYaml(`blocks:
  upstream:
    run: while [ ! -e go ]; do sleep 0.05; done
  waiting:
    depends_on: upstream
    run: echo should not run
  after_waiting:
    depends_on: waiting
    run: echo should not run either
`, {
    store,
    onStart: (handle, events) => {
      void (async () => {
        await waitFor(() => events.some((e) => e.type === 'block-attempt' && e.block === 'upstream'), undefined, 'the upstream block to start');
        const started = events.find((e) => e.type === 'run-started');
        assert.ok(started?.type === 'run-started');
        assert.equal(handle.cancelBlock('waiting'), true);
        // Read back from the store while the upstream is still running.
        const rows = new Map(store.blockRuns(started.runId).map((b) => [b.block, b]));
        assert.equal(rows.get('upstream')?.status, 'running');
        assert.equal(rows.get('waiting')?.status, 'cancelled');
        assert.equal(rows.get('waiting')?.reason, 'cancelled');
        assert.equal(rows.get('after_waiting')?.status, 'cancelled');
        assert.equal(rows.get('after_waiting')?.reason, "upstream 'waiting' was cancelled");
        assert.equal(handle.cancelBlock('waiting'), false, 'a finished block is not cancelled again');
        checked = true;
      })().catch((error: unknown) => {
        failure = error;
      }).finally(() => {
        const started = events.find((e) => e.type === 'run-started');
        if (started?.type === 'run-started') writeFileSync(join(dirname(started.pipelineFile), 'go'), '');
      });
    },
  });
  assert.ifError(failure);
  assert.ok(checked);
  const expected = [['upstream', 'completed'], ['waiting', 'cancelled'], ['after_waiting', 'cancelled']];
  assert.deepEqual(r.result.blocks.map((b) => [b.block, b.status]), expected);
  assert.deepEqual(store.blockRuns(r.result.runId).map((b) => [b.block, b.status]), expected);
  assert.equal(r.result.status, 'cancelled');
  assert.equal(r.block('waiting').attempts, 0, 'the cancelled block never started');
});
