import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slurmCommands, type SlurmCommands } from '../../core/src/executors/slurm/commands.ts';
import { slurmExecutor, slurmJobDir } from '../../core/src/executors/slurm/executor.ts';
import { attachSlurmJob, reconcileSlurmJobs } from '../../core/src/executors/slurm/reconcile.ts';
import { SlurmQueue } from '../../core/src/executors/slurm/queue.ts';
import { parseOutputs } from '../../core/src/runner/outputs.ts';
import { ensureSlurmCluster, releaseSlurmCluster, runAttempt } from './slurmCluster.ts';

// Against the real one-node SLURM cluster (slurmctld + slurmd from Debian's packages, started by
// the shared recipe). Each job takes a few seconds: SLURM schedules on its own cadence.

let folder = '';
let attempts = 0;
const squeueCalls: string[][] = [];

/** The real commands, with each squeue's job list recorded. */
function recordingCommands(): SlurmCommands {
  const real = slurmCommands();
  return { ...real, squeue: (ids) => (squeueCalls.push([...ids]), real.squeue(ids)) };
}

const executor = slurmExecutor(undefined, { commands: recordingCommands(), poll: { baseMs: 500, maxMs: 2000 } });

before(() => {
  ensureSlurmCluster();
  // A space and a quote in the path: every path reaches sbatch and the job script as data.
  folder = mkdtempSync(join(tmpdir(), "slurm it's "));
});

after(() => {
  rmSync(folder, { recursive: true, force: true });
  releaseSlurmCluster();
});

function options(block: string, script: string, env: Record<string, string> = {}) {
  attempts++;
  const output = join(folder, `${block}-${attempts}.out`);
  writeFileSync(output, '');
  return {
    output,
    attempt: {
      shell: 'bash' as const, script, cwd: folder, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', PIPELINE_OUTPUT: output, ...env },
      tag: `t18.${block}.${attempts}`, timeoutMs: undefined, graceMs: 3000, block, attempt: attempts, runId: 1,
    },
  };
}

function outputsOf(file: string): Record<string, string> {
  const parsed = parseOutputs(readFileSync(file, 'utf8'));
  assert.ok('outputs' in parsed, JSON.stringify(parsed));
  return { ...parsed.outputs };
}

test('a 5-block diamond in dependency order, with a retry, outputs passed downstream and stdout/stderr streamed', async () => {
  const a = options('a', 'echo a-out; echo a-err >&2; echo "n=1" >> "$PIPELINE_OUTPUT"');
  const ra = await runAttempt(executor, a.attempt).done;
  assert.deepEqual(ra.outcome, { ok: true, exitCode: 0, signal: undefined, reason: undefined, pid: undefined });
  assert.equal(ra.stdout, 'a-out\n');
  assert.equal(ra.stderr, 'a-err\n');
  // Queued (while PENDING was seen: a fast job may start between two polls), then started, then output.
  const startedAt = ra.events.indexOf('started undefined');
  assert.ok(startedAt >= 0 && startedAt < ra.events.indexOf('output stdout'), ra.events.join(', '));
  assert.ok(ra.events.slice(0, startedAt).every((e) => e.startsWith('queued ')), ra.events.join(', '));
  const up = outputsOf(a.output)['n'] ?? '';
  assert.equal(up, '1');

  // b fails on its first attempt (exit 3) and succeeds on the second: the engine's retry, two jobs.
  const flaky = 'if [ ! -e tried-b ]; then touch tried-b; echo first try fails >&2; exit 3; fi; echo "n=$((UP + 10))" >> "$PIPELINE_OUTPUT"';
  const b1 = options('b', flaky, { UP: up });
  const c = options('c', 'echo "n=$((UP + 100))" >> "$PIPELINE_OUTPUT"', { UP: up });
  squeueCalls.length = 0;
  const [rb1, rc] = await Promise.all([runAttempt(executor, b1.attempt).done, runAttempt(executor, c.attempt).done]);
  assert.deepEqual([rb1.outcome.ok, rb1.outcome.exitCode, rb1.outcome.reason, rb1.stderr], [false, 3, 'exit code 3', 'first try fails\n']);
  assert.ok(rc.outcome.ok);
  assert.ok(squeueCalls.some((ids) => ids.length === 2), `one squeue asked about both jobs: ${JSON.stringify(squeueCalls)}`);
  assert.ok(squeueCalls.every((ids) => ids.length <= 2));
  const b2 = options('b', flaky, { UP: up });
  const rb2 = await runAttempt(executor, b2.attempt).done;
  assert.ok(rb2.outcome.ok, rb2.outcome.reason);

  const d = options('d', 'echo "n=$((B + C))" >> "$PIPELINE_OUTPUT"', { B: outputsOf(b2.output)['n'] ?? '', C: outputsOf(c.output)['n'] ?? '' });
  assert.ok((await runAttempt(executor, d.attempt).done).outcome.ok);
  const e = options('e', 'echo "total=$D" >> "$PIPELINE_OUTPUT"; echo "total is $D"', { D: outputsOf(d.output)['n'] ?? '' });
  const re = await runAttempt(executor, e.attempt).done;
  assert.equal(re.stdout, 'total is 112\n');
  assert.deepEqual(outputsOf(e.output), { total: '112' });
  assert.ok(!existsSync(join(slurmJobDir(folder, e.attempt.tag), 'env.sh')), 'the env file is removed once the job ended');
});

