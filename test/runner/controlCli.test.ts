import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { controlSocketPaths } from '../../core/src/runner/controlSocket.ts';
import { cli, startCli, storedRun, withService } from './cliProcesses.ts';
import { alive, readPid, tempDir, waitFor } from './support.ts';

// pause/resume/approve/reject from a second process, as users type them in another terminal:
// against a CLI run (its own control socket) and an editor run (the store's runner service).

const runStatus = (dir: string): string | undefined => storedRun(dir, 1)?.status;

function procState(pid: number): string {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2)[0] ?? '?';
}

test('pause --now and resume from another process reach a CLI run', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'p.pipeline.yaml'), 'blocks:\n  a:\n    run: echo $$ > block.pid; while [ ! -f go ]; do sleep 0.02; done\n  b:\n    depends_on: a\n    run: echo b done\n');
  const run = startCli(dir, ['run', 'p.pipeline.yaml']);
  await waitFor(() => existsSync(join(dir, 'block.pid')) && run.out().includes('a | ▶ started'), undefined, 'the block to start');
  const pid = readPid(join(dir, 'block.pid'));
  const paused = cli(['pause', '1', '--now'], dir);
  assert.equal(paused.code, 0, paused.stderr);
  assert.match(paused.stdout, /Run #1 is paused; its running blocks are suspended\./);
  assert.equal(runStatus(dir), 'paused');
  await waitFor(() => procState(pid) === 'T', undefined, 'the block to stop');
  const again = cli(['pause', '1'], dir);
  assert.match(again.stdout, /already paused/);
  const resumed = cli(['resume', '1'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /Run #1 resumed\./);
  writeFileSync(join(dir, 'go'), '');
  assert.equal(await run.closed, 0, run.out());
  assert.match(run.out(), /^Run #1 paused now$/m);
  assert.match(run.out(), /^Run #1 resumed$/m);
  assert.match(run.out(), /b \| b done/);
  assert.equal(runStatus(dir), 'completed');
  // Its control socket went with it: a finished run says so.
  const late = cli(['resume', '1'], dir);
  assert.equal(late.code, 1);
  assert.match(late.stderr, /run #1 has ended \(completed\); there is nothing to resume/);
});

test('approve and reject from another process decide a CLI run\'s gates; the decision is recorded', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'p.pipeline.yaml'), `blocks:
  one:
    approval: { prompt: "First?" }
    run: echo one ran
  two:
    depends_on: [one]
    approval: { prompt: "Second?" }
    run: echo two ran
  three:
    depends_on: [two]
    run: echo three ran
`);
  const run = startCli(dir, ['run', 'p.pipeline.yaml']);
  await waitFor(() => run.out().includes("Block 'one' waits for approval: pipeline-studio approve 1 one"), undefined, 'the first gate');
  const early = cli(['approve', '1', 'two'], dir);
  assert.equal(early.code, 1);
  assert.match(early.stderr, /Block 'two' of run #1 is not waiting for approval \(it is initial\)/);
  const approved = cli(['approve', '1', 'one', '--comment', 'ship it'], dir);
  assert.equal(approved.code, 0, approved.stderr);
  assert.match(approved.stdout, new RegExp(`Block 'one' of run #1 approved by ${userInfo().username} at .*: ship it\\.`));
  await waitFor(() => run.out().includes("Block 'two' waits for approval"), undefined, 'the second gate');
  const rejected = cli(['reject', '1', 'two', '--comment', 'not now'], dir);
  assert.equal(rejected.code, 0, rejected.stderr);
  assert.equal(await run.closed, 1, run.out());
  assert.match(run.out(), /^one +\| one ran$/m);
  assert.doesNotMatch(run.out(), /two ran|three ran/);
  const show = cli(['show', '1', '--json'], dir);
  const { blockRuns } = JSON.parse(show.stdout) as { blockRuns: { block: string; status: string; reason?: string }[] };
  const byBlock = Object.fromEntries(blockRuns.map((b) => [b.block, b]));
  assert.match(byBlock.one?.reason ?? '', new RegExp(`^approved by ${userInfo().username} at .*: ship it$`));
  assert.equal(byBlock.two?.status, 'failed');
  assert.match(byBlock.two?.reason ?? '', new RegExp(`^rejected by ${userInfo().username} at .*: not now$`));
  assert.equal(byBlock.three?.status, 'upstream_failed');
});

test('a run whose owner is gone cannot be resumed, and says so', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'p.pipeline.yaml'), 'blocks:\n  a:\n    run: echo $$ > block.pid; sleep 30\n');
  const run = startCli(dir, ['run', 'p.pipeline.yaml']);
  await waitFor(() => existsSync(join(dir, 'block.pid')) && run.out().includes('a | ▶ started'), undefined, 'the block to start');
  assert.equal(cli(['pause', '1'], dir).code, 0);
  const [socket] = controlSocketPaths(join(dir, '.pipelines', 'runs.sqlite'), 1, run.child.pid ?? 0);
  assert.match(socket ?? '', /pipeline-run-.*\/control\.sock$/, 'the run listens in its run folder');
  assert.ok(existsSync(socket ?? ''));
  run.child.kill('SIGKILL');
  await run.closed;
  const blockPid = readPid(join(dir, 'block.pid'));
  const resumed = cli(['resume', '1'], dir);
  assert.equal(resumed.code, 1);
  assert.match(resumed.stderr, /run #1 has ended \(interrupted\): its owner \(pid \d+ on .*\) is gone; there is nothing to resume/);
  assert.ok(!existsSync(socket ?? ''), 'its launch helpers or the store (marking the run interrupted) removed it with the run folder');
  // The block's group outlived its killed engine (see cli.test.ts); clean it up.
  try {
    process.kill(-blockPid, 'SIGKILL');
  } catch {
    // already gone
  }
  await waitFor(() => !alive(blockPid), undefined, 'the block to go');
});

test('pause and resume from another process reach an editor run through the store\'s runner service', async () => {
  const dir = tempDir();
  const store = join(dir, '.pipelines', 'runs.sqlite');
  const file = join(dir, 'p.pipeline.yaml');
  writeFileSync(file, 'blocks:\n  a:\n    run: while [ ! -f go ]; do sleep 0.02; done\n  b:\n    depends_on: a\n    run: echo b\n');
  await withService(store, async (client) => {
    const statuses: string[] = [];
    client.onRunEvent((e) => {
      if (e.type === 'run-status') statuses.push(e.status);
      if (e.type === 'block-status' && e.block === 'b' && e.status !== 'initial') statuses.push(`b ${e.status}`);
    });
    const { runId } = await client.startRun({ file, store });
    const paused = cli(['pause', String(runId)], dir);
    assert.equal(paused.code, 0, paused.stderr);
    writeFileSync(join(dir, 'go'), '');
    await waitFor(() => statuses.includes('b queued'), undefined, 'b to be queued while paused');
    assert.equal(cli(['resume', String(runId)], dir).code, 0);
    const finished = await client.waitForRun({ runId, store });
    assert.equal(finished.status, 'completed');
    assert.deepEqual(statuses, ['paused', 'b queued', 'running', 'b running', 'b completed']);
  });
});
