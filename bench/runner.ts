// bench/runner: scheduling overhead of the runner on layered DAGs of no-op blocks, against GNU make
// and a bare Node spawn loop over the same DAG; the same run through the service process from a
// client holding 1 GiB; and log ingestion of one block printing 200 MB.
// Run: scripts/node24.sh npm run bench:runner [-- --quick | --ingest-only]   (needs dist/cli.cjs: npm run build)
// Targets (issue 4), at 1,000 blocks: per-block time <= 1.25x the bare Node loop, wall <= 3.5x make;
// through the service from a 1 GiB client within 10% of a lean client; ingestion >= 100 MB/s, peak RSS < 150 MB.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../core/src/store/index.ts';
import { generateNoopDag } from './generate.ts';
import { BARE_LOOP, writeNoopPeers } from './peers.ts';

// Every scheduler runs as its own fresh process, timed from outside, start-up included: the CLI as
// users run it (the bundle), make, and a bare Node loop that imports nothing (so it is as lean as Node gets).
const CLI = join(import.meta.dirname, '..', 'dist', 'cli.cjs');
const MiB = 1024 * 1024;
const INGEST_BYTES = 200 * 1000 * 1000;

/**
 * Preloaded into the Node schedulers: their own CPU time, plus that of the children still alive at
 * exit (the runner's launch helper; block processes are reaped by then), which load elsewhere on
 * the machine barely moves.
 */
const CPU_PRELOAD = `const fs = require('node:fs');
process.on('exit', () => {
  const u = process.cpuUsage();
  let helpers = 0;
  try {
    for (const pid of fs.readFileSync('/proc/self/task/' + process.pid + '/children', 'utf8').split(' ').filter(Boolean)) helpers += childCpuMs(pid);
  } catch {}
  fs.writeFileSync(process.env.BENCH_CPU_FILE, String((u.user + u.system) / 1000 + helpers));
});
function childCpuMs(pid) {
  const fields = fs.readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}`;

