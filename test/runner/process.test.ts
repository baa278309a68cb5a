import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realClock, type Clock } from '../../core/src/runner/clock.ts';
import { alive, pipelineDir, readPid, runFile, runYaml, waitFor } from './support.ts';

// Real processes through real shells, recorded in a real SQLite store.

/** A clock that records the delays the runner asks for and fires at once: backoff is checked as numbers, not as wall-clock gaps. */
function recordingClock(): Clock & { delays: number[] } {
  const delays: number[] = [];
  return { ...realClock, delays, setTimeout: (callback, ms) => { delays.push(ms); return setTimeout(callback, 0); } };
}

test('a non-zero exit fails the block with its exit code', async () => {
  const r = await runYaml('blocks:\n  a:\n    run: echo before; exit 3\n');
  assert.equal(r.result.status, 'failed');
  assert.equal(r.block('a').status, 'failed');
  assert.equal(r.block('a').exitCode, 3);
  assert.equal(r.block('a').reason, 'exit code 3');
  assert.equal(r.log('a'), 'before\n');
});

test('a command that does not exist is reported as such', async () => {
  const r = await runYaml('blocks:\n  a:\n    run: no-such-command-xyz --flag\n  b:\n    shell: sh\n    run: no-such-command-abc\n');
  assert.equal(r.block('a').exitCode, 127);
  assert.equal(r.block('a').reason, 'command not found: no-such-command-xyz');
  assert.equal(r.block('b').reason, 'command not found: no-such-command-abc');
});

test('a missing cwd fails before anything is spawned, saying so', async () => {
  const r = await runYaml('blocks:\n  a:\n    cwd: not/there\n    run: echo hi\n');
  const a = r.block('a');
  assert.equal(a.status, 'failed');
  assert.match(a.reason ?? '', /^working directory .*not\/there does not exist$/);
  assert.equal(a.exitCode, undefined);
  assert.ok(!r.events.some((e) => e.type === 'block-attempt' && e.pid !== undefined));
});

test('cwd is resolved against the pipeline folder and env layers in order', async () => {
  const r = await runYaml(`
env: { A: top, B: top, C: top }
defaults:
  env: { B: defaults, C: defaults }
blocks:
  a:
    cwd: sub/..
    env: { C: block, D: "\${{ env.B }}" }
    run: |
      mkdir -p sub
      echo "$A $B $C $D $PIPELINE_NAME $PIPELINE_BLOCK $PIPELINE_VAR_X $(basename "$PWD")"
      test -n "$PIPELINE_RUN_ID" && test -f "$PIPELINE_OUTPUT"
variables:
  x: 1
`);
  assert.equal(r.result.status, 'completed', r.log('a'));
  assert.equal(r.log('a'), `top defaults block defaults p a 1 ${r.dir.split('/').pop() ?? ''}\n`);
});

test('a block killed by a signal records the signal', async () => {
  const r = await runYaml('blocks:\n  a:\n    run: kill -KILL $$\n');
  assert.equal(r.block('a').status, 'failed');
  assert.equal(r.block('a').signal, 'SIGKILL');
  assert.equal(r.block('a').reason, 'killed by SIGKILL');
});

test('a block timeout kills it with reason timeout', async () => {
  // \`sleep 30\` ending by itself would complete the block: the reason and the signal are the proof.
  const r = await runYaml('blocks:\n  a:\n    timeout: 300ms\n    run: sleep 30\n');
  assert.equal(r.block('a').status, 'failed');
  assert.equal(r.block('a').reason, 'timeout');
  assert.equal(r.block('a').signal, 'SIGTERM');
});

test('a process that ignores SIGTERM gets SIGKILL after the grace period', async () => {
  const started = Date.now();
  const r = await runYaml("blocks:\n  a:\n    timeout: 200ms\n    run: trap '' TERM; sleep 30\n", { graceMs: 400 });
  const elapsed = Date.now() - started;
  assert.equal(r.block('a').reason, 'timeout');
  assert.equal(r.block('a').signal, 'SIGKILL');
  // Only a lower bound (a busy machine makes it later, never earlier): SIGKILL came after timeout + grace.
  assert.ok(elapsed >= 550, `took ${elapsed} ms`);
});

test('a grandchild that would outlive its parent is gone when the block ends', async () => {
  const r = await runYaml('blocks:\n  a:\n    run: |\n      (trap "" TERM; exec sleep 300) &\n      echo $! > grandchild.pid\n      echo started\n');
  assert.equal(r.block('a').status, 'completed');
  const pid = readPid(join(r.dir, 'grandchild.pid'));
  // It ignores SIGTERM, so the group's SIGKILL after the grace period is what ends it.
  await waitFor(() => !alive(pid), 3000, `grandchild ${pid} to die`);
});

