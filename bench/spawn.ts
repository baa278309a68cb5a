// bench/spawn: the 1,000-block no-op DAG at -j2 (issue 17's Benchmark), each scheduler a fresh process
// timed from outside, interleaved in one run: GNU make, a bare Node spawn loop, and `pipeline-studio run`
// (the bundle) with the native launch helper (native/launch.c, posix_spawn) and with the Node helper
// (PIPELINE_STUDIO_SPAWN=node), the store on in both. Also the run's own CPU time (engine + helpers).
// Run: scripts/node24.sh npm run build && scripts/node24.sh node bench/spawn.ts [--quick]
// Target (issue 17): pipeline-studio <= 2x make for this DAG.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateNoopDag } from './generate.ts';
import { writeNoopPeers } from './peers.ts';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.cjs');
const NATIVE = join(ROOT, 'dist', 'native', 'ps-launch');
const quick = process.argv.includes('--quick');
const SIZE = quick ? 200 : 1000;
const REPEATS = 3;
const JOBS = 2;

/** Wall time of a fresh process, and the CPU time of it and everything it waited for (getrusage children, through /usr/bin/time's format). */
function timed(command: string, args: string[], env: Record<string, string> = {}): { wallMs: number; cpuMs: number } {
  const started = performance.now();
  const r = spawnSync('/usr/bin/env', ['time', '-f', '%U %S', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  const wallMs = performance.now() - started;
  const stderr = r.stderr.toString();
  if (r.status !== 0) throw new Error(`${command} ${args.slice(0, 2).join(' ')} failed (${String(r.status)}): ${stderr.slice(0, 2000)}`);
  const [user, system] = (stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { wallMs, cpuMs: ((user ?? NaN) + (system ?? NaN)) * 1000 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first`);
if (spawnSync('/usr/bin/env', ['time', '-f', '%U', 'true']).status !== 0) throw new Error('GNU time (/usr/bin/time) is needed for the CPU figures');
const dir = mkdtempSync(join(tmpdir(), 'ps-bench-spawn-'));
try {
  const peers = writeNoopPeers(dir, generateNoopDag(SIZE), 'noop');
  const file = peers.pipeline;
  const tools: { name: string; run: (r: number) => { wallMs: number; cpuMs: number } }[] = [
    { name: `GNU make -j${JOBS}`, run: () => timed('/usr/bin/make', peers.makeArgs(JOBS)) },
    { name: 'bare Node spawn loop', run: () => timed(process.execPath, peers.bareLoopArgs(JOBS)) },
    ...(existsSync(NATIVE) ? [{ name: 'pipeline-studio run, native helper', run: (r: number) => timed(process.execPath, [CLI, 'run', file, '--store', join(dir, `native-${r}.sqlite`), '--concurrency', String(JOBS)], { PIPELINE_STUDIO_SPAWN: '' }) }] : []),
    { name: 'pipeline-studio run, Node helper', run: (r: number) => timed(process.execPath, [CLI, 'run', file, '--store', join(dir, `node-${r}.sqlite`), '--concurrency', String(JOBS)], { PIPELINE_STUDIO_SPAWN: 'node' }) },
  ];
  if (!existsSync(NATIVE)) console.log(`(no ${NATIVE}: the native helper was not built here; only the Node helper is measured)`);
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  // A warm-up of each (page cache, the bundle's compile cache) in --quick runs, then the repeats interleaved so that load hits all alike.
  if (quick) for (const t of tools) t.run(-1);
  const results = tools.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let r = 0; r < REPEATS; r++) {
    tools.forEach((t, i) => {
      const m = t.run(r);
      results[i]?.wall.push(m.wallMs);
      results[i]?.cpu.push(m.cpuMs);
    });
  }
  const make = median(results[0]?.wall ?? []);
  console.log(`${SIZE} no-op blocks, -j${JOBS}, median of ${REPEATS} (each a fresh process; CPU = its user+system time and its children's):`);
  console.log(`| scheduler | wall | × make | CPU | runs (wall, s) |`);
  console.log(`| --- | --- | --- | --- | --- |`);
  tools.forEach((t, i) => {
    const wall = median(results[i]?.wall ?? []);
    const cpu = median(results[i]?.cpu ?? []);
    console.log(`| ${t.name} | ${(wall / 1000).toFixed(2)} s | ${(wall / make).toFixed(2)}× | ${(cpu / 1000).toFixed(2)} s | ${(results[i]?.wall ?? []).map((w) => (w / 1000).toFixed(1)).join(', ')} |`);
  });
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
