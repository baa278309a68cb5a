// bench/details: the overhead of recording run details (issue 16, target: the runner benchmark's
// 1,000-block pipeline <= 5% slower with artifact and resource recording), measured side by side.
// 1. The CLI as users run it (core/src/cli/main.ts, one fresh process per run) on the runner
//    benchmark's 1,000-block no-op DAG (bench/generate.ts: blocks declare no files), with and without
//    recording (PIPELINE_STUDIO_DETAILS=off), interleaved; and the same DAG where each block writes
//    and declares one output file and reads its first upstream's (one input, one output: hashed,
//    lineage looked up). Whole-process wall and CPU (the process and its launch helpers), the CPU of
//    the engine's main thread alone (where recording runs; the helpers' CPU, most of the total, is
//    not touched by recording and is the noisiest part), and the engine's own time (the run's
//    recorded start to end). On the no-file DAG a third arm runs without recording again: the
//    difference between the two unrecorded arms is the noise floor of this run (A/B/A').
// 2. The same two DAGs in this process (engine CPU, recording on vs off: the recorder without
//    artifacts and resources), and the recorder's own CPU on the engine's thread measured directly
//    (its event handling plus the sampler's sweeps).
// 3. The sampling cost with 50 blocks running at once: the sampler's own CPU over the wall time.
// Run: BENCH_QUICK=1 scripts/node24.sh node bench/details.ts   (quick: <= 5 min on a quiet machine)
// Targets: recording <= 5% slower; sampling < 2% of one core for 50 blocks.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DETAILS_ENV, DetailsRecorder } from '../core/src/details/recorder.ts';
import { startRun } from '../core/src/runner/engine.ts';
import type { RunEvent } from '../core/src/runner/events.ts';
import { openStore } from '../core/src/store/index.ts';
import { generateNoopDag, noopPipelineYaml, type NoopDag } from './generate.ts';

const quick = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');
const SIZE = Number(process.env.BENCH_DETAILS_BLOCKS ?? 1000);
const REPEATS = quick ? 3 : 5;
const IN_PROCESS_SIZE = quick ? 300 : 1000;
const CLI_MAIN = join(import.meta.dirname, '..', 'core', 'src', 'cli', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'ps-bench-details-'));
const rows: string[][] = [];
const verdicts: string[] = [];

/** Preloaded into the CLI: its CPU time and that of its children still alive at exit (the launch helper). */
const CPU_PRELOAD = `const fs = require('node:fs');
process.on('exit', () => {
  const u = process.cpuUsage();
  let helpers = 0;
  try {
    for (const pid of fs.readFileSync('/proc/self/task/' + process.pid + '/children', 'utf8').split(' ').filter(Boolean)) {
      const f = fs.readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' ');
      helpers += (Number(f[11]) + Number(f[12])) * 10;
    }
  } catch {}
  const t = process.threadCpuUsage();
  fs.writeFileSync(process.env.BENCH_CPU_FILE, JSON.stringify({ all: (u.user + u.system) / 1000 + helpers, thread: (t.user + t.system) / 1000 }));
});`;

function filePipelineYaml(dag: NoopDag): string {
  const lines = ['name: file-dag', 'defaults:', '  shell: sh', 'blocks:'];
  dag.ids.forEach((id, i) => {
    const first = dag.deps[i]?.[0];
    const deps = dag.deps[i] ?? [];
    lines.push(`  ${id}:`, `    run: "echo ${id} > out/${id}.txt"`, '    cache:', `      inputs: [${first === undefined ? '' : `out/${dag.ids[first] ?? ''}.txt`}]`, `      outputs: [out/${id}.txt]`);
    if (deps.length > 0) lines.push(`    depends_on: [${deps.map((d) => dag.ids[d]).join(', ')}]`);
  });
  return `${lines.join('\n')}\n`;
}

interface Timed { wallMs: number; cpuMs: number; threadMs?: number; engineMs: number }