test('a setsid escapee is killed on cancel', async () => {
  const { dir, file } = pipelineDir('blocks:\n  a:\n    run: |\n      setsid sleep 300 &\n      echo $! > escapee.pid\n      sleep 300\n');
  const pidFile = join(dir, 'escapee.pid');
  let escapee = 0;
  const r = await runFile(file, {
    onStart: (handle) => {
      void (async () => {
        await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', undefined, 'the escapee');
        escapee = readPid(pidFile);
        // It really left the block's process group: setsid made it a session (and group) leader.
        // $! is written right after the fork, possibly before the child has called setsid, so wait for it.
        const session = (): string => {
          const stat = readFileSync(`/proc/${escapee}/stat`, 'utf8');
          return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3] ?? '';
        };
        await waitFor(() => session() === String(escapee), undefined, `escapee ${escapee} to lead its own session`);
        handle.cancel();
      })();
    },
  });
  assert.equal(r.result.status, 'cancelled');
  assert.equal(r.block('a').status, 'cancelled');
  assert.equal(r.block('a').reason, 'cancelled');
  assert.ok(escapee > 0);
  await waitFor(() => !alive(escapee), 3000, `escapee ${escapee} to die`);
});

test('stored logs keep colours but not other escapes; listeners get the raw output', async () => {
  const r = await runYaml(String.raw`blocks:
  a:
    run: printf 'plain \033[1;31mred\033[0m \033]0;title\007\033]8;;http://x\033\\link\033]8;;\033\\ \033[2J\033[H\033[6n x\342\200\256evil\r\nend\n'
`);
  assert.equal(r.log('a'), 'plain \x1b[1;31mred\x1b[0m link  xevil\nend\n');
  const live = r.events.filter((e) => e.type === 'log-chunk').map((e) => e.text).join('');
  assert.ok(live.includes('\x1b]0;title\x07') && live.includes('\x1b[2J') && live.includes('\u202e'));
});

test('50 MB of output: memory stays bounded and the truncation is recorded', async () => {
  let peak = process.memoryUsage().rss;
  const before = peak;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  // 1,638,400 lines of 32 bytes: 50 MiB.
  const r = await runYaml("blocks:\n  a:\n    run: awk 'BEGIN { for (i = 0; i < 1638400; i++) print \"a line of output that repeats..\" }'\n", {
    // Do not keep the chunks: this test is about the runner's memory, not the test's.
    onEvent: () => undefined,
  });
  clearInterval(timer);
  assert.equal(r.block('a').status, 'completed');
  const row = r.store.blockRuns(r.result.runId)[0];
  assert.ok(row !== undefined);
  assert.ok(row.logDroppedBytes > 35 * 1024 * 1024, `dropped ${row.logDroppedBytes}`);
  const stored = r.log('a');
  assert.ok(stored.length < 11 * 1024 * 1024 && stored.length > 9 * 1024 * 1024, `stored ${stored.length}`);
  assert.ok(peak - before < 150 * 1024 * 1024, `RSS grew by ${((peak - before) / 1048576).toFixed(0)} MB`);
});

test('retries back off exponentially, each attempt recorded with its own row and log', async () => {
  const clock = recordingClock();
  const r = await runYaml('blocks:\n  a:\n    retry: { attempts: 3, delay: 200ms, backoff: 2 }\n    run: echo try; exit 1\n', { clock });
  const rows = r.store.blockRuns(r.result.runId).filter((b) => b.block === 'a');
  assert.deepEqual(rows.map((b) => [b.attempt, b.status]), [[1, 'failed'], [2, 'failed'], [3, 'failed']]);
  assert.deepEqual(clock.delays, [200, 400], 'the waits before attempts 2 and 3');
  for (let i = 0; i + 1 < rows.length; i++) assert.ok((rows[i + 1]?.startedAt ?? 0) >= (rows[i]?.finishedAt ?? Infinity), `attempt ${i + 2} started after attempt ${i + 1} ended`);
  assert.equal(r.block('a').attempts, 3);
  assert.match(r.log('a', 1), /^try\nattempt 1 of 3 failed \(exit code 1\); retrying in 200ms\n$/);
  assert.match(r.log('a', 2), /retrying in 400ms\n$/);
});

test('retry delay is capped by max_delay and a later success completes', async () => {
  const clock = recordingClock();
  const r = await runYaml(`blocks:
  a:
    retry: { attempts: 3, delay: 100ms, backoff: 10, max_delay: 150ms }
    run: |
      n=$(cat count 2>/dev/null || echo 0); echo $((n + 1)) > count
      [ "$n" -ge 2 ]
`, { clock });
  const rows = r.store.blockRuns(r.result.runId);
  assert.equal(r.block('a').status, 'completed');
  assert.equal(rows.length, 3);
  assert.deepEqual(clock.delays, [100, 150], 'the second wait, 1000 ms by backoff, is capped at 150 ms');
  assert.match(r.log('a', 2), /retrying in 150ms\n$/);
});

test('the retry waits use the real clock by default', async () => {
  const started = Date.now();
  const r = await runYaml('blocks:\n  a:\n    retry: { attempts: 2, delay: 300ms }\n    run: exit 1\n');
  assert.equal(r.block('a').attempts, 2);
  // A lower bound only: it did wait, whatever the load.
  assert.ok(Date.now() - started >= 300, 'it waited before the second attempt');
});
