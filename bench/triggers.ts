// Memory and idle CPU of the headless scheduler (`pipeline-studio schedule`, the built dist/cli.cjs)
// with 1,000 triggers over 200 pipelines, beside the same scheduler on an empty folder (the
// peer: what Node and the CLI cost with no trigger), in the same run. Target: <= 60 MB RSS.
//   npm run build && node bench/triggers.ts
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generatePipeline } from './generate.ts';

const PIPELINES = 200;
const TRIGGERS_PER_PIPELINE = 5;
const FOLDERS = 20;
const CLI = join(import.meta.dirname, '..', 'dist', 'cli.cjs');

/** Five triggers of every clock kind and an event one; a tenth of the pipelines chain to another. */
function pipelineText(i: number): string {
  const blocks = generatePipeline(12).replace('name: generated\n', `name: p${i}\n`);
  const triggers = [
    'triggers:',
    `  nightly:\n    cron: "${i % 60} 3 * * *"\n    timezone: Europe/Paris\n    sla: 45m\n    timeout: 2h`,
    `  office:\n    every: ${10 + (i % 50)}m\n    between: "09:00-17:30"\n    days: mon-fri`,
    `  weekly:\n    cron: "0 ${i % 24} * * 1#2"\n    timezone: America/New_York`,
    `  release:\n    at: 2027-0${1 + (i % 9)}-1${i % 10}T18:00:00Z`,
    i % 10 === 0 && i > 0 ? `  chained:\n    after: ../f${(i - 1) % FOLDERS}/p${i - 1}.pipeline.yaml` : `  on-data:\n    files: ["data${i}/**/*.csv"]\n    debounce: 2s`,
  ];
  return `${triggers.join('\n')}\n${blocks}`;
}

interface Sample {
  rssMb: number;
  hwmMb: number;
  cpuMsIdle: number;
  loadLine: string;
}

async function measure(folder: string, store: string, idleMs: number): Promise<Sample> {
  const child = spawn(process.execPath, [CLI, 'schedule', folder, '--store', store], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const end = Date.now() + 120_000;
  while (!/holds the lease/.test(out) || !/ trigger\(s\) in /.test(out)) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`the scheduler did not start:\n${out}`);
    await sleep(100);
  }
  // Let start-up garbage be collected as the process idles; then read memory and CPU while idle.
  await sleep(3000);
  const cpu = (): number => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 10 ms ticks
  };
  const before = cpu();
  await sleep(idleMs);
  const cpuMsIdle = cpu() - before;
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
  const loadLine = /\d+ trigger\(s\) in \d+ pipeline\(s\)/.exec(out)?.[0] ?? '?';
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024, cpuMsIdle, loadLine };
}

const root = mkdtempSync(join(tmpdir(), 'ps-bench-triggers-'));
try {
  const many = join(root, 'many');
  for (let f = 0; f < FOLDERS; f++) mkdirSync(join(many, `f${f}`), { recursive: true });
  for (let i = 0; i < PIPELINES; i++) writeFileSync(join(many, `f${i % FOLDERS}`, `p${i}.pipeline.yaml`), pipelineText(i));
  const empty = join(root, 'empty');
  mkdirSync(empty);
  const idleMs = 10_000;
  const peer = await measure(empty, join(root, 'empty.sqlite'), idleMs);
  const ours = await measure(many, join(root, 'many.sqlite'), idleMs);
  const row = (name: string, s: Sample): string => `${name.padEnd(34)} ${s.rssMb.toFixed(1).padStart(7)} ${s.hwmMb.toFixed(1).padStart(8)} ${String(s.cpuMsIdle).padStart(10)}   ${s.loadLine}`;
  console.log(`${'scheduler'.padEnd(34)} ${'RSS MB'.padStart(7)} ${'peak MB'.padStart(8)} ${'idle CPU'.padStart(10)}`);
  console.log(row('empty folder (peer: Node + CLI)', peer));
  console.log(row(`${PIPELINES} pipelines, ${PIPELINES * TRIGGERS_PER_PIPELINE} triggers`, ours));
  console.log(`idle CPU: ms of CPU over ${idleMs / 1000} s idle. Target: <= 60 MB RSS with 1,000 triggers.`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
