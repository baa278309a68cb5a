import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunHandle } from '../../core/src/runner/engine.ts';
import { ManualClock } from './manualClock.ts';
import { openStore } from '../../core/src/store/index.ts';
import { pipelineDir, readPid, runFile, tempDir, waitFor } from './support.ts';

// Pause and resume on real processes: between blocks, and "pause now" (SIGSTOP/SIGCONT of the
// block's process group). Waits are for files and events, never for a length of time.

/** utime + stime and the state letter of a process, from /proc. */
function procStat(pid: number): { cpu: number; state: string } {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '?', cpu: Number(fields[11]) + Number(fields[12]) };
}

test('pause starts no new block (the running one finishes); resume starts it', async () => {
  const { dir, file } = pipelineDir('blocks:\n  a:\n    run: while [ ! -f go ]; do sleep 0.02; done\n  b:\n    depends_on: a\n    run: echo b\n');
  let handle: RunHandle | undefined;
  let answer = '';
  const r = await runFile(file, {
    onStart: (h) => (handle = h),
    onEvent: (e) => {
      if (e.type === 'block-attempt' && e.block === 'a') {
        answer = handle?.pause().message ?? 'no handle';
        writeFileSync(join(dir, 'go'), '');
      }
      // a ended while paused: b is queued and nothing starts it until resume.
      if (e.type === 'block-status' && e.block === 'b' && e.status === 'queued') setImmediate(() => handle?.resume());
    },
  });
  assert.match(answer, /is paused; running blocks finish/);
  assert.equal(r.result.status, 'completed');
  const order = r.events.flatMap((e) => {
    if (e.type === 'run-status') return [`run ${e.status}`];
    if (e.type === 'block-status' && e.status !== 'queued' && e.status !== 'initial') return [`${e.block} ${e.status}`];
    return [];
  });
  assert.deepEqual(order, ['a running', 'run paused', 'a completed', 'run running', 'b running', 'b completed']);
  assert.equal(r.store.getRun(r.result.runId)?.status, 'completed');
});

test('the store records a paused run as paused; a second pause or resume says so', async () => {
  const { dir, file } = pipelineDir('blocks:\n  a:\n    run: while [ ! -f go ]; do sleep 0.02; done\n');
  const store = openStore(join(tempDir('ps-store-'), 'runs.sqlite'));
  const seen: string[] = [];
  const r = await runFile(file, {
    store,
    onEvent: (e) => {
      if (e.type !== 'block-attempt') return;
      const h = handleOf();
      h.pause();
      seen.push(store.getRun(h.runId)?.status ?? '?', h.pause().message, h.resume().message, store.getRun(h.runId)?.status ?? '?', h.resume().message);
      writeFileSync(join(dir, 'go'), '');
    },
    onStart: (h) => (current = h),
  });
  assert.equal(r.result.status, 'completed');
  assert.deepEqual(seen, ['paused', `Run #${r.result.runId} is already paused.`, `Run #${r.result.runId} resumed.`, 'running', `Run #${r.result.runId} is not paused.`]);
});

let current: RunHandle | undefined;
function handleOf(): RunHandle {
  if (current === undefined) throw new Error('the run has no handle yet');
  return current;
}

test('pause now suspends the running block\'s process group: it uses no CPU until resume', async () => {
  // A busy loop (it burns CPU the whole time it runs) that ends once the file `go` exists.
  const { dir, file } = pipelineDir('blocks:\n  a:\n    run: |\n      echo $$ > pid\n      while [ ! -f go ]; do :; done\n');
  const checks: string[] = [];
  const r = await runFile(file, {
    onStart: (h) => (current = h),
    onEvent: (e) => {
      if (e.type !== 'block-attempt') return;
      void (async () => {
        await waitFor(() => existsSync(join(dir, 'pid')));
        const pid = readPid(join(dir, 'pid'));
        checks.push(handleOf().pause(true).message);
        await waitFor(() => procStat(pid).state === 'T', undefined, 'the shell stopped');
        const before = procStat(pid).cpu;
        // However long this takes on a loaded machine, a stopped process accumulates no CPU time.
        await new Promise((res) => setTimeout(res, 300));
        checks.push(`cpu while paused: ${procStat(pid).cpu - before}`);
        handleOf().resume();
        await waitFor(() => procStat(pid).state !== 'T', undefined, 'the shell continued');
        writeFileSync(join(dir, 'go'), '');
      })();
    },
  });
  assert.equal(r.result.status, 'completed', r.block('a').reason);
  assert.match(checks[0] ?? '', /running blocks are suspended/);
  assert.equal(checks[1], 'cpu while paused: 0');
  const statuses = r.events.flatMap((e) => (e.type === 'block-status' ? [e.status] : []));
  assert.deepEqual(statuses, ['queued', 'running', 'paused', 'running', 'completed']);
});

test('a block timeout does not run while the run is paused (injected clock)', async () => {
  const clock = new ManualClock();
  const { dir, file } = pipelineDir('blocks:\n  a:\n    timeout: 10s\n    run: while [ ! -f go ]; do sleep 0.02; done\n');
  const pending: number[][] = [];
  const r = await runFile(file, {
    clock,
    onStart: (h) => (current = h),
    onEvent: (e) => {
      if (e.type !== 'block-attempt') return;
      pending.push(clock.pending());
      handleOf().pause(true);
      pending.push(clock.pending());
      clock.advance(60_000);
      handleOf().resume();
      pending.push(clock.pending());
      clock.advance(9_999);
      writeFileSync(join(dir, 'go'), '');
    },
  });
  // 60 s paused and 9.999 s running: under the 10 s limit, so the block ends on its own.
  assert.equal(r.result.status, 'completed', r.block('a').reason);
  assert.deepEqual(pending, [[10_000], [], [10_000]]);
});

test('the same timeout fires on the injected clock when the run is not paused', async () => {
  const clock = new ManualClock();
  const { file } = pipelineDir('blocks:\n  a:\n    timeout: 10s\n    run: sleep 30\n');
  const r = await runFile(file, {
    clock,
    onEvent: (e) => {
      if (e.type === 'block-attempt') clock.advance(10_000);
    },
  });
  assert.equal(r.block('a').status, 'failed');
  assert.equal(r.block('a').reason, 'timeout');
});

test('a run paused longer than its pause limit is cancelled', async () => {
  const clock = new ManualClock();
  const { file } = pipelineDir('blocks:\n  a:\n    run: sleep 30\n  b:\n    depends_on: a\n    run: echo b\n');
  const r = await runFile(file, {
    clock,
    pauseLimitMs: 3_600_000,
    onStart: (h) => (current = h),
    onEvent: (e) => {
      if (e.type !== 'block-attempt') return;
      handleOf().pause(true);
      clock.advance(3_599_999);
      assert.equal(clock.pending().length, 1, 'still paused one millisecond before the limit');
      clock.advance(1);
    },
  });
  assert.equal(r.result.status, 'cancelled');
  assert.equal(r.block('a').status, 'cancelled');
  assert.equal(r.block('b').status, 'cancelled');
});
