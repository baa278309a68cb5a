// bench/details: the overhead of recording run details (issue 16), measured side by side in one process.
// 1. The runner benchmark's 1,000-block no-op DAG, with and without the details recorder (artifacts +
//    resources), interleaved; and the same DAG where each block writes and declares one output file
//    and reads its first upstream's (so artifacts are hashed and their lineage looked up).
// 2. The sampling cost with 50 blocks running at once: the sampler's own CPU time over the wall time.
// Run: scripts/node24.sh node bench/details.ts [--quick]
// Targets: recording <= 5% slower (wall); sampling < 2% of one core for 50 blocks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DetailsRecorder } from '../core/src/details/recorder.ts';
import { startRun } from '../core/src/runner/engine.ts';
import { openStore } from '../core/src/store/index.ts';
import { generateNoopDag, noopPipelineYaml, type NoopDag } from './generate.ts';

const quick = process.argv.includes('--quick');
const SIZE = quick ? 200 : 1000;
const REPEATS = quick ? 3 : 5;
const dir = mkdtempSync(join(tmpdir(), 'ps-bench-details-'));

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

async function timedRun(file: string, record: boolean, concurrency: number): Promise<{ wallMs: number; cpuMs: number; samplerMs: number; hashCalls: number }> {
  const store = openStore(join(dir, `${record ? 'with' : 'without'}.sqlite`));
  const cpu = process.cpuUsage();
  const started = performance.now();
  const recorder = record ? new DetailsRecorder({ store, file, git: false }) : undefined;
  const handle = await startRun({ file, store, concurrency, git: false, noCache: true, onEvent: recorder?.observe });
  const result = await handle.done;
  await recorder?.settled();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  store.close();
  if (result.status !== 'completed') throw new Error(`run ${result.status}`);
  if (recorder?.error !== undefined) throw new Error(recorder.error);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, samplerMs: recorder?.sampler?.costMs ?? 0, hashCalls: recorder?.hasher.hashCalls ?? 0 };
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function overhead(name: string, yaml: string): Promise<void> {
  const file = join(dir, `${name}.pipeline.yaml`);
  writeFileSync(file, yaml);
  rmSync(join(dir, 'out'), { recursive: true, force: true });
  await import('node:fs').then((fs) => fs.mkdirSync(join(dir, 'out'), { recursive: true }));
  const without: Awaited<ReturnType<typeof timedRun>>[] = [];
  const withDetails: Awaited<ReturnType<typeof timedRun>>[] = [];
  await timedRun(file, false, 4); // warm-up (page cache, launcher)
  for (let r = 0; r < REPEATS; r++) {
    // Interleaved, so that load elsewhere on the machine hits both alike.
    without.push(await timedRun(file, false, 4));
    withDetails.push(await timedRun(file, true, 4));
  }
  const a = median(without.map((x) => x.wallMs));
  const b = median(withDetails.map((x) => x.wallMs));
  const ca = median(without.map((x) => x.cpuMs));
  const cb = median(withDetails.map((x) => x.cpuMs));
  console.log(`${name} (${SIZE} blocks, concurrency 4, median of ${REPEATS}):`);
  console.log(`  wall: without ${a.toFixed(0)} ms, with details ${b.toFixed(0)} ms  → ${(((b - a) / a) * 100).toFixed(1)}% (target <= 5%)`);
  console.log(`  engine CPU: without ${ca.toFixed(0)} ms, with ${cb.toFixed(0)} ms → ${(((cb - ca) / ca) * 100).toFixed(1)}%; sampler ${median(withDetails.map((x) => x.samplerMs)).toFixed(0)} ms; files hashed ${median(withDetails.map((x) => x.hashCalls))}`);
  console.log(`  runs (wall ms): without [${without.map((x) => x.wallMs.toFixed(0)).join(', ')}], with [${withDetails.map((x) => x.wallMs.toFixed(0)).join(', ')}]`);
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
  console.log(`sampling 50 running blocks for ${(wall / 1000).toFixed(1)} s: ${sampler.sweeps} sweeps, sampler CPU ${sampler.costMs.toFixed(0)} ms = ${((sampler.costMs / wall) * 100).toFixed(2)}% of one core (target < 2%); ${(sampler.costMs / Math.max(1, sampler.sweeps)).toFixed(1)} ms per sweep of 50 trees`);
}

try {
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const dag = generateNoopDag(SIZE);
  await overhead('noop', noopPipelineYaml(dag));
  await overhead('files', filePipelineYaml(dag));
  await samplingCost();
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
