import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { openStore } from '../../../core/src/store/index.ts';
import { alive, CLI, pipelineDir, tempDir, waitFor } from '../../runner/support.ts';

// A window reload kills the extension host without warning. The runner service it started must
// notice, stop the blocks (one of them ignores SIGTERM) and record the run as finished.

test('when its parent is killed, the service cancels its runs, kills their blocks and records them', async (t) => {
  const { file } = pipelineDir("blocks:\n  a:\n    run: sleep 60\n  b:\n    run: trap '' TERM; sleep 60 & wait; sleep 60\n");
  const store = join(tempDir('ps-store-'), 'runs.sqlite');
  const parent = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'serviceParent.ts'), CLI, file, store], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Should the test fail before it kills the parent, the parent would keep this file's process (and
  // the whole suite) waiting forever.
  t.after(() => void parent.kill('SIGKILL'));
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: parent.stdout }).on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  await waitFor(() => lines.some((l) => 'servicePid' in l) && lines.filter((l) => 'block' in l).length === 2, undefined, 'the run to start');
  const started = lines.find((l) => 'servicePid' in l) as { runId: number; servicePid: number };
  const blockPids = lines.filter((l) => 'block' in l).map((l) => l.pid as number);
  assert.ok(blockPids.every(alive));

  parent.kill('SIGKILL');
  await waitFor(() => !alive(started.servicePid), 10_000, 'the service to exit');
  assert.deepEqual(blockPids.filter(alive), [], 'no block process outlives the service');
  const reader = openStore(store, { readonly: true });
  try {
    const run = reader.getRun(started.runId);
    assert.equal(run?.status, 'cancelled');
    assert.deepEqual(reader.blockRuns(started.runId).map((b) => [b.block, b.status]), [['a', 'cancelled'], ['b', 'cancelled']]);
  } finally {
    reader.close();
  }
});
