// Memory and idle CPU of the headless scheduler (`pipeline-studio schedule`, the production build
// as shipped, built here into dist/bench-production/) with 1,000 triggers over 200 pipelines, side
// by side in the same run with its peers:
//   - bare Node (`setInterval` and nothing else): the floor no Node process goes under;
//   - the libraries' floor: Node with better-sqlite3 holding the store open and cron-parser placing one
//     fire in two time zones (luxon and ICU's zone data) — what any scheduler on these parts holds;
//   - the scheduler on an empty folder.
// Target: <= 60 MB RSS with 1,000 triggers.   node bench/triggers.ts
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FOLDERS, PIPELINES, pipelineText, TRIGGERS_PER_PIPELINE } from './triggersFixture.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'dist', 'bench-production');
const CLI = join(OUT, 'cli.cjs');

interface Sample {
  name: string;
  rssMb: number;
  hwmMb: number;
  privateMb: number;
  cpuMsIdle: number;
  note: string;
}

/** Starts a process, waits until `ready` matches its output, lets it idle, and reads its memory and CPU. */
async function measure(name: string, args: string[], ready: RegExp, idleMs: number): Promise<Sample> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const end = Date.now() + 180_000;
  while (!ready.test(out)) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`${name} did not start:\n${out}`);
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
  const rollup = readFileSync(`/proc/${child.pid}/smaps_rollup`, 'utf8');
  const kb = (text: string, field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1]);
  const fired = out.match(/ fired: run #/g)?.length ?? 0;
  const note = `${/\d+ trigger\(s\) in \d+ pipeline\(s\)/.exec(out)?.[0] ?? ''}${fired > 0 ? `, ${fired} run(s) fired meanwhile` : ''}`;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { name, rssMb: kb(status, 'VmRSS') / 1024, hwmMb: kb(status, 'VmHWM') / 1024, privateMb: (kb(rollup, 'Private_Clean') + kb(rollup, 'Private_Dirty')) / 1024, cpuMsIdle, note };
}

execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--production', '--outdir', OUT], { stdio: 'ignore' });
const root = mkdtempSync(join(tmpdir(), 'ps-bench-triggers-'));
try {
  const many = join(root, 'many');
  for (let f = 0; f < FOLDERS; f++) mkdirSync(join(many, `f${f}`), { recursive: true });
  for (let i = 0; i < PIPELINES; i++) writeFileSync(join(many, `f${i % FOLDERS}`, `p${i}.pipeline.yaml`), pipelineText(i));
  const empty = join(root, 'empty');
  mkdirSync(empty);
  const libraries = `const Database = require('better-sqlite3'); const db = new Database(${JSON.stringify(join(root, 'peer.sqlite'))});
    db.exec('create table if not exists t (x)'); db.prepare('select count(*) from t').get();
    const { CronExpressionParser } = require('cron-parser');
    for (const tz of ['Europe/Paris', 'America/New_York']) CronExpressionParser.parse('0 3 * * *', { tz }).next();
    console.log('ready'); setInterval(() => {}, 1e9);`;
  const idleMs = 10_000;
  const started = /holds the lease/;
  const samples = [
    await measure('bare Node (floor)', ['-e', "console.log('ready'); setInterval(() => {}, 1e9)"], /ready/, idleMs),
    await measure('Node + better-sqlite3 + cron-parser', ['-e', libraries], /ready/, idleMs),
    await measure('scheduler, empty folder', [CLI, 'schedule', empty, '--store', join(root, 'empty.sqlite')], started, idleMs),
    await measure(`scheduler, ${PIPELINES} pipelines`, [CLI, 'schedule', many, '--store', join(root, 'many.sqlite')], /holds the lease[\s\S]*\d+ trigger\(s\) in|\d+ trigger\(s\) in[\s\S]*holds the lease/, idleMs),
  ];
  const floor = samples[0]?.rssMb ?? 0;
  console.log(`${'process'.padEnd(36)} ${'RSS MB'.padStart(7)} ${'+floor'.padStart(7)} ${'peak MB'.padStart(8)} ${'private'.padStart(8)} ${'idle CPU'.padStart(9)}`);
  for (const s of samples) {
    console.log(`${s.name.padEnd(36)} ${s.rssMb.toFixed(1).padStart(7)} ${(s.rssMb - floor).toFixed(1).padStart(7)} ${s.hwmMb.toFixed(1).padStart(8)} ${s.privateMb.toFixed(1).padStart(8)} ${String(s.cpuMsIdle).padStart(9)}   ${s.note}`);
  }
  console.log(`Node ${process.version}. idle CPU: ms of CPU over ${idleMs / 1000} s idle; private: RSS less the pages shared with other processes (Node's code).`);
  console.log(`Target: <= 60 MB RSS with ${PIPELINES * TRIGGERS_PER_PIPELINE} triggers.`);
} finally {
  rmSync(root, { recursive: true, force: true });
  // Not left in dist/: the workbench tests stage dist/ as the extension, and a second set of bundles confuses them.
  rmSync(OUT, { recursive: true, force: true });
}
