// bench/query: the query language (core/src/query) over stores of 10,000 and 100,000 runs (10 block
// runs each: 1,000,000 at 100k), beside the Runs tree's former LIKE text filter, in the same run.
// Run: scripts/node24.sh node bench/query.ts [10000,100000]
// Quick (exports only, once each, --details at 10k only; ~3 min quiet): BENCH_QUICK=1 scripts/node24.sh node --expose-gc bench/query.ts
// Runs carry their details as the recorder keeps them (definition, host, ready times, resources);
// BENCH_DETAILS=0 builds the runs and block runs only.
// Each figure is the median of repeated first pages (50 runs with their block counts) through a
// read-only store, as the editor reads. Targets (issue 15, at 100k): single term <= 20 ms, 4 terms
// <= 50 ms, text search <= 50 ms; export of 100,000 runs <= 3 s with bounded memory (CSV, and JSON's run-level
// record; JSON --details, everything show --json has, is measured beside them).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportRuns, toFile } from '../core/src/cli/exportCommand.ts';
import { openDriver } from '../core/src/store/openDriver.ts';
import { openStore, type RunStore } from '../core/src/store/index.ts';
import { medianOfIterationsMs } from './generate.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const SIZES = (process.argv[2] ?? '10000,100000').split(',').map(Number);
const EXPORT_ROUNDS = QUICK ? 1 : 3;
const BLOCKS = 10;
const PAGE = 50;
const MINUTE = 60_000;
const NOW = Date.parse('2026-01-03T00:00:00Z');

const SINGLE: string[] = [
  'status:failed', 'pipeline:p07', 'trigger:schedule', 'branch:release', 'commit:c0ffee', 'dirty:true', 'var:epochs>48', 'var:env=prod',
  'property:accuracy>=0.999', 'property:b9.accuracy<0.0005', 'block:b3:failed', 'block:b3:completed', 'block:b3', 'date:-2d', 'date:2026-01-01 TO 2026-01-02', 'duration:>59s', 'error:"disk full"', '#4242',
];
const MULTI: string[] = [
  'pipeline:p07 status:failed var:epochs>40 date:>-30d',
  'pipeline:p03 branch:main -status:completed duration:>30s',
  '(status:failed OR status:cancelled) trigger:cli var:env=prod block:b3',
];
const TEXT: string[] = ['needle-42', '"exit code 137"', 'batch-99', 'error:oom'];

