import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { cli, controlReady, startCli, storedBlock as block, storedRun as run, withService } from './cliProcesses.ts';
import { sleep, tempDir, waitFor } from './support.ts';

// A sub-pipeline's child run is a run of its own: `pause`, `resume`, `approve` and `cancel` from a
// second process reach it by its own number, whether a CLI run or the editor's service owns it.

const PARENT = 'blocks:\n  sub:\n    pipeline: ./child.pipeline.yaml\n  after:\n    depends_on: [sub]\n    run: echo parent done\n';
const CHILD = `blocks:
  wait:
    run: while [ ! -f go ]; do sleep 0.02; done
  gate:
    depends_on: [wait]
    approval: { prompt: "Go on?" }
    run: echo gated
`;

/** A CLI run of the parent pipeline `yaml` (CHILD beside it), once its child run #2 listens on its control socket. */
async function startParentRun(yaml: string): Promise<{ dir: string; parent: ReturnType<typeof startCli> }> {
  const dir = tempDir();
  writeFileSync(join(dir, 'p.pipeline.yaml'), yaml);
  writeFileSync(join(dir, 'child.pipeline.yaml'), CHILD);
  const run = startCli(dir, ['run', 'p.pipeline.yaml']);
  await waitFor(() => /child run #2 of child\.pipeline\.yaml/.test(run.out()), undefined, 'the child run');
  await controlReady(dir, 2, run.child.pid ?? 0);
  return { dir, parent: run };
}

test('a CLI run\'s child run is paused, resumed and approved by its own number from another process', async () => {
  const { dir, parent } = await startParentRun(PARENT);
  const paused = cli(['pause', '2'], dir);
  assert.equal(paused.code, 0, paused.stderr);
  assert.match(paused.stdout, /^Run #2 is paused; running blocks finish, no new block starts\.$/m);
  assert.equal(run(dir, 2)?.status, 'paused');
  assert.equal(run(dir, 1)?.status, 'running', 'its parent is not paused');
  writeFileSync(join(dir, 'go'), '');
  // A gate is reached while paused (nothing runs there); deciding it starts nothing until resume.
  await waitFor(() => parent.out().includes("Block 'gate' waits for approval: pipeline-studio approve 2 gate"), undefined, 'the child\'s gate');
  const approved = cli(['approve', '2', 'gate', '--comment', 'fine'], dir);
  assert.equal(approved.code, 0, approved.stderr);
  assert.match(approved.stdout, new RegExp(`Block 'gate' of run #2 approved by ${userInfo().username}`));
  await sleep(300);
  assert.equal(block(dir, 2, 'gate')?.status, 'queued', 'paused: the approved block does not start');
  const resumed = cli(['resume', '2'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(await parent.closed, 0, parent.out());
  assert.equal(run(dir, 2)?.status, 'completed');
  assert.equal(block(dir, 2, 'gate')?.status, 'completed');
  assert.match(block(dir, 2, 'gate')?.reason ?? '', /^approved by .*: fine$/);
});

test('cancel of a CLI run\'s child run cancels the child only: its parent block fails and the parent goes on by its rules', async () => {
  const { dir, parent } = await startParentRun(`${PARENT}  beside:\n    run: echo beside ran\n`);
  const cancelled = cli(['cancel', '2'], dir);
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.match(cancelled.stdout, /^#2: asked its owner \(pid \d+\) to cancel it; recorded as cancelled\.$/m);
  assert.equal(await parent.closed, 1, parent.out());
  assert.equal(run(dir, 1)?.status, 'failed', 'not cancelled: only the child was');
  assert.match(block(dir, 1, 'sub')?.reason ?? '', /^child run #2 cancelled/);
  assert.equal(block(dir, 1, 'after')?.status, 'upstream_failed');
  assert.equal(block(dir, 1, 'beside')?.status, 'completed');
});

test('the service lists a child run with its parent, and pause, resume and cancel from another process reach it by its number', async () => {
  const dir = tempDir();
  const store = join(dir, '.pipelines', 'runs.sqlite');
  const file = join(dir, 'p.pipeline.yaml');
  writeFileSync(file, PARENT);
  writeFileSync(join(dir, 'child.pipeline.yaml'), CHILD);
  await withService(store, async (client) => {
    const { runId } = await client.startRun({ file, store });
    let listed = await client.listRuns();
    for (let i = 0; listed.length < 2 && i < 3000; i++) {
      await sleep(20);
      listed = await client.listRuns();
    }
    const child = listed.find((r) => r.runId !== runId);
    assert.ok(child !== undefined, JSON.stringify(listed));
    assert.equal(child.parentRunId, runId);
    assert.equal(child.parentBlock, 'sub');
    assert.equal(child.pipelineFile, join(dir, 'child.pipeline.yaml'));
    // Attach follows the child like any run: its replay starts with its own run-started.
    const replay = await client.attachRun({ runId: child.runId, store });
    assert.equal(replay?.events[0]?.type, 'run-started');
    assert.equal(replay?.events[0]?.runId, child.runId);

    const paused = cli(['pause', String(child.runId)], dir);
    assert.equal(paused.code, 0, paused.stderr);
    assert.equal(run(dir, child.runId)?.status, 'paused');
    assert.equal(run(dir, runId)?.status, 'running');
    assert.equal(cli(['resume', String(child.runId)], dir).code, 0);
    assert.equal(run(dir, child.runId)?.status, 'running');
    const cancelled = cli(['cancel', String(child.runId)], dir);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(cancelled.stdout, /asked the runner service to cancel it; recorded as cancelled/);
    const finished = await client.waitForRun({ runId, store });
    assert.equal(finished.status, 'failed');
    assert.deepEqual((await client.listRuns()).map((r) => r.runId), [], 'both left the list as they ended');
  });
});
