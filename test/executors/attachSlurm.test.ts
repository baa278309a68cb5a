import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import { CLI, tempDir } from '../runner/support.ts';
import { ensureSlurmCluster, releaseSlurmCluster } from './slurmCluster.ts';

// Against the real one-node SLURM cluster: a CLI SIGKILLed while its block runs as a SLURM job;
// `attach` then finds the job, follows it to its end and records it. Nothing is submitted twice.

before(() => ensureSlurmCluster());
// Stops the cluster only when this test started it (and no other test process uses it).
after(() => releaseSlurmCluster());

test('real SLURM: CLI SIGKILLed mid-run, then attach reconciles: the job is followed to its end, its output and outputs stored, the run stays interrupted', async () => {
  const dir = tempDir('ps-attach-slurm-');
  writeFileSync(join(dir, 'p.pipeline.yaml'), `executors:
  hpc: { type: slurm }
executor: hpc
blocks:
  a:
    outputs: [v]
    run: echo started; while [ ! -f go ]; do sleep 0.2; done; echo finished; echo "v=7" >> "$PIPELINE_OUTPUT"
  b:
    depends_on: [a]
    run: echo b
`);
  const run = spawn(process.execPath, [CLI, 'run', 'p.pipeline.yaml'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
  const jobs = join(dir, '.pipelines', 'slurm');
  let deadline = Date.now() + 120_000;
  const record = (): string | undefined => (existsSync(jobs) ? readdirSync(jobs).map((d) => join(jobs, d, 'job.json')).find((f) => existsSync(f)) : undefined);
  while (record() === undefined) {
    if (Date.now() > deadline) throw new Error('no SLURM job was submitted within 120 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  run.kill('SIGKILL');
  await once(run, 'exit');

  const attach = spawn(process.execPath, [CLI, 'attach', '1'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  attach.stdout.setEncoding('utf8').on('data', (d: string) => void (out += d));
  attach.stderr.setEncoding('utf8').on('data', (d: string) => void (out += d));
  const exited = once(attach, 'exit');
  deadline = Date.now() + 120_000;
  // The job may only finish once attach follows it: "finished" then comes live.
  while (!/^a \| \S+ running \(SLURM job \d+, reattached\)$/m.test(out)) {
    if (Date.now() > deadline) {
      attach.kill('SIGKILL');
      throw new Error(`attach did not reattach: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  writeFileSync(join(dir, 'go'), '');
  const code = (await exited)[0] as number | null;
  assert.equal(code, 1, out);
  assert.match(out, /^a \| finished$/m);
  assert.match(out, /Run #1 was interrupted .*1 SLURM job\(s\) followed to their end and 0 that had ended were recorded\. Nothing was submitted again/);

  const store = openStore(join(dir, '.pipelines', 'runs.sqlite'), { readonly: true });
  try {
    assert.equal(store.getRun(1)?.status, 'interrupted');
    const a = store.blockRuns(1).find((b) => b.block === 'a');
    assert.equal(a?.status, 'completed');
    assert.deepEqual(a?.outputs, { v: '7' });
    assert.equal(a?.executorType, 'slurm');
    assert.match(store.readLogs(a?.id ?? 0).map((c) => c.text).join(''), /started\n(.|\n)*finished\n/);
    const jobName = JSON.parse(execFileSync('cat', [record() ?? '']).toString()) as { jobName: string; jobId: string };
    assert.equal(a?.executorJob, jobName.jobId);
    const named = execFileSync('squeue', ['-h', '-t', 'all', '-n', jobName.jobName, '-o', '%i'], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(named, [jobName.jobId], 'one job for the block: attach submitted nothing');
  } finally {
    store.close();
  }
});