test('a failing command: its exit code from the job\'s ended marker (what scontrol would say), stderr kept', async () => {
  const f = options('fails', 'echo boom >&2; nosuchcommand-t18');
  const r = await runAttempt(executor, f.attempt).done;
  assert.deepEqual([r.outcome.ok, r.outcome.exitCode, r.outcome.reason], [false, 127, 'exit code 127: command not found']);
  assert.match(r.stderr, /^boom\n.*nosuchcommand-t18: command not found\n$/s);
});

test('timeout: the engine\'s stop(timeout) cancels the running job; the outcome says timeout', async () => {
  const t = options('slow', 'echo begin; sleep 300');
  const run = runAttempt(executor, t.attempt);
  await run.started;
  run.stop('timeout');
  const r = await run.done;
  assert.deepEqual([r.outcome.ok, r.outcome.reason], [false, 'timeout']);
});

test('cancel a running job: scancel, and every process it started is gone', async () => {
  const k = options('cancel', 'sleep 300 & echo $! > pids; sleep 301 & echo $! >> pids; echo ready; wait');
  const run = runAttempt(executor, k.attempt);
  const pidsFile = join(folder, 'pids');
  while (!(existsSync(pidsFile) && readFileSync(pidsFile, 'utf8').split('\n').length >= 3)) await new Promise((r) => setTimeout(r, 100));
  const pids = readFileSync(pidsFile, 'utf8').trim().split('\n').map(Number);
  assert.equal(pids.length, 2);
  for (const pid of pids) assert.doesNotThrow(() => process.kill(pid, 0), 'the job\'s processes run before the cancel');
  run.stop('cancelled');
  run.stop('cancelled');
  const r = await run.done;
  assert.deepEqual([r.outcome.ok, r.outcome.reason], [false, 'cancelled']);
  for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `process ${pid} is gone`);
});

test('a hostile variable value stays data: written back byte for byte, nothing it names runs', async () => {
  const value = `$(touch ${folder}/pwned1)'; touch ${folder}/pwned2; '\`touch ${folder}/pwned3\`\n"$(touch ${folder}/pwned4)" \\ $HOME %s`;
  const h = options('hostile', 'printf "%s" "$HOSTILE" > hostile-got', { HOSTILE: value });
  const r = await runAttempt(executor, h.attempt).done;
  assert.ok(r.outcome.ok, r.outcome.reason);
  assert.equal(readFileSync(join(folder, 'hostile-got'), 'utf8'), value);
  assert.deepEqual(readdirSync(folder).filter((f) => f.startsWith('pwned')), []);
});

test('a CLI SIGKILLed mid-run: reconcile finds its job still in SLURM, attach follows it to the end, nothing is submitted twice', async () => {
  const output = join(folder, 'reconcile.out');
  writeFileSync(output, '');
  // Unique per test run: SLURM remembers ended jobs (MinJobAge) and the check below counts by name.
  const tag = `reconcile.${process.pid}.${Date.now()}`;
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'slurmSubmitThenHang.ts'), folder, output, tag], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => (d.toString().includes('submitted') ? resolve() : undefined));
    child.on('exit', () => reject(new Error('the submitting process ended before it submitted')));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  const commands = slurmCommands();
  const found = await reconcileSlurmJobs(folder, commands, (rec) => rec.tag === tag);
  assert.equal(found.length, 1);
  const job = found[0];
  assert.ok(job !== undefined && job.phase !== 'finished', `still in SLURM: ${job?.phase ?? ''}`);
  const queue = new SlurmQueue(commands, undefined, { baseMs: 500, maxMs: 2000 });
  let stdout = '';
  const handle = attachSlurmJob(job, {
    shell: 'bash', script: '', cwd: folder, env: { PIPELINE_OUTPUT: output }, tag: job.record.tag, timeoutMs: undefined, graceMs: 2000,
    onOutput: (_s, t) => void (stdout += t), onStarted: () => undefined,
  }, { commands, queue, profile: undefined });
  const outcome = await handle.done;
  queue.close();
  assert.ok(outcome.ok, outcome.reason);
  assert.equal(stdout, 'started\nfinished\n');
  assert.deepEqual(outputsOf(output), { v: '7' });
  const named = execFileSync('squeue', ['-h', '-t', 'all', '-n', job.record.jobName, '-o', '%i'], { encoding: 'utf8' }).trim().split('\n');
  assert.deepEqual(named, [job.record.jobId], 'one job with that name, the one submitted before the kill');
  const again = await reconcileSlurmJobs(folder, commands, (rec) => rec.tag === tag);
  assert.deepEqual(again.map((j) => [j.phase, j.outcome?.ok]), [['finished', true]]);
});
