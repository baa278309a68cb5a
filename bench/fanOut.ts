// bench/fanOut: a fan-out of N items of `true` (issue 17) beside GNU make -j2 over N independent
// targets and a bare Node spawn loop over N commands, in one run, interleaved (make, bare, fan-out,
// make, …), each a fresh process timed from outside (start-up included), -j2 everywhere. The fan-out
// is `pipeline-studio run` (the bundle, dist/cli.cjs) with the native launch helper (dist/native/
// ps-launch, posix_spawn) and the store on: every item is recorded, and checked after each round.
// Run:   scripts/node24.sh npm run build && scripts/node24.sh node bench/fanOut.ts
// Quick: BENCH_QUICK=1 scripts/node24.sh node bench/fanOut.ts   (2,000 items; a few minutes on a quiet machine)
// Options: --size N (items), --rounds R (default 3), BENCH_NODE_HELPER=1 adds the fan-out with the Node helper.
// make and the bare Node loop are bench/peers.ts's (as in bench/runner.ts and bench/spawn.ts), over N blocks without edges.
// Target (issue 17): fan-out wall <= 1.5x make.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../core/src/store/index.ts';
import { independentNoopDag } from './generate.ts';
import { writeNoopPeers, type NoopPeerFiles } from './peers.ts';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.cjs');
const NATIVE = join(ROOT, 'dist', 'native', 'ps-launch');
const quick = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');
const arg = (name: string): number | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : undefined;
};
const SIZE = arg('--size') ?? (quick ? 2000 : 10_000);
const ROUNDS = arg('--rounds') ?? 3;
const JOBS = 2;

/** CPU time the whole machine spent busy so far (/proc/stat, every process; Linux), in ms; NaN elsewhere. */
function machineBusyMs(): number {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return (total - (fields[3] ?? 0) - (fields[4] ?? 0)) * 10;
  } catch {
    return NaN;
  }
}

interface Timing {
  wallMs: number;
  /** The process and the children it waited for (getrusage, through /usr/bin/time). */
  cpuMs: number;
  /** The machine's busy CPU over the run: also what no one waited for (the launch helper and its blocks), and other load. */
  machineMs: number;
}

/** Wall time of a fresh process, its CPU time, and the machine's. */
function timed(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Timing {
  const busy = machineBusyMs();
  const started = performance.now();
  const r = spawnSync('/usr/bin/env', ['time', '-f', '%U %S', command, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  const wallMs = performance.now() - started;
  const stderr = r.stderr.toString();
  if (r.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(' ')} exited ${String(r.status)}: ${stderr.slice(-1000)}`);
  const [user, system] = (stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { wallMs, cpuMs: ((user ?? NaN) + (system ?? NaN)) * 1000, machineMs: machineBusyMs() - busy };
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
    max_parallel: ${JOBS}
    shell: sh
    run: "true"
`;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};

interface Tool {
  name: string;
  run: (dir: string, round: number) => Timing;
}

function fanOut(env: Record<string, string>): Tool['run'] {
  return (dir, round) => {
    const store = join(dir, `runs-${round}-${env.PIPELINE_STUDIO_SPAWN ?? 'native'}.sqlite`);
    const t = timed(process.execPath, [CLI, 'run', 'fan.pipeline.yaml', '--store', store], dir, env);
    const check = openStore(store, { readonly: true });
    try {
      const counts = check.itemCounts(check.latestRunId() ?? 0, 'each');
      if (counts.completed !== SIZE) throw new Error(`the fan-out recorded ${JSON.stringify(counts)}, not ${SIZE} completed items`);
    } finally {
      check.close();
    }
    rmSync(store, { force: true });
    return t;
  };
}

function main(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: scripts/node24.sh npm run build`);
  if (!existsSync(NATIVE)) throw new Error(`${NATIVE} is missing: 'npm run build' compiles native/launch.c with cc; without it blocks start through the Node helper`);
  // The peers of bench/runner.ts and bench/spawn.ts (bench/peers.ts) over N blocks without edges.
  let peers: NoopPeerFiles | undefined;
  const peer = (): NoopPeerFiles => {
    if (peers === undefined) throw new Error('peers not written');
    return peers;
  };
  const tools: Tool[] = [
    { name: 'GNU make (independent targets)', run: (dir) => timed('/usr/bin/make', peer().makeArgs(JOBS), dir) },
    { name: 'bare Node spawn loop', run: (dir) => timed(process.execPath, peer().bareLoopArgs(JOBS), dir) },
    { name: 'pipeline-studio run, foreach (native helper, store on)', run: fanOut({ PIPELINE_STUDIO_SPAWN: '' }) },
    ...(process.env.BENCH_NODE_HELPER === '1' ? [{ name: 'pipeline-studio run, foreach (Node helper, store on)', run: fanOut({ PIPELINE_STUDIO_SPAWN: 'node' }) }] : []),
  ];
  const loads = [loadavg()[0] ?? 0];
  const samples = tools.map(() => ({ wall: [] as number[], cpu: [] as number[], machine: [] as number[] }));
  const dir = mkdtempSync(join(tmpdir(), 'ps-bench-fanout-'));
  try {
    writeFileSync(join(dir, 'fan.pipeline.yaml'), fanOutPipeline(SIZE));
    peers = writeNoopPeers(dir, independentNoopDag(SIZE), 'targets');
    for (let round = 0; round < ROUNDS; round++) {
      tools.forEach((tool, i) => {
        const t = tool.run(dir, round);
        samples[i]?.wall.push(t.wallMs);
        samples[i]?.cpu.push(t.cpuMs);
        samples[i]?.machine.push(t.machineMs);
        console.error(`round ${round + 1}/${ROUNDS} ${tool.name}: ${(t.wallMs / 1000).toFixed(1)} s wall, ${(t.cpuMs / 1000).toFixed(1)} s CPU, machine ${(t.machineMs / 1000).toFixed(1)} s busy`);
      });
      loads.push(loadavg()[0] ?? 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const make = { wall: median(samples[0]?.wall ?? []) };
  const bare = median(samples[1]?.wall ?? []);
  const rows = tools.map((tool, i) => {
    const wall = median(samples[i]?.wall ?? []);
    const cpu = median(samples[i]?.cpu ?? []);
    const machine = median(samples[i]?.machine ?? []);
    return [String(SIZE), String(JOBS), tool.name, `${(wall / 1000).toFixed(1)} s`, (wall / SIZE).toFixed(2), `${(wall / make.wall).toFixed(2)}x`, `${(wall / bare).toFixed(2)}x`, `${(cpu / 1000).toFixed(1)} s`, `${(machine / 1000).toFixed(1)} s`];
  });
  const fan = median(samples[2]?.wall ?? []);
  console.log(`node ${process.version}; ${spawnSync('make', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? 'make'}; items run "true" with shell: sh; medians of ${ROUNDS} interleaved rounds; load average ${loads.map((l) => l.toFixed(1)).join(' → ')}`);
  console.log(`fan-out ${(fan / make.wall).toFixed(2)}x make wall (target <= 1.5x: ${fan <= 1.5 * make.wall ? 'met' : 'MISSED'})`);
  console.log('CPU: the process and the children it waited for (the fan-out\'s launch helper outlives the engine by a moment, so this leaves out its blocks); machine: every CPU\'s busy time over the run (/proc/stat: the helper and blocks included, and on a loaded machine everyone else\'s too), the figure to compare across rows on a quiet machine');
  const header = ['items', '-j', 'scheduler', 'wall (median)', 'ms/item', 'x make', 'x bare Node', 'CPU (median)', 'machine busy (median)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

main();
