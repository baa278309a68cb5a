import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import { HistoryModel } from '../../client/src/history/historyModel.ts';
import type { PipelineNode, RunNode } from '../../client/src/history/nodes.ts';
import { RunStateHub, type FileWatch, type RunStateChange, type Timers } from '../../client/src/runState/runStateHub.ts';
import { StoreWatcher } from '../../client/src/runState/storeWatcher.ts';
import { newRun } from '../client/history/helpers.ts';

// The CLI as users run it, in a process of its own; Node executes the TypeScript entry directly.
const CLI = join(import.meta.dirname, '..', '..', 'core', 'src', 'cli', 'main.ts');
const HANG_GUARD_MS = 60_000; // a busy machine may take seconds; this only stops a hang

/** Timers that fire only when the test says so: the merge window without waiting on the clock. */
function manualTimers(): Timers & { fire(): void; readonly pending: number } {
  const due = new Map<number, () => void>();
  let next = 0;
  return {
    set(fn) {
      due.set(++next, fn);
      return next;
    },
    clear(handle) {
      due.delete(handle as number);
    },
    fire() {
      const all = [...due.values()];
      due.clear();
      for (const fn of all) fn();
    },
    get pending() {
      return due.size;
    },
  };
}

function tempFolder(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ps-runstate-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function record(hub: RunStateHub): RunStateChange[] {
  const seen: RunStateChange[] = [];
  hub.subscribe((change) => seen.push(change));
  return seen;
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + HANG_GUARD_MS;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const noWatch = (): FileWatch => ({ dispose: () => undefined });

test('live events and file changes of one store within the window are merged into one change; a file change swallows run numbers', () => {
  const timers = manualTimers();
  const hub = new RunStateHub({ timers, watch: noWatch });
  const seen = record(hub);
  hub.runChanged('/w/a/runs.sqlite', 5);
  hub.runChanged('/w/a/runs.sqlite', 3);
  hub.runChanged('/w/a/runs.sqlite', 5);
  hub.runChanged('/w/b/../b/runs.sqlite', 1);
  assert.equal(seen.length, 0, 'nothing is reported before the window closes');
  assert.equal(timers.pending, 2, 'one window per store');
  timers.fire();
  assert.deepEqual(seen, [
    { storePath: '/w/a/runs.sqlite', runIds: [3, 5] },
    { storePath: '/w/b/runs.sqlite', runIds: [1] },
  ]);
  hub.runChanged('/w/a/runs.sqlite', 7);
  hub.fileChanged('/w/a/runs.sqlite');
  hub.runChanged('/w/a/runs.sqlite', 8);
  timers.fire();
  assert.deepEqual(seen.at(-1), { storePath: '/w/a/runs.sqlite', runIds: 'any' });
  assert.equal(seen.length, 3);
  hub.dispose();
});

test('a view that throws on a change does not keep the others from hearing of it', () => {
  const timers = manualTimers();
  const hub = new RunStateHub({ timers, watch: noWatch });
  const original = console.error;
  console.error = () => undefined;
  try {
    hub.subscribe(() => {
      throw new Error('broken view');
    });
    const seen = record(hub);
    hub.runChanged('/w/runs.sqlite', 1);
    timers.fire();
    assert.deepEqual(seen, [{ storePath: '/w/runs.sqlite', runIds: [1] }]);
  } finally {
    console.error = original;
    hub.dispose();
  }
});

test('views of one store share one connection and one watch, kept until the last view releases it', () => {
  const { dir, cleanup } = tempFolder();
  const path = join(dir, '.pipelines', 'runs.sqlite');
  const writer = openStore(path);
  writer.createRun(newRun());
  let watches = 0;
  let disposed = 0;
  const hub = new RunStateHub({
    timers: manualTimers(),
    watch: () => {
      watches++;
      return { dispose: () => void disposed++ };
    },
  });
  try {
    const tree = hub.hold(path);
    const graph = hub.hold(join(dir, '.pipelines', '.', 'runs.sqlite'));
    assert.equal(watches, 1);
    assert.equal(tree.read((store) => store.listRuns({}).length), 1);
    assert.equal(graph.generation, tree.generation);
    tree.release();
    tree.release(); // a second release of one hold must not drop the other view's
    assert.deepEqual(hub.followed, [path]);
    assert.equal(graph.read((store) => store.listRuns({}).length), 1);
    graph.release();
    assert.equal(disposed, 1);
    assert.deepEqual(hub.followed, []);
  } finally {
    hub.dispose();
    writer.close();
    cleanup();
  }
});

test('a CLI run in another process appears through the store watch, read on the shared connection', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempFolder();
  writeFileSync(join(dir, 'p.pipeline.yaml'), 'blocks:\n  hello:\n    run: echo hello\n  after:\n    run: echo after\n    depends_on: [hello]\n');
  const path = join(dir, '.pipelines', 'runs.sqlite');
  // Held before the store exists, as a window opened on a fresh checkout does: the folder is polled for.
  const hub = new RunStateHub({ delayMs: 50, watch: (p, onChange) => new StoreWatcher(p, onChange, { pollMs: 50 }) });
  const seen = record(hub);
  const hold = hub.hold(path);
  const statuses = (): string[] => hold.read((store) => store.listRuns({}).map((run) => `#${run.id} ${run.status}`)) ?? [];
  try {
    assert.deepEqual(statuses(), []);
    assert.equal(hold.state.kind, 'missing');
    for (const runId of [1, 2]) {
      const child = spawn(process.execPath, [CLI, 'run', 'p.pipeline.yaml'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number];
      assert.equal(code, 0, stderr);
      await until(`run #${runId} to be reported`, () => seen.some((c) => c.storePath === path && c.runIds === 'any') && statuses().includes(`#${runId} completed`));
      seen.length = 0;
    }
    assert.deepEqual(statuses(), ['#2 completed', '#1 completed']);
  } finally {
    hold.release();
    hub.dispose();
    cleanup();
  }
});

test('a store deleted by hand and made again is followed: the connection reopens and the tree shows the new file', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempFolder();
  const folder = join(dir, '.pipelines');
  const path = join(folder, 'runs.sqlite');
  let writer = openStore(path);
  writer.createRun(newRun());
  writer.createRun(newRun());
  writer.close();
  const hub = new RunStateHub({ delayMs: 50, watch: (p, onChange) => new StoreWatcher(p, onChange, { pollMs: 50 }) });
  const tree = new HistoryModel({ hold: (p) => hub.hold(p) });
  tree.setStores([{ name: 'work', folderPath: dir, storePath: path }]);
  hub.subscribe(() => tree.refresh());
  const shownRuns = (): number[] => {
    const [pipeline] = tree.children() as PipelineNode[];
    return pipeline === undefined ? [] : (tree.children(pipeline) as RunNode[]).map((node) => node.runId);
  };
  const lens = hub.hold(path);
  const seen = record(hub);
  try {
    assert.deepEqual(shownRuns(), [2, 1]);
    const generation = lens.generation;
    rmSync(folder, { recursive: true, force: true });
    await until('the deletion to be reported', () => seen.length > 0);
    assert.equal(lens.read((store) => store.latestRunId({})), undefined);
    assert.equal(lens.state.kind, 'missing');
    writer = openStore(path);
    writer.createRun(newRun({ pipelineName: 'fresh' }));
    writer.close();
    await until('the new store to be read', () => lens.read((store) => store.listRuns({}).map((r) => r.pipelineName).join()) === 'fresh');
    assert.ok(lens.generation > generation, 'the connection knows it reads another file');
    assert.deepEqual(shownRuns(), [1], 'the tree shows the new store, not the deleted one');
  } finally {
    lens.release();
    tree.dispose();
    hub.dispose();
    cleanup();
  }
});
