import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lockWait } from '../../core/src/store/lockWait.ts';
import { openStore, StoreError } from '../../core/src/store/index.ts';
import { DRIVERS, fixture, newRun, tempFolder } from './helpers.ts';

const busy = (): Error => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

test('lockWait keeps trying while the store changes, and gives up after the stall period without change (injected clock)', () => {
  const { dir, cleanup } = tempFolder();
  try {
    const path = join(dir, 'runs.sqlite');
    writeFileSync(path, '');
    let clock = 0;
    const wait = lockWait(path, 1000, () => clock);
    // Another writer commits during the first 30 attempts (its WAL grows), then stops without releasing the lock.
    let attempts = 0;
    const error = (() => {
      try {
        return wait(() => {
          attempts++;
          clock += 250;
          if (attempts <= 30) appendFileSync(`${path}-wal`, 'frame');
          throw busy();
        });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof Error && (error as { stalledMs?: number }).stalledMs === 1000, String(error));
    // The last change was seen after attempt 30; 4 more attempts of 250 ms without change make the 1000 ms stall.
    assert.equal(attempts, 34);

    // It returns as soon as an attempt succeeds, and other errors pass through at once.
    let tries = 0;
    const third = wait(() => {
      if (++tries === 3) return 'done';
      throw busy();
    });
    assert.deepEqual([third, tries], ['done', 3]);
    let other = 0;
    assert.throws(() => wait(() => { other++; throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }); }), /disk I\/O error/);
    assert.equal(other, 1);
  } finally {
    cleanup();
  }
});

for (const driver of DRIVERS) {
  test(`${driver}: a writer waits beyond the stall period while another process keeps committing, then writes`, { timeout: 60_000 }, async () => {
    const { dir, cleanup } = tempFolder();
    const path = join(dir, 'runs.sqlite');
    // The other process re-takes the lock the instant it commits, for 4 s: SQLite's busy handler
    // (not a queue) rarely gets in between, so a fixed 1.5 s busy timeout refused this writer.
    const store = openStore(path, { driver, busyTimeoutMs: 1500 });
    const writer = spawn(process.execPath, [fixture('busyWriter.ts'), path, driver, '4000', '100'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let out = '';
      writer.stdout.on('data', (d: Buffer) => (out += d.toString()));
      while (!out.includes('writing\n')) await once(writer.stdout, 'data');
      const run = store.createRun(newRun());
      assert.equal(run.id, 1);
      const [code] = (await once(writer, 'exit')) as [number];
      assert.equal(code, 0);
      assert.ok(Number(out.split('\n')[1]) > 1, `the other process committed repeatedly: ${out}`);
    } finally {
      writer.kill('SIGKILL');
      store.close();
      cleanup();
    }
  });

  test(`${driver}: a store held by a stopped process fails a write with a clear error naming it after the stall period, while reads go on`, { timeout: 60_000 }, async () => {
    const { dir, cleanup } = tempFolder();
    const path = join(dir, 'runs.sqlite');
    openStore(path, { driver }).close();
    const holder = spawn(process.execPath, [fixture('stopInTransaction.ts'), path, driver], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [first] = (await once(holder.stdout, 'data')) as [Buffer];
      assert.equal(first.toString(), 'locked\n');
      // Opening and reading need no write lock (WAL): the Runs tree keeps working.
      const store = openStore(path, { driver, busyTimeoutMs: 500 });
      assert.deepEqual(store.listRuns(), []);
      const started = performance.now();
      assert.throws(() => store.createRun(newRun()), (error: unknown) => {
        assert.ok(error instanceof StoreError, String(error));
        assert.equal(error.kind, 'locked');
        assert.equal(error.message, `The run store ${path} is locked by another process that has made no progress for 0.5 s. ` +
          'A process is stopped or hung in the middle of a write: end it or let it continue, then try again, or use a different store with --store.');
        return true;
      });
      assert.ok(performance.now() - started >= 450, 'it waited for the stall period');
      store.close();
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    const store = openStore(path, { driver, busyTimeoutMs: 500 });
    assert.equal(store.createRun(newRun()).id, 1, 'once the holder is gone the store works again');
    store.close();
    cleanup();
  });
}
