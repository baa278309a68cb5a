import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openDriver } from '../../core/src/store/openDriver.ts';
import { openStore } from '../../core/src/store/index.ts';
import { DRIVERS, fixture, newRun, tempFolder } from './helpers.ts';

const PAIRS = [[DRIVERS[0], DRIVERS[0]], [DRIVERS[1], DRIVERS[1]], [DRIVERS[0], DRIVERS[1]]] as const;

for (const [first, second] of PAIRS) {
  test(`two writer processes (${first} and ${second}) record 500 runs each into one store at once, and all 1000 are there`, { timeout: 120_000 }, async () => {
    const { dir, cleanup } = tempFolder();
    const path = join(dir, 'runs.sqlite');
    try {
      openStore(path, { driver: first }).close();
      const writers = [first, second].map((driver, n) =>
        spawn(process.execPath, [fixture('writer.ts'), path, driver, '500', `w${n}`], { stdio: ['pipe', 'pipe', 'inherit'] }),
      );
      const outputs = writers.map((w) => {
        let text = '';
        w.stdout.on('data', (d: Buffer) => (text += d.toString()));
        return () => text;
      });
      // Both open the store first, then start together, so that their writes really interleave.
      await Promise.all(writers.map(async (w, n) => {
        while (!(outputs[n]?.() ?? '').includes('ready\n')) await once(w.stdout, 'data');
      }));
      for (const w of writers) w.stdin.end('go\n');
      const codes = await Promise.all(writers.map(async (w) => ((await once(w, 'exit')) as [number])[0]));
      assert.deepEqual(codes, [0, 0]);
      assert.deepEqual(outputs.map((o) => o()), ['ready\n500\n', 'ready\n500\n']);

      const store = openStore(path, { driver: first });
      const runs = store.listRuns({ limit: 2000 });
      assert.equal(runs.length, 1000);
      assert.ok(runs.every((r) => r.status === 'completed' && r.counts.completed === 2));
      assert.equal(store.listRuns({ pipelineName: 'w0', limit: 2000 }).length, 500);
      assert.equal(store.listRuns({ pipelineName: 'w1', limit: 2000 }).length, 500);
      // Their ids interleave: the writes happened at the same time, not one after the other.
      const order = runs.map((r) => r.pipelineName).reverse();
      const switches = order.filter((name, i) => i > 0 && name !== order[i - 1]).length;
      assert.ok(switches >= 2, `only ${switches} switches between writers`);
      const someBlock = store.blockRuns(runs[0]?.id ?? 0)[0];
      assert.match(store.readLogs(someBlock?.id ?? 0)[0]?.text ?? '', /^w[01] \d+ a\n$/);
      store.close();
    } finally {
      cleanup();
    }
  });
}

for (const driver of DRIVERS) {
  test(`${driver}: a run whose owner was killed by SIGKILL is marked interrupted on open, with its unfinished blocks`, () => {
    const { dir, cleanup } = tempFolder();
    const path = join(dir, 'runs.sqlite');
    try {
      const child = spawnSync(process.execPath, [fixture('crashMidRun.ts'), path, driver], { encoding: 'utf8' });
      assert.equal(child.signal, 'SIGKILL', child.stderr);
      const runId = Number(child.stdout.trim());
      assert.equal(runId, 1);

      // A reader cannot write the mark but reports what it will be.
      const reader = openStore(path, { driver, readonly: true });
      assert.equal(reader.getRun(runId)?.status, 'interrupted');
      assert.deepEqual(reader.blockRuns(runId).map((b) => [b.block, b.status]), [['extract', 'completed'], ['transform', 'cancelled'], ['load', 'cancelled']]);
      assert.deepEqual(reader.listRuns()[0]?.counts, { completed: 1, cancelled: 2 });
      reader.close();
      const raw = openDriver(path, driver, { readonly: true, busyTimeoutMs: 1000 });
      assert.equal(raw.prepare('SELECT status FROM pipeline_run WHERE id = ?').get(runId)?.status, 'running', 'the reader wrote nothing');
      raw.close();

      const store = openStore(path, { driver });
      const run = store.getRun(runId);
      assert.equal(run?.status, 'interrupted');
      assert.match(run.error ?? '', new RegExp(`The process that ran it \\(pid \\d+ on ${hostname()}\\) ended without finishing the run\\.`));
      assert.ok(run.finishedAt !== undefined && run.finishedAt >= (run.startedAt ?? 0));
      const blocks = store.blockRuns(runId);
      assert.deepEqual(blocks.map((b) => [b.block, b.status, b.reason]), [
        ['extract', 'completed', undefined],
        ['transform', 'cancelled', 'interrupted'],
        ['load', 'cancelled', 'interrupted'],
      ]);
      assert.deepEqual(store.readLogs(blocks[1]?.id ?? 0).map((c) => c.text), ['half way\n']);
      assert.equal(store.markInterrupted(), 0, 'marking happens once');
      store.close();
    } finally {
      cleanup();
    }
  });

  test(`${driver}: owners on other hosts are judged by heartbeat, and listing marks runs that died meanwhile`, () => {
    const { dir, cleanup } = tempFolder();
    const path = join(dir, 'runs.sqlite');
    try {
      const store = openStore(path, { driver });
      const now = Date.now();
      const insert = (host: string, pid: number, heartbeatAt: number) => {
        const raw = openDriver(path, driver, { readonly: false, busyTimeoutMs: 1000 });
        raw.exec(`INSERT INTO pipeline_run (pipeline_name, pipeline_file, status, trigger, mode, created_at, started_at, owner_pid, owner_host, heartbeat_at)
                  VALUES ('p', '/p', 'running', 'cli', 'all', ${now}, ${now - 200_000}, ${pid}, '${host}', ${heartbeatAt})`);
        const id = Number(raw.prepare('SELECT max(id) AS id FROM pipeline_run').get()?.id);
        raw.close();
        return id;
      };
      const staleElsewhere = insert('elsewhere', process.pid, now - 120_000);
      const freshElsewhere = insert('elsewhere', process.pid, now - 5_000);
      // pid 1 is alive, but a heartbeat from before the last boot means it is not the owner any more.
      const beforeBoot = insert(hostname(), 1, 1000);
      const alive = insert(hostname(), 1, now);
      const mine = store.createRun(newRun());
      store.updateRun(mine.id, { status: 'running' });

      const byId = new Map(store.listRuns().map((r) => [r.id, r.status]));
      assert.equal(byId.get(staleElsewhere), 'interrupted');
      assert.equal(byId.get(freshElsewhere), 'running');
      assert.equal(byId.get(beforeBoot), 'interrupted');
      assert.equal(byId.get(alive), 'running');
      assert.equal(byId.get(mine.id), 'running');
      assert.equal(store.getRun(staleElsewhere)?.finishedAt, now - 120_000, 'finished at its last heartbeat');

      const child = spawnSync(process.execPath, [fixture('crashMidRun.ts'), path, driver], { encoding: 'utf8' });
      const crashed = Number(child.stdout.trim());
      assert.equal(store.listRuns().find((r) => r.id === crashed)?.status, 'interrupted', 'listing marks it without reopening');
      store.close();
    } finally {
      cleanup();
    }
  });
}
