// SLURM executor benchmark, against the real one-node cluster (run ../shared/slurm/setup.sh as root first):
//
//   scripts/node24.sh node bench/slurm-executor.ts [blocks=8] [queued=200]
//   BENCH_QUICK=1 scripts/node24.sh node bench/slurm-executor.ts      (4 blocks, 50 held jobs: about 1 min)
//
// 1. Per-block overhead: the same trivial job run by the executor (job files, sbatch, the job
//    folder watched for its output and `ended` marker, output copied back) and by two bare peers:
//    `sbatch` + `squeue` every 100 ms (the floor no sane poller would use on a shared cluster) and
//    `sbatch` + `squeue` at the executor's own first interval (DEFAULT_POLL.startMs). Interleaved
//    (floor, peer, executor, floor, …) and each started on an idle node: one job occupies the whole
//    node here (no --mem means all of it), so a job submitted while the previous one is still
//    COMPLETING waits for SLURM's next scheduling pass (~2.5 s), whichever program submitted it.
//    SLURM starts a batch job up to `batch_sched_delay` (3 s) after its submission, on its own
//    cadence: that wait is the cluster's and swamps the rest, so each job prints the wall clock at
//    its start and end, and each variant is also measured without it: its own part is the submit
//    (job files + sbatch), the job itself, and the time from the job's end to noticing it.
// 2. Poll cost with `queued` held jobs: the executor's one `squeue` per interval for all of them,
//    timed, beside the naive peer of one `squeue -j ID` per job.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { slurmCommands, type CallCounts } from '../core/src/executors/slurm/commands.ts';
import { slurmExecutor } from '../core/src/executors/slurm/executor.ts';
import { DEFAULT_POLL, SlurmQueue } from '../core/src/executors/slurm/queue.ts';

const quick = process.env['BENCH_QUICK'] === '1';
const blocks = Number(process.argv[2] ?? (quick ? 4 : 8));
const queued = Number(process.argv[3] ?? (quick ? 50 : 200));
const windowMs = quick ? 4000 : 10_000;
const folder = mkdtempSync(join(tmpdir(), 'slurm-bench-'));
const counts: CallCounts = { sbatch: 0, squeue: 0, scontrol: 0, scancel: 0 };
const executor = slurmExecutor(undefined, { commands: slurmCommands(counts) });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const tag = `${process.pid}`;

/** Not measured: waits until no job of the controller is pending, running or completing. */
async function idle(): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (execFileSync('squeue', ['-h', '-o', '%i'], { encoding: 'utf8' }).trim() === '') return;
    await sleep(100);
  }
  throw new Error('the cluster did not become idle within 30 s');
}

interface Timing { total: number; submit: number; start: number; /** total minus SLURM's wait between the submission and the job's start */ own: number; /** job's end → noticed */ notice: number }

/** What each job runs: the same for every variant. Prints its start and end wall clock in ms. */
const jobScript = (i: number): string => `s=$(date +%s%3N); echo block ${i}; echo "clock $s $(date +%s%3N)"`;

function timing(t0Wall: number, total: number, submit: number, start: number, text: string): Timing {
  const m = /clock (\d+) (\d+)/.exec(text);
  if (m === null) throw new Error(`no clock line in the job's output: ${text}`);
  const jobStart = Number(m[1]) - t0Wall;
  const jobEnd = Number(m[2]) - t0Wall;
  return { total, submit, start, own: total - (jobStart - submit), notice: total - jobEnd };
}

async function executorBlock(i: number): Promise<Timing> {
  const output = join(folder, `exec-${i}.out`);
  writeFileSync(output, '');
  const t0Wall = Date.now();
  const t0 = performance.now();
  let submit = 0;
  let start = 0;
  let text = '';
  const outcome = await executor.start({
    shell: 'bash', script: jobScript(i), cwd: folder, env: { PATH: process.env['PATH'] ?? '', PIPELINE_OUTPUT: output }, tag: `bench.${tag}.${i}`,
    timeoutMs: undefined, graceMs: 2000, block: `b${i}`, attempt: 1, runId: 1, onOutput: (_stream, chunk) => void (text += chunk),
    onStarted: () => void (start ||= performance.now() - t0), onJob: () => void (submit = performance.now() - t0),
  }).done;
  if (!outcome.ok) throw new Error(`executor block ${i}: ${outcome.reason ?? ''}`);
  return timing(t0Wall, performance.now() - t0, submit, start, text);
}

