// bench/fanOut: a fan-out of N items of `true` (issue 17) beside GNU make -j2 over N independent
// targets and a bare Node spawn loop over N commands, in one run, each a fresh process timed from
// outside (start-up included), -j2 everywhere; the fan-out records every item in a real store.
// Run: scripts/node24.sh npm run bench:fanout [-- --quick]   (builds dist/cli.cjs first)
// Target (issue 17): fan-out wall <= 1.5x make. That needs a spawn path that does not fork a Node
// process per item (issue 16's posix_spawn launcher); this bench measures whatever path is built in.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../core/src/store/index.ts';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.cjs');
const quick = process.argv.includes('--quick');
// --size N: one size only (a loaded machine may not afford both).
const sizeArg = process.argv.indexOf('--size');
const SIZES = sizeArg > 0 ? [Number(process.argv[sizeArg + 1])] : quick ? [1000] : [1000, 10_000];
const JOBS = 2;

const BARE_LOOP = `
const { spawn } = require('node:child_process');
const total = Number(process.argv[1]), concurrency = Number(process.argv[2]);
let started = 0, left = total;
const pump = () => {
  while (started - (total - left) < concurrency && started < total) {
    started++;
    const proc = spawn('/bin/sh', ['-c', 'true'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    proc.stdout.resume();
    proc.stderr.resume();
    proc.once('close', (code) => {
      if (code !== 0) process.exit(1);
      if (--left > 0) pump();
    });
  }
};
pump();
`;

function timed(command: string, args: string[], cwd: string): number {
  const start = performance.now();
  const r = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(' ')} exited ${String(r.status)}: ${r.stderr.slice(-500)}`);
  return ms;
}

function fanOutPipeline(n: number): string {
  return `concurrency: ${JOBS}
blocks:
  list:
    outputs: [items]
    run: |
      { echo 'items<<EOF'; seq 0 ${n - 1}; echo EOF; } >> "$PIPELINE_OUTPUT"
  each:
    depends_on: [list]
    foreach: \${{ blocks.list.outputs.items }}
    shell: sh
    run: "true"
`;
}

function makefile(n: number): string {
  const ids = Array.from({ length: n }, (_, i) => `t${i}`);
  return `.PHONY: all ${ids.join(' ')}\nall: ${ids.join(' ')}\n${ids.map((id) => `${id}:\n\t@true`).join('\n')}\n`;
}

function main(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: scripts/node24.sh npm run build`);
  const loadBefore = loadavg()[0] ?? 0;
  const rows: string[][] = [];
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'ps-bench-fanout-'));
    try {
      writeFileSync(join(dir, 'fan.pipeline.yaml'), fanOutPipeline(n));
      writeFileSync(join(dir, 'targets.mk'), makefile(n));
      const make = timed('/usr/bin/make', ['-f', 'targets.mk', `-j${JOBS}`, '-s', 'all'], dir);
      const bare = timed(process.execPath, ['-e', BARE_LOOP, String(n), String(JOBS)], dir);
      const store = join(dir, 'runs.sqlite');
      const fan = timed(process.execPath, [CLI, 'run', 'fan.pipeline.yaml', '--store', store], dir);
      const check = openStore(store, { readonly: true });
      const runId = check.latestRunId() ?? 0;
      const counts = check.itemCounts(runId, 'each');
      check.close();
      if (counts.completed !== n) throw new Error(`the fan-out recorded ${JSON.stringify(counts)}, not ${n} completed items`);
      const row = (tool: string, ms: number): string[] => [String(n), String(JOBS), tool, `${(ms / 1000).toFixed(1)} s`, (ms / n).toFixed(2), `${(ms / make).toFixed(1)}x`, `${(ms / bare).toFixed(1)}x`];
      rows.push(row('GNU make (independent targets)', make), row('bare Node spawn loop', bare), row('pipeline-studio run, foreach (store on)', fan));
      console.error(`${n} items: make ${Math.round(make)} ms, bare ${Math.round(bare)} ms, fan-out ${Math.round(fan)} ms (${(fan / make).toFixed(1)}x make; target <= 1.5x: ${fan <= 1.5 * make ? 'met' : 'MISSED'})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`node ${process.version}; ${spawnSync('make', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? 'make'}; items run "true" with shell: sh; one sample each; load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after`);
  const header = ['items', '-j', 'scheduler', 'wall', 'ms/item', 'x make', 'x bare Node'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

main();
