// SLURM executor benchmark, against the real one-node cluster (run ../shared/slurm/setup.sh as root first):
//
//   scripts/node24.sh node bench/slurm-executor.ts [blocks=6] [queued=200]
//
// 1. Per-block overhead: the same trivial jobs, each run once by the executor (submit, follow with
//    squeue, final state from scontrol, output followed and copied back) and once by a bare
//    `sbatch --wait` loop, interleaved (bare, executor, bare, executor, …) so that machine load hits
//    both alike. Reports the mean wall time per block of each and their ratio.
// 2. Poll cost with `queued` held jobs: the executor's one `squeue` per interval for all of them,
//    timed, beside the naive peer of one `squeue -j ID` per job.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slurmCommands, type CallCounts } from '../core/src/executors/slurm/commands.ts';
import { slurmExecutor } from '../core/src/executors/slurm/executor.ts';
import { SlurmQueue } from '../core/src/executors/slurm/queue.ts';

const blocks = Number(process.argv[2] ?? 6);
const queued = Number(process.argv[3] ?? 200);
const folder = mkdtempSync(join(tmpdir(), 'slurm-bench-'));
const counts: CallCounts = { sbatch: 0, squeue: 0, scontrol: 0, scancel: 0 };
const executor = slurmExecutor(undefined, { commands: slurmCommands(counts) });
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function executorBlock(i: number): Promise<number> {
  const output = join(folder, `exec-${i}.out`);
  writeFileSync(output, '');
  const t0 = performance.now();
  const outcome = await executor.start({
    shell: 'bash', script: `echo block ${i}`, cwd: folder, env: { PATH: process.env['PATH'] ?? '', PIPELINE_OUTPUT: output }, tag: `bench.${process.pid}.${i}`,
    timeoutMs: undefined, graceMs: 2000, block: `b${i}`, attempt: 1, runId: 1, onOutput: () => undefined, onStarted: () => undefined,
  }).done;
  if (!outcome.ok) throw new Error(`executor block ${i}: ${outcome.reason ?? ''}`);
  return performance.now() - t0;
}

function bareBlock(i: number): number {
  const t0 = performance.now();
  execFileSync('sbatch', ['--parsable', '--wait', `--output=${join(folder, `bare-${i}.out`)}`, `--chdir=${folder}`, '--wrap', `echo block ${i}`], { stdio: 'pipe' });
  return performance.now() - t0;
}

/** The floor: sbatch, then squeue every 100 ms until the job has ended (what no sane poller would do on a shared cluster). */
async function tightBlock(i: number): Promise<number> {
  const t0 = performance.now();
  const id = execFileSync('sbatch', ['--parsable', `--output=${join(folder, `tight-${i}.out`)}`, `--chdir=${folder}`, '--wrap', `echo block ${i}`], { encoding: 'utf8' }).trim();
  for (;;) {
    const state = execFileSync('squeue', ['-h', '-t', 'all', '-o', '%T', '-j', id], { encoding: 'utf8' }).trim();
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(state)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return performance.now() - t0;
}

const show = (label: string, xs: number[]): string => `${label} mean ${mean(xs).toFixed(0)} median ${median(xs).toFixed(0)} [${xs.map((x) => x.toFixed(0)).join(' ')}]`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

try {
  const bare: number[] = [];
  const tight: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < blocks; i++) {
    bare.push(bareBlock(i));
    tight.push(await tightBlock(i));
    ours.push(await executorBlock(i));
  }
  console.log(`per block over ${blocks} jobs each, interleaved, ms:`);
  console.log(show('  bare sbatch --wait loop          ', bare));
  console.log(show('  bare sbatch + squeue every 100 ms', tight));
  console.log(show('  executor                         ', ours));
  console.log(`ratio executor / sbatch --wait: ${(mean(ours) / mean(bare)).toFixed(2)}x (means), ${(median(ours) / median(bare)).toFixed(2)}x (medians); executor / 100 ms poll floor: ${(mean(ours) / mean(tight)).toFixed(2)}x`);
  console.log(`SLURM calls by the executor: ${JSON.stringify(counts)}`);

  // Held jobs stay PENDING (reason JobHeldUser) for as long as the measurement needs.
  const ids: string[] = [];
  for (let i = 0; i < queued; i++) {
    ids.push(execFileSync('sbatch', ['--parsable', '--hold', `--output=${join(folder, 'held.out')}`, '--job-name=bench-held', '--wrap', 'true'], { encoding: 'utf8' }).trim().split(';')[0] ?? '');
  }
  try {
    const pollCounts: CallCounts = { sbatch: 0, squeue: 0, scontrol: 0, scancel: 0 };
    const commands = slurmCommands(pollCounts);
    const queue = new SlurmQueue(commands, undefined, { baseMs: 2000 });
    let states = 0;
    for (const id of ids) queue.watch(id, { onState: () => void states++, onFinished: () => undefined });
    const windowMs = 10_000;
    await new Promise((r) => setTimeout(r, windowMs));
    queue.close();
    const t0 = performance.now();
    const batched = 5;
    for (let i = 0; i < batched; i++) await commands.squeue(ids);
    const perBatched = (performance.now() - t0) / batched;
    const t1 = performance.now();
    const sample = Math.min(40, ids.length);
    for (const id of ids.slice(0, sample)) await commands.squeue([id]);
    const perSingle = (performance.now() - t1) / sample;
    console.log(`${queued} queued jobs, ${windowMs / 1000} s of following: ${queue.polls} polls, ${pollCounts.squeue - batched - sample} squeue calls by the queue (one per poll), ${pollCounts.scontrol} scontrol, ${states} state reports`);
    console.log(`one squeue for all ${queued}: ${perBatched.toFixed(0)} ms; the per-job peer: ${perSingle.toFixed(0)} ms per call x ${queued} = ${(perSingle * queued).toFixed(0)} ms per interval`);
  } finally {
    execFileSync('scancel', ids);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
