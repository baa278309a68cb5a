import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import { CLI, tempDir } from '../runner/support.ts';

// `attach RUN` after the CLI that ran a pipeline on Argo was SIGKILLed, against a stand-in `kubectl`
// on PATH replaying captured Argo JSON (no cluster runs here): the workflow is followed again, not
// created again, and the run gets its outcome.

const PIPELINE = readFileSync(join(import.meta.dirname, 'argo-golden', 'condition.pipeline.yaml'), 'utf8').replace('image: alpine:3.20 }', 'image: alpine:3.20, namespace: pipelines }');

function cli(args: string[], dir: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => void (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => void (out += d));
  return { child, out: () => out, exited: once(child, 'exit').then(([code]) => code as number | null) };
}

test('stand-in kubectl: CLI SIGKILLed while its Argo workflow runs, then attach follows the workflow again to its end; nothing is created twice', async () => {
  const dir = tempDir('ps-argo-attach-');
  const bin = tempDir('kubectl-stand-in-');
  writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\nexec '${process.execPath}' '${join(import.meta.dirname, 'fixtures', 'kubectl-stub.mjs')}' "$@"\n`);
  chmodSync(join(bin, 'kubectl'), 0o755);
  writeFileSync(join(dir, 'p.pipeline.yaml'), PIPELINE);
  const env = { ...process.env, NO_COLOR: '1', PATH: `${bin}:${process.env['PATH'] ?? ''}`, STUB_DIR: bin, STUB_SCENARIO: 'attach' };
  const calls = (): string[][] => (existsSync(join(bin, 'calls.jsonl')) ? readFileSync(join(bin, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]) : []);

  const run = cli(['run', 'p.pipeline.yaml', '--executor', 'k8s'], dir, env);
  const end = Date.now() + 60_000;
  while (!(calls().some((c) => c.includes('--watch')) && run.out().includes('▶ started'))) {
    if (Date.now() > end) {
      run.child.kill('SIGKILL');
      throw new Error(`the run never started: ${run.out()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  run.child.kill('SIGKILL');
  await run.exited;
  assert.ok(existsSync(join(dir, '.pipelines', 'argo', 'run-1.json')), 'the run left the record naming its workflow');

  const attach = cli(['attach', '1'], dir, env);
  assert.equal(await attach.exited, 0, attach.out());
  assert.match(attach.out(), /its Argo workflow conditions-x7k2p was followed again to its end \(completed\)\. Nothing was submitted again\./);
  assert.match(attach.out(), /^publish +\| publishing model 0\.93$/m);
  assert.equal(calls().filter((c) => c[0] === 'create').length, 1, 'the workflow was created once');
  assert.equal(calls().filter((c) => c.includes('--watch')).length, 2, 'followed by the run, then again by attach');
  const store = openStore(join(dir, '.pipelines', 'runs.sqlite'), { readonly: true });
  try {
    assert.equal(store.getRun(1)?.status, 'completed');
    const rows = store.blockRuns(1).map((b) => `${b.block}#${b.attempt} ${b.status}`);
    assert.deepEqual(rows, ['build#1 completed', 'publish#1 failed', 'announce#1 condition_failed', 'rollback#1 skipped', 'publish#2 completed']);
    const publish = store.blockRuns(1).find((b) => b.block === 'publish' && b.attempt === 2);
    assert.equal(store.readLogs(publish?.id ?? 0).map((c) => c.text).join(''), 'publishing model 0.93\ndone\n', 'the log fetched once');
  } finally {
    store.close();
  }
});
