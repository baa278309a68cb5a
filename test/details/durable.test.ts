import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DetailsStore } from '../../core/src/details/detailsStore.ts';
import { openStore } from '../../core/src/store/index.ts';
import { CLI, pipelineDir, readPid, waitFor } from '../runner/support.ts';

const PIPELINE = `blocks:
  a:
    run: sleep 0.3
  b:
    depends_on: a
    run: echo $$ > block.pid; echo started; sleep 300
`;

/** What the store holds of run 1 so far, read the way `show` reads it (its own connections). */
function recorded(path: string): { ready: string[]; resourcesOf: string[]; status: string | undefined } {
  const store = openStore(path, { readonly: true });
  const details = DetailsStore.open(store);
  try {
    const blocks = new Map(store.blockRuns(1).map((b) => [b.id, b.block]));
    return {
      ready: [...details.readyTimes(1).keys()].sort(),
      resourcesOf: details.resources(1).map((r) => blocks.get(r.blockRunId) ?? '?').sort(),
      status: store.getRun(1)?.status,
    };
  } finally {
    details.close();
    store.close();
  }
}

// Ready times and resources were written only when the run ended: a CLI killed mid-run lost them all.
test('a CLI killed mid-run keeps the ready times and resources of what ran before (written behind while it runs)', async () => {
  const { dir, file } = pipelineDir(PIPELINE);
  const path = join(dir, 'runs.sqlite');
  const child = spawn(process.execPath, [CLI, 'run', file, '--store', path], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise((resolve) => child.on('close', resolve));
  try {
    await waitFor(() => out.includes('b | started'), undefined, `b to start: ${out}`);
    // Within about a second of a's end, while b still runs (longer than the wait): not at the run's end.
    await waitFor(() => recorded(path).resourcesOf.includes('a'), undefined, 'a\'s resources to be written while the run goes on');
    assert.equal(child.exitCode, null, 'the run is still going');
  } finally {
    child.kill('SIGKILL');
    await closed;
    try {
      process.kill(-readPid(join(dir, 'block.pid')), 'SIGKILL');
    } catch {
      // b never started, or already gone
    }
  }
  // `show` finds the run's owner gone and records it interrupted; what was written stays.
  const show = spawnSync(process.execPath, [CLI, 'show', '1', '--store', path, '--json'], { cwd: dir, encoding: 'utf8' });
  assert.equal(show.status, 0, show.stderr);
  const after = recorded(path);
  assert.equal(after.status, 'interrupted');
  assert.deepEqual(after.ready, ['a', 'b']);
  assert.deepEqual(after.resourcesOf, ['a']);
});