let cliRun = 0;
/** One CLI process running the file; the store is fresh each time, so nothing is a cache hit or skipped as unchanged. */
function cliTimed(file: string, record: boolean): Timed {
  const store = join(dir, `cli-${cliRun++}.sqlite`);
  const cpuFile = join(dir, 'cpu.txt');
  rmSync(cpuFile, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_CPU_FILE: cpuFile };
  if (record) delete env[DETAILS_ENV];
  else env[DETAILS_ENV] = 'off';
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--require', join(dir, 'cpu.cjs'), CLI_MAIN, 'run', file, '--store', store, '--concurrency', '4', '--no-cache'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`pipeline-studio run failed (${String(r.status)}): ${r.stderr.toString().slice(0, 2000)}`);
  const runs = openStore(store, { readonly: true });
  try {
    const run = runs.getRun(1);
    if (run?.startedAt === undefined || run.finishedAt === undefined) throw new Error('run 1 has no start or end');
    const cpu = JSON.parse(readFileSync(cpuFile, 'utf8')) as { all: number; thread: number };
    return { wallMs, cpuMs: cpu.all, threadMs: cpu.thread, engineMs: run.finishedAt - run.startedAt };
  } finally {
    runs.close();
  }
}

/** The run in this process: the engine's CPU (process-wide, so the recorder's work counts wherever it runs). */
async function inProcessTimed(file: string, record: boolean): Promise<Timed & { samplerMs: number; observeMs: number; hashCalls: number }> {
  const store = openStore(join(dir, `${record ? 'with' : 'without'}-${cliRun++}.sqlite`));
  const cpu = process.cpuUsage();
  const thread = process.threadCpuUsage();
  const started = performance.now();
  // Without: the recorder as PIPELINE_STUDIO_DETAILS=off leaves it (definition, host, ready times), as in the CLI arms.
  const recorder = new DetailsRecorder({ store, file, git: false, ...(record ? {} : { artifacts: false, resources: false }) });
  let observeMs = 0;
  const observe = (event: RunEvent): void => {
    const before = process.threadCpuUsage();
    recorder.observe(event);
    const used = process.threadCpuUsage(before);
    observeMs += (used.user + used.system) / 1000;
  };
  const handle = await startRun({ file, store, concurrency: 4, git: false, noCache: true, onEvent: observe });
  const result = await handle.done;
  const engineMs = performance.now() - started;
  await recorder.settled();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const usedThread = process.threadCpuUsage(thread);
  store.close();
  if (result.status !== 'completed') throw new Error(`run ${result.status}`);
  if (recorder.error !== undefined) throw new Error(recorder.error);
  return {
    wallMs, engineMs, cpuMs: (used.user + used.system) / 1000, threadMs: (usedThread.user + usedThread.system) / 1000,
    samplerMs: recorder.sampler?.costMs ?? 0, observeMs, hashCalls: recorder.hasher.hashCalls,
  };
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const pct = (a: number, b: number): string => `${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(1)}%`;

function addRows(label: string, size: number, without: Timed[], withDetails: Timed[], judged = true): void {
  for (const key of ['wallMs', 'cpuMs', 'threadMs', 'engineMs'] as const) {
    if (without.some((x) => x[key] === undefined)) continue;
    const of = (list: Timed[]): number[] => list.map((x) => x[key] ?? 0);
    const a = median(of(without));
    const b = median(of(withDetails));
    const what = { wallMs: 'wall (whole)', cpuMs: 'CPU (process + launch helpers)', threadMs: 'CPU, engine main thread', engineMs: 'engine time' }[key];
    rows.push([label, what, `${a.toFixed(0)} ms`, `${b.toFixed(0)} ms`, pct(a, b), `${((b - a) / size).toFixed(3)} ms`, `[${of(without).map((x) => x.toFixed(0)).join(', ')}] / [${of(withDetails).map((x) => x.toFixed(0)).join(', ')}]`]);
    if (judged && key !== 'engineMs') verdicts.push(`${label}, ${what}: ${pct(a, b)} (target <= 5%: ${b <= a * 1.05 ? 'met' : 'MISSED'})`);
  }
}

function prepare(name: string, yaml: string): string {
  const file = join(dir, `${name}.pipeline.yaml`);
  writeFileSync(file, yaml);
  rmSync(join(dir, 'out'), { recursive: true, force: true });
  mkdirSync(join(dir, 'out'), { recursive: true });
  return file;
}

/** `noiseArm`: a third arm without recording, compared with the first (an A/A difference: the run's noise floor). */
function cliOverhead(label: string, file: string, noiseArm = false): void {
  cliTimed(file, false); // warm-up (page cache, compile cache)
  const without: Timed[] = [];
  const withDetails: Timed[] = [];
  const again: Timed[] = [];
  for (let r = 0; r < REPEATS; r++) {
    // Interleaved, so that load elsewhere on the machine hits both alike.
    without.push(cliTimed(file, false));
    withDetails.push(cliTimed(file, true));
    if (noiseArm) again.push(cliTimed(file, false));
  }
  addRows(label, SIZE, without, withDetails);
  if (noiseArm) addRows(`${label}: noise floor (off vs off again)`, SIZE, without, again, false);
}

async function inProcessOverhead(label: string, file: string): Promise<void> {
  await inProcessTimed(file, false);
  const without: Awaited<ReturnType<typeof inProcessTimed>>[] = [];
  const withDetails: Awaited<ReturnType<typeof inProcessTimed>>[] = [];
  for (let r = 0; r < REPEATS; r++) {
    without.push(await inProcessTimed(file, false));
    withDetails.push(await inProcessTimed(file, true));
  }
  addRows(label, IN_PROCESS_SIZE, without, withDetails, false);
  const own = median(withDetails.map((x) => x.observeMs + x.samplerMs)) - median(without.map((x) => x.observeMs));
  const engine = median(without.map((x) => x.threadMs ?? 0));
  verdicts.push(`${label}: what recording adds to the recorder's own CPU on the engine thread: ${own.toFixed(1)} ms (events ${median(withDetails.map((x) => x.observeMs)).toFixed(1)} ms, sampler ${median(withDetails.map((x) => x.samplerMs)).toFixed(1)} ms; file sweeps and writes run in timers, not counted here) = ${((own / engine) * 100).toFixed(1)}% of the unrecorded engine thread's ${engine.toFixed(0)} ms; files hashed ${median(withDetails.map((x) => x.hashCalls))}`);
}

async function samplingCost(): Promise<void> {
  const blocks = Array.from({ length: 50 }, (_, i) => `  b${i}:\n    run: sleep 4`).join('\n');
  const file = join(dir, 'sleepers.pipeline.yaml');
  writeFileSync(file, `concurrency: 50\nblocks:\n${blocks}\n`);
  const store = openStore(join(dir, 'sleepers.sqlite'));
  const recorder = new DetailsRecorder({ store, file, git: false, artifacts: false });
  const started = performance.now();
  const handle = await startRun({ file, store, git: false, onEvent: recorder.observe });
  await handle.done;
  await recorder.settled();
  const wall = performance.now() - started;
  store.close();
  const sampler = recorder.sampler;
  if (sampler === undefined) return;
  const share = (sampler.costMs / wall) * 100;
  verdicts.push(`sampling 50 running blocks for ${(wall / 1000).toFixed(1)} s: ${sampler.sweeps} sweeps, sampler CPU ${sampler.costMs.toFixed(0)} ms = ${share.toFixed(2)}% of one core (target < 2%: ${share < 2 ? 'met' : 'MISSED'}); ${(sampler.costMs / Math.max(1, sampler.sweeps)).toFixed(1)} ms per sweep of 50 trees`);
}

try {
  const loadBefore = loadavg()[0] ?? 0;
  writeFileSync(join(dir, 'cpu.cjs'), CPU_PRELOAD);
  const dag = generateNoopDag(SIZE);
  cliOverhead('CLI, runner bench DAG (no files)', prepare('noop', noopPipelineYaml(dag)), true);
  cliOverhead('CLI, 1 input + 1 output per block', prepare('files', filePipelineYaml(dag)));
  const small = generateNoopDag(IN_PROCESS_SIZE);
  await inProcessOverhead(`in-process ${IN_PROCESS_SIZE} blocks, runner bench DAG (no files)`, prepare('noop-in', noopPipelineYaml(small)));
  await inProcessOverhead(`in-process ${IN_PROCESS_SIZE} blocks, 1 input + 1 output`, prepare('files-in', filePipelineYaml(small)));
  await samplingCost();
  console.log(`node ${process.version}; ${SIZE} blocks (in-process: ${IN_PROCESS_SIZE}), concurrency 4, --no-cache, median of ${REPEATS} interleaved; load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after\n`);
  console.log('| case | measure | without recording | with recording | change | per block | runs (without / with) |');
  console.log('|---|---|---:|---:|---:|---:|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log('');
  for (const v of verdicts) console.log(`- ${v}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
