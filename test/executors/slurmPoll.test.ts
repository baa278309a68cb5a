import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SlurmCommands } from '../../core/src/executors/slurm/commands.ts';
import { SlurmQueue, type PollTimer } from '../../core/src/executors/slurm/queue.ts';
import { outcomeOf, parseScontrol, parseSqueue, phaseOf, queuedReason } from '../../core/src/executors/slurm/states.ts';
import { envFileText } from '../../core/src/executors/slurm/jobFiles.ts';
import { followJob, sbatchArgs, slurmTime } from '../../core/src/executors/slurm/attempt.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobFilesIn } from '../../core/src/executors/slurm/jobFiles.ts';
import type { AttemptOptions } from '../../core/src/runner/executor.ts';
import type { ExecutorProfile } from '../../core/src/index.ts';

// The poll logic with a scripted cluster and a manual timer: which calls it makes and which
// intervals it asks for, with no wall-clock waits.

class ManualTimer implements PollTimer {
  pending: { callback: () => void; ms: number }[] = [];
  asked: number[] = [];
  setTimeout(callback: () => void, ms: number): unknown {
    const entry = { callback, ms };
    this.pending.push(entry);
    this.asked.push(ms);
    return entry;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p !== handle);
  }
  /** Fires the one pending poll and lets its promise chain finish. */
  async fire(): Promise<void> {
    assert.equal(this.pending.length, 1, 'exactly one poll is scheduled');
    const next = this.pending.shift();
    next?.callback();
    for (let i = 0; i < 20; i++) await Promise.resolve();
  }
}

class ScriptedCluster implements SlurmCommands {
  states = new Map<string, string>();
  finals = new Map<string, string>();
  calls: string[] = [];
  sbatch(): Promise<string> {
    return Promise.reject(new Error('not used'));
  }
  squeue(ids: readonly string[]): Promise<string> {
    this.calls.push(`squeue ${ids.join(',')}`);
    return Promise.resolve(ids.flatMap((id) => (this.states.has(id) ? [`${id}|${this.states.get(id) ?? ''}`] : [])).join('\n'));
  }
  scontrolShowJob(id: string): Promise<string | undefined> {
    this.calls.push(`scontrol ${id}`);
    return Promise.resolve(this.finals.get(id));
  }
  scancel(): Promise<void> {
    return Promise.resolve();
  }
}

test('one squeue per poll for all of a run\'s jobs, one scontrol per job when it ends other than COMPLETED (exit 0 by definition)', async () => {
  const cluster = new ScriptedCluster();
  const timer = new ManualTimer();
  const queue = new SlurmQueue(cluster, timer);
  const events: string[] = [];
  for (let id = 1; id <= 200; id++) {
    cluster.states.set(String(id), 'PENDING|Resources');
    queue.watch(String(id), { onState: (e) => void events.push(`${id} ${e.state} ${e.reason}`), onFinished: (f) => void events.push(`${id} end ${f.state} ${String(f.exitCode)}`) });
  }
  await timer.fire();
  assert.equal(cluster.calls.length, 1);
  assert.match(cluster.calls[0] ?? '', /^squeue 1,2,3,.*,200$/);
  assert.equal(events.length, 200);
  cluster.states.set('7', 'RUNNING|None');
  cluster.states.set('9', 'COMPLETED|None');
  cluster.finals.set('9', 'JobId=9 JobName=x\n   JobState=COMPLETED Reason=None Dependency=(null)\n   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0\n');
  cluster.states.delete('11');
  cluster.finals.set('11', 'JobId=11\n   JobState=FAILED Reason=NonZeroExitCode Dependency=(null)\n   ExitCode=3:0\n');
  events.length = 0;
  cluster.calls.length = 0;
  await timer.fire();
  assert.deepEqual(cluster.calls, ['squeue ' + Array.from({ length: 200 }, (_, i) => i + 1).join(','), 'scontrol 11']);
  assert.deepEqual(events, ['7 RUNNING None', '9 end COMPLETED 0', '11 end FAILED 3']);
  cluster.calls.length = 0;
  await timer.fire();
  assert.equal(cluster.calls.length, 1, 'finished jobs are no longer asked about');
  assert.equal((cluster.calls[0] ?? '').split(',').length, 198);
  queue.close();
  assert.equal(timer.pending.length, 0);
});

