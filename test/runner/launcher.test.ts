import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { alive, pipelineDir, readPid, runFile, runYaml, waitFor } from './support.ts';

// Blocks are started by a lean helper process, so that the engine (however big) never forks per block.
// These tests are about the default, whatever the environment they run in says.
delete process.env.PIPELINE_STUDIO_SPAWN;

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

test('block processes are children of the launch helpers, not of the engine; PIPELINE_STUDIO_SPAWN=direct spawns from the engine', async () => {
  const block = (id: string): string => `  ${id}:\n    run: echo "parent=$PPID" >> "$PIPELINE_OUTPUT"\n`;
  const yaml = `blocks:\n${['a', 'b', 'c', 'd'].map(block).join('')}`;
  const helped = await runYaml(yaml, { concurrency: 4 });
  const parents = new Set(helped.result.blocks.map((b) => Number(b.outputs.parent)));
  // Four blocks at once, but never more helpers than CPUs (and never the engine itself).
  assert.ok(parents.size >= 1 && parents.size <= availableParallelism(), `helpers ${[...parents].join(', ')}`);
  for (const helper of parents) {
    assert.notEqual(helper, process.pid);
    assert.equal(parentOf(helper), process.pid, 'a helper is the engine\'s child');
    // The native helper where it was built (native/launch.c), else the Node one.
    assert.match(readFileSync(`/proc/${helper}/cmdline`, 'latin1'), /\0-e\0'use strict';|ps-launch\0/);
    // Helper RSS stays at Node's minimum, which is the point.
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${helper}/status`, 'utf8'))?.[1]);
    assert.ok(rssKiB < 80 * 1024, `helper RSS ${rssKiB} KiB`);
  }
  // At concurrency 1 one helper does: a second would only cost memory.
  const serial = await runYaml(yaml, { concurrency: 1 });
  assert.ok(serial.result.blocks.every((b) => parents.has(Number(b.outputs.parent))), 'the serial run reuses the running helpers');

  process.env.PIPELINE_STUDIO_SPAWN = 'direct';
  try {
    const direct = await runYaml(yaml);
    assert.deepEqual(direct.result.blocks.map((b) => Number(b.outputs.parent)), [process.pid, process.pid, process.pid, process.pid]);
  } finally {
    delete process.env.PIPELINE_STUDIO_SPAWN;
  }
});

test('output bigger than the helper\'s 16 Ki pieces arrives whole, with no surrogate pair split', async () => {
  // 'a😀' is 3 UTF-16 units, so piece boundaries land inside the pair too.
  let live = '';
  const r = await runYaml("blocks:\n  a:\n    shell: python\n    run: |\n      import sys\n      sys.stdout.write('a\\U0001F600' * 30000)\n", {
    onEvent: (e) => void (e.type === 'log-chunk' && e.stream === 'stdout' ? (live += e.text) : undefined),
  });
  assert.equal(r.result.status, 'completed', r.log('a'));
  assert.equal(live, 'a😀'.repeat(30000));
  assert.equal(r.log('a'), 'a😀'.repeat(30000));
});

// Last in this file: it breaks this process's helper for good.
test('a helper that dies mid-run fails its running block, kills that block\'s processes, and later blocks spawn directly', async () => {
  const { dir, file } = pipelineDir(`blocks:
  a:
    continue_on_error: true
    run: |
      echo $PPID > helper.pid
      echo $$ > block.pid
      sleep 30
  b:
    depends_on: a
    run: echo "parent=$PPID" >> "$PIPELINE_OUTPUT"
`);
  const blockPid = (): number => {
    try {
      return readPid(join(dir, 'block.pid'));
    } catch {
      return 0;
    }
  };
  const r = await runFile(file, {
    // Kill the helper only once the engine knows the block started (its pid reported), so that the
    // block is one that was running, not one the engine could still think failed to start.
    onStart: (_handle, events) => {
      const started = (): boolean => events.some((e) => e.type === 'block-attempt' && e.block === 'a' && e.pid !== undefined);
      void waitFor(() => blockPid() > 0 && started(), undefined, 'block a to start').then(() => process.kill(readPid(join(dir, 'helper.pid')), 'SIGKILL'));
    },
  });
  const a = r.block('a');
  assert.equal(a.status, 'failed');
  assert.equal(a.reason, 'internal error: the process launcher exited (SIGKILL)');
  await waitFor(() => !alive(blockPid()), undefined, 'the orphaned block to be killed');
  assert.equal(r.block('b').status, 'completed');
  assert.equal(Number(r.block('b').outputs.parent), process.pid, 'the fallback spawns from the engine');
});