/** sbatch, then squeue every `everyMs` until the job has ended. */
async function bareBlock(i: number, everyMs: number, name: string): Promise<Timing> {
  const t0Wall = Date.now();
  const t0 = performance.now();
  const out = join(folder, `${name}-${i}.out`);
  const id = execFileSync('sbatch', ['--parsable', `--output=${out}`, `--chdir=${folder}`, '--wrap', jobScript(i)], { encoding: 'utf8' }).trim();
  const submit = performance.now() - t0;
  let start = 0;
  for (;;) {
    const state = execFileSync('squeue', ['-h', '-t', 'all', '-o', '%T', '-j', id], { encoding: 'utf8' }).trim();
    if (state === 'RUNNING' || state === 'COMPLETING') start ||= performance.now() - t0;
    if (['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'].includes(state)) break;
    await sleep(everyMs);
  }
  return timing(t0Wall, performance.now() - t0, submit, start, readFileSync(out, 'utf8'));
}

const fmt = (ms: number): string => ms.toFixed(0);
const med = (xs: Timing[], key: keyof Timing): number => median(xs.map((x) => x[key]));
const row = (label: string, xs: Timing[]): string =>
  `| ${label} | ${fmt(med(xs, 'total'))} | ${fmt(mean(xs.map((x) => x.total)))} | ${fmt(med(xs, 'own'))} | ${fmt(med(xs, 'submit'))} | ${fmt(med(xs, 'notice'))} | ${xs.map((x) => fmt(x.total)).join(' ')} |`;

try {
  const load0 = loadavg()[0] ?? 0;
  const floor: Timing[] = [];
  const peer: Timing[] = [];
  const ours: Timing[] = [];
  for (let i = 0; i < blocks; i++) {
    await idle();
    floor.push(await bareBlock(i, 100, 'floor'));
    await idle();
    peer.push(await bareBlock(i, DEFAULT_POLL.startMs, 'peer'));
    await idle();
    ours.push(await executorBlock(i));
  }
  const ratio = (a: Timing[], b: Timing[], key: keyof Timing): string => (med(a, key) / med(b, key)).toFixed(2);
  console.log(`\n### SLURM executor: per block, ${blocks} jobs each, interleaved, each on an idle node (load ${load0.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)})\n`);
  console.log('| variant | total, median ms | total, mean ms | own part (without SLURM\'s start wait), median ms | submit, median ms | job end → noticed, median ms | each total |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(row('bare sbatch + squeue every 100 ms (floor)', floor));
  console.log(row(`bare sbatch + squeue every ${DEFAULT_POLL.startMs} ms (executor's first interval)`, peer));
  console.log(row('executor (job files, sbatch, folder watch + marker)', ours));
  console.log(`\nexecutor / 100 ms floor: **${ratio(ours, floor, 'total')}×** total, **${ratio(ours, floor, 'own')}×** own part; executor / same-interval peer: **${ratio(ours, peer, 'total')}×** total, **${ratio(ours, peer, 'own')}×** own part (medians). SLURM calls by the executor: ${JSON.stringify(counts)}`);

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
    await sleep(windowMs);
    queue.close();
    const byQueue = pollCounts.squeue;
    const batchedTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await commands.squeue(ids);
      batchedTimes.push(performance.now() - t);
    }
    const sample = Math.min(40, ids.length);
    const t1 = performance.now();
    for (const id of ids.slice(0, sample)) await commands.squeue([id]);
    const perSingle = (performance.now() - t1) / sample;
    console.log(`\n### Poll cost, ${queued} held jobs, ${windowMs / 1000} s of following\n`);
    console.log('| what | figure |');
    console.log('|---|---|');
    console.log(`| polls by the queue | ${queue.polls} |`);
    console.log(`| squeue calls by the queue | ${byQueue} (one per poll) |`);
    console.log(`| scontrol calls | ${pollCounts.scontrol} |`);
    console.log(`| state reports | ${states} |`);
    console.log(`| one squeue for all ${queued} (median of 5) | ${fmt(median(batchedTimes))} ms |`);
    console.log(`| per-job peer: one squeue per job | ${fmt(perSingle)} ms × ${queued} = ${fmt(perSingle * queued)} ms per interval |`);
  } finally {
    execFileSync('scancel', ids);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
