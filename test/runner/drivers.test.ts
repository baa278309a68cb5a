import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDriver } from '../../core/src/store/openDriver.ts';
import { availableDrivers, openStore } from '../../core/src/store/index.ts';
import { pipelineDir, runFile, tempDir } from './support.ts';

// The engine records through the store interface only; both SQLite drivers must carry a whole run.
const DRIVERS = ['better-sqlite3', 'node:sqlite'] as const;

const PIPELINE = `blocks:
  extract:
    outputs: [rows]
    retry: { attempts: 2, delay: 10ms }
    run: |
      if [ ! -e tried ]; then touch tried; echo "first try fails" >&2; exit 3; fi
      echo "extracted"
      echo "rows=7" >> "$PIPELINE_OUTPUT"
  transform:
    depends_on: extract
    cache:
      inputs: [in.txt]
      outputs: [out.txt]
    run: |
      cp in.txt out.txt
      echo "transformed \${{ blocks.extract.outputs.rows }} rows"
`;

for (const driver of DRIVERS) {
  test(`${driver}: a run with a retry, outputs, logs and a cache hit is recorded and read back`, async () => {
    assert.ok(availableDrivers().includes(driver), `${driver} must load on this runtime`);
    const { dir, file } = pipelineDir(PIPELINE, { 'in.txt': 'data\n' });
    const path = join(tempDir('ps-store-'), 'runs.sqlite');
    const store = openStore(path, { driver });
    assert.equal(store.driver, driver);
    const first = await runFile(file, { store });
    assert.equal(first.result.status, 'completed', JSON.stringify(first.result.blocks));
    const rows = store.blockRuns(first.result.runId);
    assert.deepEqual(rows.map((b) => [b.block, b.attempt, b.status]), [['extract', 1, 'failed'], ['transform', 1, 'completed'], ['extract', 2, 'completed']]);
    assert.equal(first.log('extract', 1), 'first try fails\nattempt 1 of 2 failed (exit code 3); retrying in 10ms\n');
    assert.equal(first.log('extract', 2), 'extracted\n');
    assert.equal(first.log('transform'), 'transformed 7 rows\n');
    assert.deepEqual(rows[2]?.outputs, { rows: '7' });

    const second = await runFile(file, { store });
    assert.equal(second.block('transform').status, 'cached');
    writeFileSync(join(dir, 'in.txt'), 'changed\n');
    const third = await runFile(file, { store });
    assert.equal(third.block('transform').status, 'completed');
    store.close();

    // What the engine wrote is a plain SQLite file that the other driver reads the same way.
    const other = DRIVERS.find((d) => d !== driver) ?? driver;
    const reader = openStore(path, { driver: other, readonly: true });
    assert.deepEqual(reader.listRuns().map((r) => [r.id, r.status]), [[3, 'completed'], [2, 'completed'], [1, 'completed']]);
    reader.close();
    const raw = openDriver(path, driver, { readonly: true, busyTimeoutMs: 1000 });
    const chunks = Number(raw.prepare('SELECT count(*) AS n FROM block_log').get()?.n);
    assert.ok(chunks >= 4, `${chunks} log chunks stored`);
    raw.close();
  });
}