test('the interval: 500 ms after a change or a new job, doubling to 2 s, then growing by half after 3 quiet polls up to 10 s', async () => {
  const cluster = new ScriptedCluster();
  const timer = new ManualTimer();
  const queue = new SlurmQueue(cluster, timer);
  cluster.states.set('1', 'PENDING|Priority');
  queue.watch('1', { onState: () => undefined, onFinished: () => undefined });
  for (let i = 0; i < 11; i++) await timer.fire();
  // watch, first sight (a change), then quiet: 1 s, 2 s, three quiet polls at 2 s, growth to 10 s.
  assert.deepEqual(timer.asked, [500, 500, 1000, 2000, 2000, 2000, 3000, 4500, 6750, 10000, 10000, 10000]);
  cluster.states.set('1', 'RUNNING|None');
  await timer.fire();
  assert.equal(timer.asked[timer.asked.length - 1], 500, 'a change brings the start interval back');
  for (let i = 0; i < 5; i++) await timer.fire();
  assert.deepEqual(timer.asked.slice(-5), [1000, 2000, 2000, 2000, 3000]);
  cluster.states.set('2', 'PENDING|None');
  queue.watch('2', { onState: () => undefined, onFinished: () => undefined });
  assert.equal(timer.pending.length, 1, 'a new job reschedules, it does not add a second poll');
  assert.equal(timer.pending[0]?.ms, 500);
  queue.close();
});

test('a job whose script has ended (its marker file seen) is polled at the start interval, not doubling, until SLURM reports it ended', async () => {
  const cluster = new ScriptedCluster();
  const timer = new ManualTimer();
  const queue = new SlurmQueue(cluster, timer);
  cluster.states.set('1', 'RUNNING|None');
  let ended = '';
  queue.watch('1', { onState: () => undefined, onFinished: (f) => void (ended = f.state) });
  for (let i = 0; i < 5; i++) await timer.fire();
  assert.equal(timer.pending[0]?.ms, 2000, 'a quiet running job is polled every 2 s');
  cluster.states.set('1', 'COMPLETING|None');
  queue.ending('1');
  assert.equal(timer.pending[0]?.ms, 200, 'the marker brings the next poll forward');
  await timer.fire();
  await timer.fire();
  assert.deepEqual(timer.asked.slice(-2), [200, 200], 'still ending: no doubling');
  cluster.states.set('1', 'COMPLETED|None');
  await timer.fire();
  assert.equal(ended, 'COMPLETED');
  assert.ok(!cluster.calls.some((c) => c.startsWith('scontrol')), 'COMPLETED needs no scontrol');
  queue.ending('1');
  assert.equal(timer.pending.length, 0, 'a finished job is not polled again');
  queue.close();
});

test('a job still COMPLETING in scontrol is asked about again; a job the controller forgot ends as unknown', async () => {
  const cluster = new ScriptedCluster();
  const timer = new ManualTimer();
  const queue = new SlurmQueue(cluster, timer);
  const ends: string[] = [];
  // Gone from squeue, still settling in scontrol.
  cluster.finals.set('5', 'JobState=COMPLETING Reason=None ExitCode=0:0');
  queue.watch('5', { onState: () => undefined, onFinished: (f) => void ends.push(`5 ${f.state}`) });
  queue.watch('6', { onState: () => undefined, onFinished: (f) => void ends.push(`6 ${f.state} ${f.reason}`) });
  await timer.fire();
  assert.deepEqual(ends, ['6 UNKNOWN the SLURM controller no longer knows the job']);
  cluster.finals.set('5', 'JobState=COMPLETED Reason=None ExitCode=0:0');
  await timer.fire();
  assert.deepEqual(ends.slice(1), ['5 COMPLETED']);
  assert.equal(cluster.calls.filter((c) => c === 'scontrol 5').length, 2);
  queue.close();
});

