import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { RunHandle } from '../../core/src/runner/engine.ts';
import { ManualClock } from './manualClock.ts';
import { pipelineDir, runFile } from './support.ts';

// Approval gates in the engine: the block waits in status `waiting` until a decision, which is
// recorded (who, when, comment) on its block run; a rejection fails it with reason `rejected …`.

let current: RunHandle | undefined;
/** The handle of the run in progress (each test sets it in onStart, so none sees another's). */
function handle(): RunHandle {
  if (current === undefined) throw new Error('no run handle yet');
  return current;
}

const GATED = `variables:
  version: { default: "1.2" }
blocks:
  test:
    run: echo tested
  deploy:
    depends_on: [test]
    approval:
      prompt: "Deploy \${{ vars.version }} to production?"
    run: echo deployed
  notify:
    depends_on: [deploy]
    run: echo notified
`;

test('an approved gate runs its block; who, when and the comment are recorded', async () => {
  const { file } = pipelineDir(GATED);
  const answers: string[] = [];
  const r = await runFile(file, {
    onStart: (h) => (current = h),
    onEvent: (e) => {
      if (e.type === 'block-status' && e.block === 'deploy' && e.status === 'waiting') {
        answers.push(`prompt: ${e.reason ?? ''}`);
        answers.push(handle().decide('notify', { approved: true, user: 'alice' }).message);
        answers.push(handle().decide('deploy', { approved: true, user: 'alice', comment: 'looks good' }).message);
        answers.push(handle().decide('deploy', { approved: true, user: 'bob' }).message);
      }
    },
  });
  assert.equal(r.result.status, 'completed');
  assert.equal(answers[0], 'prompt: Deploy 1.2 to production?');
  assert.match(answers[1] ?? '', /Block 'notify' of run #\d+ is not waiting for approval \(it is initial\)/);
  assert.match(answers[2] ?? '', /^Block 'deploy' of run #\d+ approved by alice at \d{4}-\d\d-\d\dT[\d:.]+Z: looks good\.$/);
  assert.match(answers[3] ?? '', /is not waiting for approval/, 'a second decision is refused');
  const row = r.store.blockRuns(r.result.runId).find((b) => b.block === 'deploy');
  assert.equal(row?.status, 'completed');
  assert.match(row?.reason ?? '', /^approved by alice at .*: looks good$/);
  assert.equal(r.log('deploy'), 'deployed\n');
  const statuses = r.events.flatMap((e) => (e.type === 'block-status' && e.block === 'deploy' ? [e.status] : []));
  assert.deepEqual(statuses, ['waiting', 'queued', 'running', 'completed']);
});

test('a rejected gate fails its block with reason rejected; its dependents do not run', async () => {
  const { file } = pipelineDir(GATED);
  const r = await runFile(file, {
    onStart: (h) => (current = h),
    onEvent: (e) => {
      if (e.type === 'block-status' && e.block === 'deploy' && e.status === 'waiting') handle().decide('deploy', { approved: false, user: 'carol', comment: 'not today' });
    },
  });
  assert.equal(r.result.status, 'failed');
  assert.equal(r.block('deploy').status, 'failed');
  assert.match(r.block('deploy').reason ?? '', /^rejected by carol at .*: not today$/);
  assert.equal(r.block('deploy').attempts, 0, 'nothing ran');
  assert.equal(r.block('notify').status, 'upstream_failed');
});

test('a rejected gate with continue_on_error lets the run complete', async () => {
  const { file } = pipelineDir(GATED.replace('    run: echo deployed\n', '    continue_on_error: true\n    run: echo deployed\n'));
  const r = await runFile(file, {
    onStart: (h) => (current = h),
    onEvent: (e) => {
      if (e.type === 'block-status' && e.block === 'deploy' && e.status === 'waiting') handle().decide('deploy', { approved: false, user: 'carol' });
    },
  });
  assert.equal(r.result.status, 'completed');
  assert.equal(r.block('notify').status, 'completed');
});

for (const onTimeout of ['rejected', 'approved'] as const) {
  test(`an approval timeout decides ${onTimeout} (injected clock), not a moment before`, async () => {
    const clock = new ManualClock();
    const { file } = pipelineDir(`blocks:\n  deploy:\n    approval: { timeout: 4h, on_timeout: ${onTimeout} }\n    run: echo deployed\n`);
    const before: string[] = [];
    const r = await runFile(file, {
      clock,
      onEvent: (e) => {
        if (e.type !== 'block-status' || e.status !== 'waiting') return;
        clock.advance(4 * 3600_000 - 1);
        before.push(`pending ${clock.pending().join(',')}`);
        clock.advance(1);
      },
    });
    assert.deepEqual(before, ['pending 1']);
    const row = r.store.blockRuns(r.result.runId)[0];
    assert.match(row?.reason ?? '', new RegExp(`^${onTimeout} on timeout at .*: no decision within 240m0s$`));
    assert.equal(r.block('deploy').status, onTimeout === 'approved' ? 'completed' : 'failed');
  });
}

test('an approval timeout does not run while the run is paused', async () => {
  const clock = new ManualClock();
  const { file } = pipelineDir('blocks:\n  deploy:\n    approval: { timeout: 1h }\n    run: echo deployed\n');
  const r = await runFile(file, {
    clock,
    onStart: (h) => (current = h),
    onEvent: (e) => {
      if (e.type !== 'block-status' || e.status !== 'waiting') return;
      // The gate is the first block: it waits before startRun has returned the handle.
      setImmediate(() => {
        handle().pause();
        clock.advance(5 * 3600_000);
        handle().resume();
        handle().decide('deploy', { approved: true, user: 'dave' });
      });
    },
  });
  assert.equal(r.block('deploy').status, 'completed');
});

test('a hostile value in the prompt is shown as text and runs nothing', async () => {
  const { dir, file } = pipelineDir('variables:\n  v: { default: "x" }\nblocks:\n  gate:\n    approval: { prompt: "Ship ${{ vars.v }}?" }\n    run: echo ran\n');
  const hostile = '$(touch pwned1) `touch pwned2`; touch pwned3 ${{ env.HOME }}';
  let prompt = '';
  const r = await runFile(file, {
    variables: { v: hostile },
    onStart: (h) => (current = h),
    onEvent: (e) => {
      if (e.type === 'block-status' && e.status === 'waiting') {
        prompt = e.reason ?? '';
        setImmediate(() => handle().decide('gate', { approved: false, user: userInfo().username }));
      }
    },
  });
  assert.equal(prompt, `Ship ${hostile}?`);
  assert.equal(r.block('gate').status, 'failed');
  for (const name of ['pwned1', 'pwned2', 'pwned3']) assert.ok(!existsSync(join(dir, name)), `${name} was not created`);
});

test('cancelling a run cancels a block waiting at its gate', async () => {
  const { file } = pipelineDir(GATED);
  const r = await runFile(file, {
    onStart: (h) => (current = h),
    onEvent: (e) => {
      if (e.type === 'block-status' && e.status === 'waiting') handle().cancel();
    },
  });
  assert.equal(r.result.status, 'cancelled');
  assert.equal(r.block('deploy').status, 'cancelled');
  assert.equal(r.block('notify').status, 'cancelled');
});