const argv = process.argv.slice(2);
if (argv[0] === '--service') {
  process.stdout.write(JSON.stringify(await serviceRun(argv[1] ?? '', Number(argv[2]), Number(argv[3]))));
} else if (argv.includes('--ingest-only')) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-runner-'));
  try {
    console.log(ingestionVerdict(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  main(argv.includes('--quick'));
}

/** One block printing 200 MB through the service: throughput and the service's peak RSS. */
function ingestionVerdict(dir: string): string {
  const ingestFile = join(dir, 'ingest.pipeline.yaml');
  writeFileSync(ingestFile, `name: ingest\nblocks:\n  spam:\n    shell: sh\n    run: |\n      yes '2024-01-01T00:00:00Z INFO processed record 123456 of 999999: ok, 42 fields, checksum 0xdeadbeef' | head -c ${INGEST_BYTES}\n`);
  const ingest = serviceChild(ingestFile, 1, 0);
  const mbPerSec = INGEST_BYTES / 1e6 / (ingest.wallMs / 1000);
  return `log ingestion, one block printing 200 MB through the service: ${mbPerSec.toFixed(0)} MB/s, engine (service) peak RSS ${ingest.servicePeakMiB.toFixed(0)} MiB (target >= 100 MB/s, < 150 MB: ${mbPerSec >= 100 && ingest.servicePeakMiB * MiB < 150e6 ? 'met' : 'MISSED'}); ${ingest.note}`;
}

function main(quick: boolean): void {
  if (!existsSync(CLI)) {
    console.error(`bench/runner: ${CLI} is missing; run 'npm run build' first.`);
    process.exit(2);
  }
  const sizes = quick ? [200, 1000] : [200, 1000, 3000];
  const repeats = quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'bench-runner-'));
  const rows: string[][] = [];
  const verdicts: string[] = [];
  const loadBefore = loadavg()[0] ?? 0;
  const preload = join(dir, 'cpu.cjs');
  writeFileSync(preload, CPU_PRELOAD);
  const cpuFile = join(dir, 'cpu.txt');
  /** Wall and own CPU time of a Node scheduler process, and what it printed. */
  const timedNode = (args: string[], env: Record<string, string> = {}): { wall: number; cpu: number; out: string } => {
    rmSync(cpuFile, { force: true });
    const { ms, out } = timedWithOutput(process.execPath, ['--require', preload, ...args], { BENCH_CPU_FILE: cpuFile, ...env });
    return { wall: ms, cpu: Number(readFileSync(cpuFile, 'utf8')), out };
  };
  /** The engine's own time: the run's recorded start to its recorded end, start-up and summary excluded. */
  const engineMs = (store: string): number => {
    const runs = openStore(store, { readonly: true });
    try {
      const run = runs.getRun(1);
      if (run?.startedAt === undefined || run.finishedAt === undefined) throw new Error(`run 1 in ${store} has no start or end`);
      return run.finishedAt - run.startedAt;
    } finally {
      runs.close();
    }
  };
  try {
    for (const size of sizes) {
      const peers = writeNoopPeers(dir, generateNoopDag(size), `noop-${size}`);
      const file = peers.pipeline;
      for (const concurrency of [2, 4]) {
        const times = {
          make: [] as number[], bare: [] as number[], cli: [] as number[], bareCpu: [] as number[], cliCpu: [] as number[], direct: [] as number[], directCpu: [] as number[],
          bareLoop: [] as number[], cliEngine: [] as number[], directEngine: [] as number[],
        };
        // Interleaved, so that a burst of load elsewhere on the machine hits all three alike.
        for (let r = 0; r < (size >= 3000 ? 1 : repeats); r++) {
          times.make.push(timed('/usr/bin/make', peers.makeArgs(concurrency)));
          const bare = timedNode(peers.bareLoopArgs(concurrency));
          times.bare.push(bare.wall);
          times.bareCpu.push(bare.cpu);
          times.bareLoop.push(Number(bare.out));
          const store = join(dir, `runs-${size}-${concurrency}-${r}.sqlite`);
          const cli = timedNode([CLI, 'run', file, '--store', store, '--concurrency', String(concurrency)]);
          times.cli.push(cli.wall);
          times.cliCpu.push(cli.cpu);
          times.cliEngine.push(engineMs(store));
          const directStore = join(dir, `direct-${size}-${concurrency}-${r}.sqlite`);
          const direct = timedNode([CLI, 'run', file, '--store', directStore, '--concurrency', String(concurrency)], { PIPELINE_STUDIO_SPAWN: 'direct' });
          times.direct.push(direct.wall);
          times.directCpu.push(direct.cpu);
          times.directEngine.push(engineMs(directStore));
        }
        const [make, bare, cli, bareCpu, cliCpu] = [median(times.make), median(times.bare), median(times.cli), median(times.bareCpu), median(times.cliCpu)];
        const [bareLoop, cliEngine] = [median(times.bareLoop), median(times.cliEngine)];
        const row = (tool: string, ms: number, cpu: number | undefined, engine: number | undefined): string[] => [
          String(size), String(concurrency), tool, fmt(ms), (ms / size).toFixed(3), ratio(ms, bare), ratio(ms, make),
          cpu === undefined ? '-' : (cpu / size).toFixed(3), cpu === undefined ? '' : ratio(cpu, bareCpu),
          engine === undefined ? '-' : fmt(engine), engine === undefined ? '' : ratio(engine, bareLoop),
        ];
        rows.push(
          row('GNU make', make, undefined, undefined), row('bare Node spawn loop', bare, bareCpu, bareLoop),
          row('pipeline-studio run, spawning itself (PIPELINE_STUDIO_SPAWN=direct)', median(times.direct), median(times.directCpu), median(times.directEngine)),
          row('pipeline-studio run (store on, launch helpers)', cli, cliCpu, cliEngine),
        );
        if (size === 1000) {
          verdicts.push(`1,000 blocks -j${concurrency}: per block ${ratio(cli, bare)} the bare Node loop in whole-process wall time, ${ratio(cliEngine, bareLoop)} in engine time (run start to end vs the loop's first spawn to last exit), ${ratio(cliCpu, bareCpu)} in scheduler CPU time (target <= 1.25x: ${cli <= 1.25 * bare ? 'met' : 'MISSED'} / ${cliEngine <= 1.25 * bareLoop ? 'met' : 'MISSED'} / ${cliCpu <= 1.25 * bareCpu ? 'met' : 'MISSED'}); wall ${ratio(cli, make)} make (target <= 3.5x: ${cli <= 3.5 * make ? 'met' : 'MISSED'})`);
        }
      }
    }

    // The same 1,000-block run through `serve --stdio`, from a lean client and from one holding 1 GiB.
    const file1000 = join(dir, 'noop-1000.pipeline.yaml');
    for (const concurrency of [2, 4]) {
      const lean: Measured[] = [];
      const big: Measured[] = [];
      for (let r = 0; r < repeats; r++) {
        lean.push(serviceChild(file1000, concurrency, 0));
        big.push(serviceChild(file1000, concurrency, 1024));
      }
      const [a, b] = [medianOf(lean), medianOf(big)];
      rows.push(['1000', String(concurrency), `serve --stdio, lean client (${a.note})`, fmt(a.wallMs), (a.wallMs / 1000).toFixed(3), '', '']);
      rows.push(['1000', String(concurrency), `serve --stdio, client holding 1 GiB (${b.note})`, fmt(b.wallMs), (b.wallMs / 1000).toFixed(3), '', '']);
      const change = b.wallMs / a.wallMs - 1;
      verdicts.push(`1,000 blocks -j${concurrency} through the service: 1 GiB client ${fmt(b.wallMs)} vs lean client ${fmt(a.wallMs)}, ${(100 * change).toFixed(1)}% (target within 10%: ${Math.abs(change) <= 0.1 ? 'met' : 'MISSED'})`);
    }
    // The control: what the service spares the big client. Spawning from the 1 GiB process itself.
    const controlSize = quick ? 50 : 200;
    const control = join(dir, `control-${controlSize}.json`);
    writeFileSync(control, JSON.stringify(generateNoopDag(controlSize)));
    const ballasted = `const b = Buffer.allocUnsafe(1024 * 1024 * 1024); b.fill(0x5a); globalThis.keep = b;\n${BARE_LOOP}`;
    const controlMs = timed(process.execPath, ['-e', ballasted, control, '2']);
    rows.push([String(controlSize), '2', 'bare Node loop spawning from a 1 GiB process itself', fmt(controlMs), (controlMs / controlSize).toFixed(3), '', '']);

    verdicts.push(ingestionVerdict(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`node ${process.version}, ${spawnSync('make', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? 'make'}; blocks run "true" with shell: sh; median of ${repeats} (3,000 blocks: 1); load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after`);
  const header = ['blocks', '-j', 'scheduler', 'wall', 'ms/block', 'x bare Node', 'x make', 'CPU ms/block', 'CPU x bare', 'engine', 'engine x bare'];
  // CPU: the scheduler process and its launch helpers (not the blocks, not make). Engine: the run's
  // recorded start to end (the bare loop: its first spawn to its last exit), process start-up excluded.
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  for (const v of verdicts) console.log(v);
}

/** Wall time of a whole process, start-up included; it must succeed. */
function timed(command: string, args: string[], env: Record<string, string> = {}): number {
  return timedWithOutput(command, args, env).ms;
}

function timedWithOutput(command: string, args: string[], env: Record<string, string> = {}): { ms: number; out: string } {
  const started = performance.now();
  const r = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * MiB, env: { ...process.env, ...env } });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${command} ${args.slice(0, 2).join(' ')} failed (${String(r.status)}): ${r.stderr.toString().slice(0, 2000)}`);
  return { ms, out: r.stdout.toString() };
}

interface Measured { wallMs: number; servicePeakMiB: number; note: string }

function serviceChild(file: string, concurrency: number, ballastMiB: number): Measured {
  const r = spawnSync(process.execPath, [import.meta.filename, '--service', file, String(concurrency), String(ballastMiB)], { encoding: 'utf8', maxBuffer: 16 * MiB });
  if (r.status !== 0) throw new Error(`service child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Measured;
}