let likeDb: ReturnType<typeof openDriver> | undefined;
const dir = mkdtempSync(join(tmpdir(), 'ps-bench-query-'));
try {
  const rows: string[] = [];
  for (const size of SIZES) {
    const path = join(dir, `runs-${size}.sqlite`);
    const built = build(path, size);
    const store = openStore(path, { readonly: true });
    // Wall time on a shared, loaded machine is mostly waiting for a core; CPU time says what the query costs.
    const median = (fn: () => unknown, n = 15): string => {
      const wall = medianOfIterationsMs(fn, n, 2);
      const cpu = medianCpuMs(fn, n);
      return `${wall.toFixed(2)} ms (cpu ${cpu.toFixed(2)} ms)`;
    };
    const page = (text: string): (() => unknown) => () => store.listRuns({ text, limit: PAGE, now: NOW });
    const row = (kind: string, query: string, figure: string, target: number, extra = ''): void => {
      const cpu = Number(/cpu ([\d.]+)/.exec(figure)?.[1]);
      rows.push(`| ${size.toLocaleString('en')} | ${kind} | \`${query}\` | ${figure} | ${size < 100_000 ? '' : cpu <= target ? 'ok' : 'SLOW'} (<= ${target} ms)${extra} |`);
    };
    if (!QUICK) {
    for (const q of SINGLE) row('1 term', q, median(page(q)), 20, ` ${store.countRuns({ text: q, now: NOW })} match`);
    for (const q of MULTI) row('multi', q, median(page(q)), 50, ` ${store.countRuns({ text: q, now: NOW })} match`);
    for (const q of TEXT) row('text', q, median(page(q)), 50, ` ${store.countRuns({ text: q, now: NOW })} match`);
    // The former Runs-tree filter (sqlClauses.ts before this change), the same first page.
    for (const word of ['needle-42', 'exit code 137']) row('old LIKE', word, median(() => likeFilter(store, path, word)), 132);
    row('count', 'status:failed (all matches)', median(() => store.countRuns({ text: 'status:failed' })), 50);
    }
    // Export: every run, to a file; memory is the heap growth over the export (pages of 500). CSV, JSON (the
    // run-level record, the default) and JSON --details (everything show --json has), interleaved, ROUNDS times
    // each (median). --details takes ~40 s of CPU at 100k: quick mode measures it at 10k only.
    const variants = (['csv', 'json', 'json --details'] as const).filter((v) => v !== 'json --details' || !QUICK || size <= 10_000);
    const figures = new Map<string, { ms: number; cpu: number; n: number; mb: number; heap: number; rss: number }[]>();
    for (let round = 0; round < EXPORT_ROUNDS; round++) {
      for (const variant of variants) {
        const out = join(dir, 'export.out');
        global.gc?.();
        const heapBefore = process.memoryUsage().heapUsed;
        let peak = heapBefore;
        const rssBefore = process.memoryUsage.rss();
        let rssPeak = rssBefore;
        const t = performance.now();
        const cpu0 = process.cpuUsage();
        // As the CLI writes --out: a file stream, waiting for drain between pages.
        const n = await toFile(out, (write) => exportRuns(store, { text: undefined, format: variant === 'csv' ? 'csv' : 'json', details: variant === 'json --details' }, (chunk) => {
          peak = Math.max(peak, process.memoryUsage().heapUsed);
          rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
          return write(chunk);
        }));
        const ms = performance.now() - t;
        const used = process.cpuUsage(cpu0);
        const list = figures.get(variant) ?? [];
        list.push({ ms, cpu: (used.user + used.system) / 1000, n, mb: statSync(out).size / 1e6, heap: (peak - heapBefore) / 1e6, rss: (rssPeak - rssBefore) / 1e6 });
        figures.set(variant, list);
      }
    }
    for (const [variant, list] of figures) {
      const mid = <K extends 'ms' | 'cpu' | 'heap' | 'rss'>(key: K): number => list.map((f) => f[key]).sort((x, y) => x - y)[Math.floor(list.length / 2)] ?? Number.NaN;
      const first = list[0] as { n: number; mb: number };
      const cpu = mid('cpu');
      rows.push(`| ${size.toLocaleString('en')} | export | ${variant}, ${first.n.toLocaleString('en')} runs, ${first.mb.toFixed(1)} MB | ${mid('ms').toFixed(0)} ms (cpu ${cpu.toFixed(0)} ms), median of ${list.length} | ${size < 100_000 ? '' : cpu <= 3000 ? 'ok' : 'SLOW'} (<= 3000 ms); heap peak +${mid('heap').toFixed(1)} MB, rss peak +${mid('rss').toFixed(1)} MB |`);
    }
    store.close();
    console.error(`built ${size} runs in ${built.toFixed(1)} s`);
  }
  console.log(`node ${process.version}; ${BLOCKS} block runs per run; first page of ${PAGE} runs with block counts, median of 15 (wall, and CPU time of this process); targets checked on CPU time`);
  console.log('| runs | kind | query | median | target |');
  console.log('| ---: | --- | --- | ---: | --- |');
  for (const r of rows) console.log(r);
} finally {
  if (process.env.KEEP === undefined) rmSync(dir, { recursive: true, force: true }); else console.error(dir);
}

