// bench/store: log ingestion and run-listing latency of the SQLite run store, for both drivers.
// Run: scripts/node24.sh node bench/store.ts
// Targets (issue 4): ingestion >= 100 MB/s with peak RSS < 150 MB for one block run receiving 200 MB;
// listRuns (latest 50 with counts) <= 5 ms with 100,000 runs in the store.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDriver } from '../core/src/store/openDriver.ts';
import { medianOfIterationsMs } from './generate.ts';
import { openStore, type DriverChoice } from '../core/src/store/index.ts';

const DRIVERS = ['better-sqlite3', 'node:sqlite'] as const;
const MiB = 1024 * 1024;
const INGEST_BYTES = 200 * 1000 * 1000;
const CHUNK_BYTES = 64 * 1024;
const RUNS = 100_000;
const BLOCKS_PER_RUN = 5;

interface IngestResult { mbPerSec: number; peakRssMiB: number; storedMiB: number; droppedMiB: number }

if (process.argv[2] === '--ingest') {
  // Child mode: one measurement per process, so that peak RSS belongs to it alone.
  const result = await ingest(process.argv[3] as DriverChoice, Number(process.argv[4]) * MiB);
  process.stdout.write(JSON.stringify(result));
} else {
  main();
}

function main(): void {
  const rows: string[][] = [];
  for (const driver of DRIVERS) {
    for (const capMiB of [10, 1024]) {
      const child = spawnSync(process.execPath, [import.meta.filename, '--ingest', driver, String(capMiB)], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`ingest child failed: ${child.stderr}`);
      const r = JSON.parse(child.stdout) as IngestResult;
      rows.push([
        driver, `log ingestion, 200 MB in 64 KiB chunks, cap ${capMiB === 10 ? '10 MiB (default)' : '1 GiB (all stored)'}`,
        `${r.mbPerSec.toFixed(0)} MB/s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB (stored ${r.storedMiB.toFixed(1)} MiB, dropped ${r.droppedMiB.toFixed(1)} MiB)`,
        verdict(r.mbPerSec >= 100 && r.peakRssMiB < 150, '>= 100 MB/s, < 150 MB'),
      ]);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  try {
    const path = join(dir, 'runs.sqlite');
    const built = buildHistory(path);
    for (const driver of DRIVERS) {
      const store = openStore(path, { driver });
      const file = '/bench/p3.pipeline.yaml';
      const cases: [string, () => unknown, number][] = [
        ['listRuns latest 50 with counts', () => store.listRuns({ limit: 50 }), 5],
        ['listRuns latest 50 of one pipeline file', () => store.listRuns({ limit: 50, pipelineFile: file }), 5],
        ['listRuns latest 50 failed', () => store.listRuns({ limit: 50, status: 'failed' }), 5],
        ['listRuns page of 50 before #50,000', () => store.listRuns({ limit: 50, before: 50_000 }), 5],
        ['latestCompletedBlockRun (from mode)', () => store.latestCompletedBlockRun(file, 'b2'), 5],
        ['findCachedBlockRun (cache lookup)', () => store.findCachedBlockRun(file, 'b2', 'fp-3-2'), 5],
      ];
      for (const [name, fn, target] of cases) {
        const ms = medianOfIterationsMs(fn, 300, 20);
        rows.push([driver, `${name}, ${RUNS.toLocaleString('en')} runs`, `${ms.toFixed(3)} ms (median)`, verdict(ms <= target, `<= ${target} ms`)]);
      }
      store.close();
    }
    console.log(`node ${process.version}; history of ${RUNS.toLocaleString('en')} runs x ${BLOCKS_PER_RUN} blocks built in ${built.toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length), ['driver', 'case', 'result', 'target'][i]?.length ?? 0));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  console.log(line(['driver', 'case', 'result', 'target']));
  for (const r of rows) console.log(line(r));
}

async function ingest(driver: DriverChoice, capBytes: number): Promise<IngestResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  try {
    const store = openStore(join(dir, 'runs.sqlite'), { driver, logCapBytes: capBytes });
    const run = store.createRun({ pipelineName: 'bench', pipelineFile: '/bench.pipeline.yaml', trigger: 'cli', mode: 'all', selection: [], sourceRunId: undefined, variables: {}, git: undefined });
    const block = store.createBlockRun({ runId: run.id, block: 'spam', status: 'running' });
    // Output arrives as bytes, one 'data' event per chunk; decoding each to a new string is what the runner does.
    const line = Buffer.from('2024-01-01T00:00:00Z INFO processed record 123456 of 999999: ok, 42 fields, checksum 0xdeadbeef\n');
    const template = Buffer.alloc(CHUNK_BYTES);
    for (let at = 0; at < CHUNK_BYTES; at += line.length) line.copy(template, at);
    const log = store.openLog(block.id);
    const started = performance.now();
    for (let written = 0; written < INGEST_BYTES; written += CHUNK_BYTES) {
      log.write('stdout', template.toString('utf8'));
      await new Promise(setImmediate);
    }
    log.close();
    const seconds = (performance.now() - started) / 1000;
    const dropped = store.getBlockRun(block.id)?.logDroppedBytes ?? 0;
    const stored = log.totalBytes - dropped;
    store.close();
    return { mbPerSec: log.totalBytes / 1e6 / seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, storedMiB: stored / MiB, droppedMiB: dropped / MiB };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 100,000 runs over 10 pipelines, 5 block runs each, written in bulk (the API's per-call transactions would only slow the setup). */
function buildHistory(path: string): number {
  const started = performance.now();
  openStore(path).close();
  const db = openDriver(path, 'better-sqlite3', { readonly: false, busyTimeoutMs: 5000 });
  const runStmt = db.prepare(`INSERT INTO pipeline_run (id, pipeline_name, pipeline_file, status, trigger, mode, variables, created_at, started_at, finished_at,
    owner_pid, owner_host, heartbeat_at) VALUES (?, ?, ?, ?, 'cli', 'all', '{"n":1}', ?, ?, ?, 1, 'bench-host', ?)`);
  const blockStmt = db.prepare(`INSERT INTO block_run (run_id, pipeline_file, block, status, attempt, exit_code, started_at, finished_at, outputs, fingerprint)
    VALUES (?, ?, ?, ?, 1, 0, ?, ?, '{"rows":"5"}', ?)`);
  const t0 = Date.now() - RUNS * 60_000;
  db.transaction(() => {
    for (let id = 1; id <= RUNS; id++) {
      const p = id % 10;
      const file = `/bench/p${p}.pipeline.yaml`;
      const failed = id % 7 === 0;
      const at = t0 + id * 60_000;
      runStmt.run(id, `p${p}`, file, failed ? 'failed' : 'completed', at, at, at + 30_000, at + 30_000);
      for (let b = 0; b < BLOCKS_PER_RUN; b++) {
        const status = failed && b === 3 ? 'failed' : failed && b === 4 ? 'upstream_failed' : 'completed';
        blockStmt.run(id, file, `b${b}`, status, at, at + 5000, `fp-${p}-${b}`);
      }
    }
  });
  db.exec('ANALYZE');
  db.close();
  return (performance.now() - started) / 1000;
}

function verdict(met: boolean, target: string): string {
  return `${target}: ${met ? 'met' : 'MISSED'}`;
}
