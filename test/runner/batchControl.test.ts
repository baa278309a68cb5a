import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, controlReady, readStore, startCli, storedBlock, storedRun } from './cliProcesses.ts';
import { sleep, tempDir, waitFor } from './support.ts';

// `run --for-each` runs a batch of runs in one process: each of them answers `pause`, `resume`,
// `cancel` and `approve` from another terminal by its own number, and only that run is affected.

test('each run of a --for-each batch is paused, resumed, approved or cancelled from another process, on its own', async () => {
  const dir = tempDir('ps-batchctl-');
  writeFileSync(join(dir, 'p.pipeline.yaml'), `variables:
  name: { default: nobody }
blocks:
  wait:
    run: while [ ! -f go ]; do sleep 0.02; done
  deploy:
    depends_on: [wait]
    approval: { prompt: "Deploy \${{ vars.name }}?" }
    run: echo "deployed \${{ vars.name }}"
`);
  writeFileSync(join(dir, 'items.txt'), 'one\ntwo\n');
  const batch = startCli(dir, ['run', 'p.pipeline.yaml', '--for-each', 'name=@items.txt', '--max-parallel', '2']);
  await waitFor(() => storedRun(dir, 1) !== undefined && storedRun(dir, 2) !== undefined, undefined, 'both runs');
  const idOf = (name: string): number => readStore(dir, (s) => s.listRuns({ limit: 10 }).find((r) => r.variables.name === name)?.id) ?? 0;
  const [one, two] = [idOf('one'), idOf('two')];
  await controlReady(dir, one, batch.child.pid ?? 0);
  await controlReady(dir, two, batch.child.pid ?? 0);

  const paused = cli(['pause', String(one)], dir);
  assert.equal(paused.code, 0, paused.stderr);
  assert.equal(storedRun(dir, one)?.status, 'paused');
  assert.equal(storedRun(dir, two)?.status, 'running', 'the other run of the batch goes on');
  const cancelled = cli(['cancel', String(two)], dir);
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.match(cancelled.stdout, new RegExp(`^#${two}: asked its owner \\(pid \\d+\\) to cancel it; recorded as cancelled\\.$`, 'm'));
  assert.equal(storedRun(dir, one)?.status, 'paused', 'only that run was cancelled');

  writeFileSync(join(dir, 'go'), '');
  await waitFor(() => batch.out().includes(`/2] Block 'deploy' waits for approval: pipeline-studio approve ${one} deploy`), undefined, 'the gate');
  const approved = cli(['approve', String(one), 'deploy', '--comment', 'ok'], dir);
  assert.equal(approved.code, 0, approved.stderr);
  await sleep(300);
  assert.equal(storedBlock(dir, one, 'deploy')?.status, 'queued', 'paused: the approved block waits for resume');
  const resumed = cli(['resume', String(one)], dir);
  assert.equal(resumed.code, 0, resumed.stderr);

  assert.equal(await batch.closed, 1, batch.out());
  assert.match(batch.out(), new RegExp(`^\\[\\d/2\\] Run #${one} name="one": completed$`, 'm'));
  assert.match(batch.out(), new RegExp(`^\\[\\d/2\\] Run #${two} name="two": cancelled$`, 'm'));
  assert.match(batch.out(), /^Batch [0-9a-f]{8}: 1 completed, 1 not completed\.$/m);
  assert.equal(storedRun(dir, one)?.status, 'completed');
  // Its channels closed with the batch: a finished run says so.
  const late = cli(['pause', String(one)], dir);
  assert.equal(late.code, 1);
  assert.match(late.stderr, /has ended \(completed\)/);
});