test('states: squeue and scontrol parsing, the mapping to queued/running/finished and to outcomes', () => {
  assert.deepEqual([...parseSqueue('12|PENDING|Resources\n13|RUNNING|None\njunk\n14|PENDING|(ReqNodeNotAvail, UnavailableNodes:vm)\n')], [
    ['12', { state: 'PENDING', reason: 'Resources' }], ['13', { state: 'RUNNING', reason: 'None' }], ['14', { state: 'PENDING', reason: '(ReqNodeNotAvail, UnavailableNodes:vm)' }],
  ]);
  assert.equal(queuedReason('Resources'), 'Resources');
  assert.equal(queuedReason('None'), 'submitted');
  assert.equal(queuedReason('(ReqNodeNotAvail)'), 'ReqNodeNotAvail');
  assert.deepEqual(['PENDING', 'RUNNING', 'COMPLETING', 'COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED', 'CANCELLED by 0'].map(phaseOf), [
    'queued', 'running', 'running', 'finished', 'finished', 'finished', 'finished', 'finished', 'finished', 'finished', 'finished',
  ]);
  const final = parseScontrol('JobId=1 JobName=wrap\n   JobState=FAILED Reason=NonZeroExitCode Dependency=(null)\n   Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=3:0\n');
  assert.deepEqual(final, { state: 'FAILED', reason: 'NonZeroExitCode', exitCode: 3, signal: 0 });
  const reasons = (['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED', 'OUT_OF_MEMORY', 'NODE_FAIL'] as const).map((state) => {
    const o = outcomeOf({ state, reason: state === 'NODE_FAIL' ? 'NodeDown' : 'None', exitCode: state === 'FAILED' ? 3 : 0, signal: 0 }, undefined);
    return `${String(o.ok)} ${o.reason ?? ''}`;
  });
  assert.deepEqual(reasons, ['true ', 'false exit code 3', 'false SLURM time limit reached (TIMEOUT)', 'false cancelled in SLURM', 'false out of memory (SLURM OUT_OF_MEMORY)', 'false SLURM: NODE_FAIL (NodeDown)']);
  assert.equal(outcomeOf({ state: 'CANCELLED', reason: 'None', exitCode: 0, signal: 15 }, 'timeout').reason, 'timeout');
});

test('sbatch arguments: argv entries from the profile and the block\'s resources, time limit with slack over the timeout', () => {
  const profile: ExecutorProfile = {
    name: 'gpu', nameSpan: { start: 0, end: 0 }, type: 'slurm', image: undefined, engine: 'auto', partition: 'gpu', timeMs: undefined,
    cpus: 4, memoryMb: 16384, gres: 'gpu:1', extra: ['--account=ml team', '--qos=high'], namespace: undefined, serviceAccount: undefined,
  };
  const options = { cwd: '/data/p q', timeoutMs: 90_000, graceMs: 5000, resources: { memoryMb: 512, gpus: 2 } } as AttemptOptions;
  const files = jobFilesIn('/data/p q/.pipelines/slurm/t.1.1');
  assert.deepEqual(sbatchArgs(options, files, { profile, jobName: 'ps-train-t.1.1' }), [
    '--job-name=ps-train-t.1.1', '--output=/data/p q/.pipelines/slurm/t.1.1/stdout.log', '--error=/data/p q/.pipelines/slurm/t.1.1/stderr.log',
    '--chdir=/data/p q', '--export=ALL', '--kill-on-invalid-dep=yes', '--partition=gpu', '--time=0-00:02:35', '--cpus-per-task=4', '--mem=512M', '--gres=gpu:2',
    '--account=ml team', '--qos=high', '/data/p q/.pipelines/slurm/t.1.1/job.sh',
  ]);
  assert.equal(slurmTime(2 * 3_600_000), '0-02:00:00');
  assert.equal(slurmTime(1000), '0-00:01:00');
  assert.equal(slurmTime(26 * 3_600_000 + 1), '1-02:00:01');
});