function medianCpuMs(fn: () => unknown, iterations: number): number {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** The LIKE filter the Runs tree used before the query language (same columns, same first page). */
function likeFilter(store: RunStore, path: string, text: string): unknown {
  likeDb ??= openDriver(path, 'better-sqlite3', { readonly: true, busyTimeoutMs: 5000 });
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const columns = ['pipeline_name', 'git_branch', 'git_commit', 'trigger', 'variables', 'error'];
  const ids = likeDb.prepare(`SELECT id FROM pipeline_run WHERE (${columns.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')}) ORDER BY id DESC LIMIT ${PAGE}`)
    .all(...columns.map(() => pattern)).map((r) => Number(r.id));
  // The tree then reads the page's block counts, as listRuns does.
  return ids.length === 0 ? [] : store.listRuns({ text: ids.map((id) => `#${id}`).join(' OR '), limit: PAGE });
}

/**
 * Runs spread over the last `size` minutes before NOW, 20 pipelines, statuses/branches/variables on
 * fixed residues; one run with `needle-42`. Written with SQL in one transaction, through the
 * migration's triggers (so the side tables and the text index are built as the store builds them).
 */
function build(file: string, size: number): number {
  const started = performance.now();
  openStore(file).close();
  const db = openDriver(file, 'better-sqlite3', { readonly: false, busyTimeoutMs: 5000 });
  db.transaction(() => {
    db.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${size})
      INSERT INTO pipeline_run (id, pipeline_name, pipeline_file, status, trigger, mode, variables, git_commit, git_branch, git_dirty,
        created_at, started_at, finished_at, error, owner_pid, owner_host, heartbeat_at)
      SELECT i, 'p' || printf('%02d', i % 20), '/bench/p' || (i % 20) || '.pipeline.yaml',
        CASE WHEN i % 7 = 0 THEN 'failed' WHEN i % 53 = 0 THEN 'cancelled' ELSE 'completed' END,
        CASE WHEN i % 3 = 0 THEN 'schedule:nightly' WHEN i % 3 = 1 THEN 'cli' ELSE 'manual' END, 'all',
        json_object('batch', CASE WHEN i = 4242 THEN 'needle-42' ELSE 'batch-' || i END, 'epochs', i % 50, 'env', CASE WHEN i % 2 = 0 THEN 'prod' ELSE 'dev' END),
        printf('%08x', (i * 2654435761) % 4294967296) || 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', CASE WHEN i % 10 = 0 THEN 'release' ELSE 'main' END, i % 11 = 0,
        ${NOW} - (${size} - i) * ${MINUTE}, ${NOW} - (${size} - i) * ${MINUTE}, ${NOW} - (${size} - i) * ${MINUTE} + (i % 60) * 1000,
        CASE WHEN i % 7 = 0 THEN 'block b3 failed' END, 1, 'bench-host', ${NOW}
      FROM n;
      WITH RECURSIVE k(b) AS (SELECT 0 UNION ALL SELECT b + 1 FROM k WHERE b < ${BLOCKS - 1})
      INSERT INTO block_run (run_id, pipeline_file, block, status, attempt, exit_code, reason, started_at, finished_at, outputs)
      SELECT r.id, r.pipeline_file, 'b' || k.b, CASE WHEN r.status = 'failed' AND k.b = 3 THEN 'failed' ELSE 'completed' END, 1,
        CASE WHEN r.status = 'failed' AND k.b = 3 THEN 137 ELSE 0 END,
        CASE WHEN r.status = 'failed' AND k.b = 3 THEN CASE WHEN r.id % 5 = 0 THEN 'exit code 137: oom' ELSE 'exit code 1: disk full' END END,
        r.started_at, r.finished_at,
        CASE WHEN k.b = 9 THEN json_object('accuracy', printf('%.4f', (r.id % 10000) / 10000.0)) ELSE '{}' END
      FROM pipeline_run r, k ORDER BY r.id, k.b;
    `);
    // What the recorder keeps of each run (core/src/details/recorder.ts): the definition it ran (one text
    // per pipeline file here, as when a file is not edited between runs), the host, when each block
    // became ready and what each attempt cost.
    if (process.env.BENCH_DETAILS === '0') return;
    db.exec('CREATE TEMP TABLE defs (k INTEGER PRIMARY KEY, text TEXT, sha TEXT)');
    const def = db.prepare('INSERT INTO defs VALUES (?, ?, ?)');
    for (let k = 0; k < 20; k++) {
      const text = definitionText(k);
      def.run(k, text, createHash('sha256').update(text).digest('hex'));
    }
    db.exec(`
      INSERT INTO run_detail (run_id, definition, definition_sha256, host_name, host_os, host_cpus, runtime_version, tool_version)
      SELECT r.id, d.text, d.sha, 'bench-host', 'linux', 2, 'node v24', '0.1.0' FROM pipeline_run r JOIN defs d ON d.k = r.id % 20;
      INSERT INTO block_ready (run_id, block, ready_at) SELECT run_id, block, started_at FROM block_run;
      INSERT INTO attempt_resources (block_run_id, run_id, pid, method, cpu_user_ms, cpu_system_ms, peak_rss_bytes, read_bytes, write_bytes, samples)
      SELECT id, run_id, 1000 + id % 30000, 'proc', 12.5, 3.25, 1048576 * (8 + id % 64), 4096 * (id % 100), 8192, 3 FROM block_run;
    `);
  });
  db.exec('ANALYZE');
  db.close();
  return (performance.now() - started) / 1000;
}

/** A pipeline of BLOCKS blocks in a chain (b1 after b0, ...), one text per pipeline file. */
function definitionText(k: number): string {
  const lines = [`name: p${String(k).padStart(2, '0')}`, 'variables:', '  epochs: 10', '  env: dev', '  batch: none', 'blocks:'];
  for (let b = 0; b < BLOCKS; b++) {
    lines.push(`  b${b}:`, `    run: ./step.sh ${b} \${{ vars.env }} \${{ vars.epochs }}`);
    if (b > 0) lines.push(`    depends_on: [b${b - 1}]`);
    if (b === BLOCKS - 1) lines.push('    outputs: [accuracy]');
  }
  return `${lines.join('\n')}\n`;
}