/** A client (an extension host, here with `ballastMiB` of touched memory) drives a run through `serve --stdio`, timed from its request to the run-finished event. */
async function serviceRun(file: string, concurrency: number, ballastMiB: number): Promise<Measured> {
  const ballast = ballastMiB > 0 ? Buffer.allocUnsafe(ballastMiB * MiB).fill(0x5a) : undefined;
  const { RunnerClient } = await import('../core/src/runner/client.ts');
  const dir = mkdtempSync(join(tmpdir(), 'bench-service-'));
  const client = new RunnerClient(process.execPath, [CLI, 'serve', '--stdio']);
  try {
    const store = join(dir, 'runs.sqlite');
    let events = 0;
    let logBytes = 0;
    client.onRunEvent(() => void events++);
    client.onLogChunk((e) => void (logBytes += e.text.length));
    // The service starting up is a one-time cost, outside the measurement.
    await client.plan({ file: join(dir, 'missing.pipeline.yaml') }).catch(() => undefined);
    // The service and its launch helper: their CPU time, in clock ticks of 10 ms.
    const serviceCpu = (): number => {
      const pid = client.child.pid ?? 0;
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter((p) => p !== '');
      return [String(pid), ...children].reduce((sum, p) => {
        const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        return sum + (Number(fields[11]) + Number(fields[12])) * 10;
      }, 0);
    };
    const cpuBefore = serviceCpu();
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    const { runId } = await client.startRun({ file, concurrency, store });
    const finished = await client.waitForRun({ runId, store });
    const wallMs = performance.now() - started;
    const clientCpu = process.cpuUsage(clientBefore);
    const serviceCpuMs = serviceCpu() - cpuBefore;
    if (finished.status !== 'completed') throw new Error(`run ${finished.status}`);
    const servicePeakMiB = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${client.child.pid ?? 0}/status`, 'utf8'))?.[1] ?? Number.NaN) / 1024;
    const clientMiB = process.memoryUsage.rss() / MiB;
    return {
      wallMs, servicePeakMiB,
      note: `client RSS ${clientMiB.toFixed(0)} MiB and CPU ${((clientCpu.user + clientCpu.system) / 1000).toFixed(0)} ms; service peak RSS ${servicePeakMiB.toFixed(0)} MiB, service + helper CPU ${serviceCpuMs.toFixed(0)} ms; ${events} events${logBytes > 0 ? `, ${(logBytes / 1e6).toFixed(0)} MB live output received` : ''}${ballast === undefined ? '' : `; ${ballast.length / MiB} MiB ballast held`}`,
    };
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

function medianOf(values: Measured[]): Measured {
  const sorted = [...values].sort((a, b) => a.wallMs - b.wallMs);
  const m = sorted[sorted.length >> 1];
  if (m === undefined) throw new Error('no measurement');
  return m;
}

function fmt(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}