test('the env file quotes every value as data and leaves out names a shell cannot assign', () => {
  assert.equal(envFileText({ A: "it's $(id) `x`\nline", 'BASH_FUNC_f%%': '() { :; }', B: '' }), "export A='it'\\''s $(id) `x`\nline'\nexport B=''\n");
});

test('the ended marker: "0 0" ends the attempt as a success without waiting for SLURM; any other marker waits for SLURM\'s final state', async () => {
  const root = mkdtempSync(join(tmpdir(), 'slurm-marker-'));
  try {
    const run = async (marker: string, id: string): Promise<{ ok: boolean; reason: string | undefined; calls: string[] }> => {
      const cluster = new ScriptedCluster();
      cluster.states.set(id, 'RUNNING|None');
      cluster.finals.set(id, `JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15`);
      const queue = new SlurmQueue(cluster, undefined, { startMs: 50, baseMs: 50, endingMs: 20 });
      const dir = join(root, id);
      mkdirSync(dir);
      const files = jobFilesIn(dir);
      writeFileSync(files.endedFile, `${marker}\n`);
      const handle = followJob({
        shell: 'bash', script: '', cwd: dir, env: {}, tag: `t.${id}`, timeoutMs: undefined, graceMs: 1000,
        onOutput: () => undefined, onStarted: () => undefined,
      }, { commands: cluster, queue, profile: undefined, jobDir: dir, jobName: `n${id}`, tailEveryMs: 20 }, files, Promise.resolve(id), false);
      // SLURM reports the job ended only a moment later (still RUNNING until then).
      setTimeout(() => cluster.states.set(id, 'TIMEOUT|TimeLimit'), 300);
      const outcome = await handle.done;
      queue.close();
      return { ok: outcome.ok, reason: outcome.reason, calls: cluster.calls.map((c) => c.split(' ')[0] ?? '') };
    };
    const clean = await run('0 0', '1');
    assert.deepEqual([clean.ok, clean.reason], [true, undefined]);
    assert.ok(!clean.calls.includes('scontrol'), 'no scontrol: the job said it ended cleanly');
    const signalled = await run('0 1', '2');
    assert.deepEqual([signalled.ok, signalled.reason], [false, 'SLURM time limit reached (TIMEOUT)'], 'a signalled script waits for SLURM, which says why');
    const failed = await run('3 0', '3');
    assert.deepEqual([failed.ok, failed.reason], [false, 'exit code 3'], 'a plain non-zero exit is the outcome: no SLURM round trip');
    assert.ok(!failed.calls.includes('scontrol'), 'no scontrol for a plain exit code');
    const killed = await run('137 0', '4');
    assert.deepEqual([killed.ok, killed.reason], [false, 'SLURM time limit reached (TIMEOUT)'], 'above 128 a signal killed the block: SLURM says which');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the job folder is watched: the ended marker is seen as it is written, not at the next fallback read (set to 10 minutes here)', { timeout: 60_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'slurm-watch-'));
  try {
    const cluster = new ScriptedCluster();
    cluster.states.set('9', 'RUNNING|None');
    // SLURM itself never reports the end here, and its queue is polled every 10 minutes: only the
    // folder watch can end this attempt within the test's time limit.
    const queue = new SlurmQueue(cluster, undefined, { startMs: 600_000, baseMs: 600_000, maxMs: 600_000, endingMs: 600_000 });
    const files = jobFilesIn(root);
    let out = '';
    const handle = followJob({
      shell: 'bash', script: '', cwd: root, env: {}, tag: 't.9', timeoutMs: undefined, graceMs: 1000,
      onOutput: (_stream, text) => void (out += text), onStarted: () => undefined,
    }, { commands: cluster, queue, profile: undefined, jobDir: root, jobName: 'n9', tailEveryMs: 600_000 }, files, Promise.resolve('9'), false);
    setTimeout(() => {
      writeFileSync(files.stdout, 'hello\n');
      writeFileSync(files.endedFile, '0 0\n');
    }, 200);
    const outcome = await handle.done;
    queue.close();
    assert.equal(outcome.ok, true);
    assert.equal(out, 'hello\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
