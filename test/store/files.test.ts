import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { openDriver } from '../../core/src/store/openDriver.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../core/src/store/schema.ts';
import { openStore, StoreError } from '../../core/src/store/index.ts';
import { DRIVERS, fixture, newRun, tempFolder } from './helpers.ts';

const isStoreError = (kind: StoreError['kind'], message?: RegExp) => (e: unknown) =>
  e instanceof StoreError && e.kind === kind && (message === undefined || message.test(e.message));

for (const driver of DRIVERS) {
  test(`${driver}: a database made by schema 1 migrates and keeps its rows`, () => {
    const { dir, cleanup } = tempFolder();
    const path = join(dir, 'runs.sqlite');
    try {
      const old = openDriver(path, driver, { readonly: false, busyTimeoutMs: 1000 });
      old.exec('PRAGMA journal_mode = WAL');
      old.exec(MIGRATIONS[0] ?? '');
      old.exec('PRAGMA user_version = 1');
      old.exec(`INSERT INTO pipeline_run (pipeline_name, pipeline_file, status, trigger, mode, selection, variables, created_at, finished_at, owner_pid, owner_host, heartbeat_at)
                VALUES ('etl', '/old/etl.pipeline.yaml', 'completed', 'manual', 'only', '["load"]', '{"n":1}', 1000, 2000, 1, 'h', 2000)`);
      old.exec(`INSERT INTO block_run (run_id, pipeline_file, block, status, exit_code, outputs, fingerprint) VALUES (1, '/old/etl.pipeline.yaml', 'load', 'completed', 0, '{"rows":"5"}', 'fp')`);
      old.exec(`INSERT INTO block_log (block_run_id, seq, stream, time, chunk) VALUES (1, 1, 'stdout', 1500, 'old output')`);
      old.close();

      assert.throws(() => openStore(path, { driver, readonly: true }), isStoreError('schema', /older schema/));
      const store = openStore(path, { driver });
      const run = store.getRun(1);
      assert.equal(run?.status, 'completed');
      assert.deepEqual(run.selection, ['load']);
      assert.equal(run.sourceRunId, undefined);
      const [block] = store.blockRuns(1);
      assert.deepEqual(block?.outputs, { rows: '5' });
      assert.equal(block?.outputHashes, undefined);
      assert.equal(store.findCachedBlockRun('/old/etl.pipeline.yaml', 'load', 'fp')?.id, block?.id);
      assert.deepEqual(store.readLogs(1).map((c) => c.text), ['old output']);
      // The columns of migration 2 work on the migrated file.
      const retry = store.createRun(newRun({ trigger: 'retry', mode: 'retry', sourceRunId: 1 }));
      assert.equal(store.getRun(retry.id)?.sourceRunId, 1);
      store.close();

      const check = openDriver(path, driver, { readonly: true, busyTimeoutMs: 1000 });
      assert.equal(Number(check.prepare('PRAGMA user_version').get()?.user_version), SCHEMA_VERSION);
      check.close();
    } finally {
      cleanup();
    }
  });

  test(`${driver}: a non-SQLite file at the store path is refused and left byte-for-byte untouched`, () => {
    const { dir, cleanup } = tempFolder();
    try {
      const cases: [string, Buffer][] = [
        ['text.sqlite', Buffer.from('these are my notes, not a database\n'.repeat(200))],
        ['short.sqlite', Buffer.from('SQLite')],
        // The right magic, then garbage: only SQLite itself can tell.
        ['garbage.sqlite', Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4080, 0xff)])],
      ];
      for (const [name, bytes] of cases) {
        const path = join(dir, name);
        writeFileSync(path, bytes);
        for (const readonly of [false, true]) {
          assert.throws(() => openStore(path, { driver, readonly }), isStoreError('corrupt', /is not a Pipeline Studio run store \(.*\); it was left untouched/), name);
        }
        assert.ok(readFileSync(path).equals(bytes), `${name} was modified`);
      }
      assert.deepEqual(readdirSync(dir).sort(), cases.map(([name]) => name).sort(), 'no journal or WAL files were created beside them');
      const folder = join(dir, 'a-folder.sqlite');
      spawnSync('mkdir', [folder]);
      assert.throws(() => openStore(folder, { driver }), isStoreError('io', /not a file/));
    } finally {
      cleanup();
    }
  });

  test(`${driver}: another program's database and a newer schema are refused and untouched`, () => {
    const { dir, cleanup } = tempFolder();
    try {
      const foreign = join(dir, 'app.db');
      const db = openDriver(foreign, driver, { readonly: false, busyTimeoutMs: 1000 });
      db.exec("CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('ada')");
      db.close();
      const foreignBytes = readFileSync(foreign);
      assert.throws(() => openStore(foreign, { driver }), isStoreError('corrupt', /another program's database, with tables users/));
      assert.ok(readFileSync(foreign).equals(foreignBytes));

      const newer = join(dir, 'runs.sqlite');
      openStore(newer, { driver }).close();
      const raw = openDriver(newer, driver, { readonly: false, busyTimeoutMs: 1000 });
      raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
      raw.close();
      const newerBytes = readFileSync(newer);
      for (const readonly of [false, true]) {
        assert.throws(() => openStore(newer, { driver, readonly }), isStoreError('schema', /written by a newer Pipeline Studio .*Update the extension or CLI/));
      }
      assert.ok(readFileSync(newer).equals(newerBytes));
    } finally {
      cleanup();
    }
  });

  test(`${driver}: a log writer keeps its output while the store is locked and stores it once the lock is gone`, async () => {
    const { dir, cleanup } = tempFolder();
    const path = join(dir, 'runs.sqlite');
    const store = openStore(path, { driver, busyTimeoutMs: 200 });
    const block = store.createBlockRun({ runId: store.createRun(newRun()).id, block: 'a', status: 'running' });
    const log = store.openLog(block.id);
    log.write('stdout', 'before\n');
    log.flush();
    const holder = spawn(process.execPath, [fixture('holdLock.ts'), path, driver, 'reserved'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(holder.stdout, 'data');
      log.write('stdout', 'during\n');
      assert.throws(() => log.flush(), isStoreError('locked'));
      log.write('stdout', 'still during\n');
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    log.write('stdout', 'after\n');
    log.close();
    assert.equal(store.readLogs(block.id).map((c) => c.text).join(''), 'before\nduring\nstill during\nafter\n');
    store.close();
    cleanup();
  });

  for (const mode of ['reserved', 'exclusive'] as const) {
    test(`${driver}: a store locked by another process (${mode}) that makes no progress gives StoreError 'locked' after the stall period`, async () => {
      const { dir, cleanup } = tempFolder();
      const path = join(dir, 'runs.sqlite');
      openStore(path, { driver }).close();
      const holder = spawn(process.execPath, [fixture('holdLock.ts'), path, driver, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        const [first] = (await once(holder.stdout, 'data')) as [Buffer];
        assert.equal(first.toString(), 'locked\n');
        const started = Date.now();
        const locked = isStoreError('locked', /is locked by another process that has made no progress for 0\.3 s/);
        if (mode === 'reserved') {
          // Readers still read in WAL mode; writing waits, then fails clearly.
          const store = openStore(path, { driver, busyTimeoutMs: 300 });
          assert.equal(store.listRuns().length, 0);
          assert.throws(() => store.createRun(newRun()), locked);
          store.close();
        } else {
          assert.throws(() => openStore(path, { driver, busyTimeoutMs: 300 }), locked);
        }
        assert.ok(Date.now() - started >= 250, 'it waited for the stall period');
      } finally {
        holder.kill('SIGKILL');
        await once(holder, 'exit');
      }
      // Once the holder is gone the store works again.
      const store = openStore(path, { driver });
      assert.equal(store.createRun(newRun()).id, 1);
      store.close();
      cleanup();
    });
  }
}

test('auto falls back to node:sqlite where better-sqlite3 cannot load, and says what is needed when nothing loads', () => {
  const { dir, cleanup } = tempFolder();
  try {
    const run = (env: Record<string, string>, driver: string) => {
      const r = spawnSync(process.execPath, ['--import', fixture('fakeRuntime.ts'), fixture('openAndCreate.ts'), join(dir, 'runs.sqlite'), driver], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as { driver?: string; error?: string; kind?: string };
    };
    assert.deepEqual(run({ FAKE_NAPI: '9' }, 'auto'), { driver: 'node:sqlite', runId: 1 });
    const forced = run({ FAKE_NAPI: '9' }, 'better-sqlite3');
    assert.equal(forced.kind, 'driver');
    assert.match(forced.error ?? '', /better-sqlite3: better-sqlite3 needs Node-API 10 or newer, and this runtime has Node-API 9/);
    const none = run({ FAKE_NAPI: '9', FAKE_NO_NODE_SQLITE: '1' }, 'auto');
    assert.equal(none.kind, 'driver');
    assert.match(none.error ?? '', new RegExp(`no SQLite driver loads in this runtime \\(Node ${process.version.replace(/\./g, '\\.')}, Node-API 9\\)`));
    assert.match(none.error ?? '', /node:sqlite: node:sqlite is not built into Node/);
    assert.match(none.error ?? '', /Needed: Node-API 10 or newer for better-sqlite3 \(Node 22\.14\+\), or the built-in node:sqlite \(Node 22\.13\+\)/);
    assert.deepEqual(run({}, 'auto'), { driver: 'better-sqlite3', runId: 2 });
  } finally {
    cleanup();
  }
});
