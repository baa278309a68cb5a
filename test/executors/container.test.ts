import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorProfile } from '../../core/src/index.ts';
import { chooseEngine, containerEnv, containerName, containerRunArgv, killArgv, leftoversArgv, removeArgv } from '../../core/src/executors/container/argv.ts';
import { containerExecutor, removeLeftoverContainers } from '../../core/src/executors/container/executor.ts';
import { runAttempt } from './slurmCluster.ts';

// No container engine can run on this machine (the docker client is installed, no daemon can
// start here), so the command lines are checked as golden argv arrays, and the attempt's life
// (spawn, output, exit code, kill by name, cleanup) against a stand-in `docker` on PATH.

const PROFILE: ExecutorProfile = {
  name: 'box', nameSpan: { start: 0, end: 0 }, type: 'container', image: 'ghcr.io/acme/etl:1.4', engine: 'auto', partition: undefined, timeMs: undefined,
  cpus: undefined, memoryMb: undefined, gres: undefined, extra: ['--network=none'], namespace: undefined, serviceAccount: undefined,
};

test('golden argv, no container engine run: docker run with mounts at the same path, workdir, env file, user, name, labels and resources', () => {
  const argv = containerRunArgv({
    engine: 'docker', profile: PROFILE, name: containerName('k3x9.2.1', 'train'), runToken: 'k3x9', block: 'train', shell: 'bash',
    folder: '/home/ana/my pipelines', mounts: ['/home/ana/my pipelines/.pipelines/containers/k3x9.2.1', '/home/ana/.local/state/ps/runs/7/train'],
    cwd: '/home/ana/my pipelines/jobs', envFile: '/home/ana/my pipelines/.pipelines/containers/k3x9.2.1/env', inherited: ['NOTES'],
    scriptFile: '/home/ana/my pipelines/.pipelines/containers/k3x9.2.1/script', resources: { cpus: 4, memoryMb: 16384, gpus: 1 }, uid: 1000, gid: 1000,
  });
  assert.deepEqual(argv, [
    'run', '--rm', '--init', '--name=ps-k3x9.2.1-train', '--label=pipeline-studio.run=k3x9', '--label=pipeline-studio.block=train',
    '--volume=/home/ana/my pipelines:/home/ana/my pipelines',
    '--volume=/home/ana/my pipelines/.pipelines/containers/k3x9.2.1:/home/ana/my pipelines/.pipelines/containers/k3x9.2.1',
    '--volume=/home/ana/.local/state/ps/runs/7/train:/home/ana/.local/state/ps/runs/7/train',
    '--workdir=/home/ana/my pipelines/jobs', '--env-file=/home/ana/my pipelines/.pipelines/containers/k3x9.2.1/env', '--env', 'NOTES',
    '--user=1000:1000', '--cpus=4', '--memory=16384m', '--gpus=1', '--network=none', 'ghcr.io/acme/etl:1.4',
    'bash', '-eo', 'pipefail', '/home/ana/my pipelines/.pipelines/containers/k3x9.2.1/script',
  ]);
});

test('golden argv, no container engine run: podman maps a non-root user with keep-id and GPUs as a CDI device; python runs the script file', () => {
  const argv = containerRunArgv({
    engine: 'podman', profile: { ...PROFILE, extra: [] }, name: 'ps-t.1.1-a', runToken: 't', block: 'a', shell: 'python', folder: '/p', mounts: ['/p'],
    cwd: '/p', envFile: '/p/env', inherited: [], scriptFile: '/p/script', resources: { gpus: 2 }, uid: 1001, gid: 100,
  });
  assert.deepEqual(argv, [
    'run', '--rm', '--init', '--name=ps-t.1.1-a', '--label=pipeline-studio.run=t', '--label=pipeline-studio.block=a', '--volume=/p:/p', '--workdir=/p',
    '--env-file=/p/env', '--user=1001:100', '--userns=keep-id', '--device=nvidia.com/gpu=all', 'ghcr.io/acme/etl:1.4', 'python3', '/p/script',
  ]);
});

test('golden argv, no container engine run: kill politely then by force, find and remove leftovers by label', () => {
  assert.deepEqual(killArgv('ps-t.1.1-a', false), ['kill', '--signal=TERM', 'ps-t.1.1-a']);
  assert.deepEqual(killArgv('ps-t.1.1-a', true), ['kill', 'ps-t.1.1-a']);
  assert.deepEqual(leftoversArgv('k3x9'), ['ps', '--all', '--quiet', '--filter=label=pipeline-studio.run=k3x9']);
  assert.deepEqual(leftoversArgv(undefined), ['ps', '--all', '--quiet', '--filter=label=pipeline-studio.run']);
  assert.deepEqual(removeArgv(['a1', 'b2']), ['rm', '--force', 'a1', 'b2']);
  assert.equal(containerName('tok.3.2', 'load data'), 'ps-tok.3.2-load_data');
});

test('the env file holds values literally; a value with a newline goes as --env NAME; host-only variables stay out', () => {
  const env = containerEnv({ A: "it's $(id) `x` \\ %s", PATH: '/usr/bin', HOME: '/root', XDG_RUNTIME_DIR: '/run/user/0', MULTI: 'one\ntwo', 'BASH_FUNC_f%%': '() {}', PIPELINE_OUTPUT: '/r/out' });
  assert.equal(env.envFile, "A=it's $(id) `x` \\ %s\nPIPELINE_OUTPUT=/r/out\n");
  assert.deepEqual(env.inherited, ['MULTI']);
});

test('the engine: a profile\'s choice, else docker when on PATH, else podman', () => {
  assert.equal(chooseEngine('auto', (p) => p === 'podman'), 'podman');
  assert.equal(chooseEngine('auto', () => true), 'docker');
  assert.equal(chooseEngine('podman', (p) => p === 'docker'), undefined);
  assert.equal(chooseEngine('auto', () => false), undefined);
});

function standInDocker(): { dir: string; env: NodeJS.ProcessEnv; calls: () => string[][] } {
  const dir = mkdtempSync(join(tmpdir(), 'docker-stand-in-'));
  const shim = join(dir, 'docker');
  writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${join(import.meta.dirname, 'fixtures', 'docker-stub.mjs')}' "$@"\n`);
  chmodSync(shim, 0o755);
  return {
    dir,
    env: { PATH: `${dir}:${process.env['PATH'] ?? ''}`, STUB_DIR: dir },
    calls: () => readFileSync(join(dir, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]),
  };
}

test('stand-in docker: an attempt runs through docker run, streams its output, keeps its exit code and writes $PIPELINE_OUTPUT; its env file is removed', async () => {
  const stub = standInDocker();
  try {
    const folder = join(stub.dir, 'pipeline');
    const output = join(stub.dir, 'runs', 'out');
    mkdirSync(folder);
    mkdirSync(join(stub.dir, 'runs'));
    writeFileSync(output, '');
    const executor = containerExecutor(PROFILE, { env: stub.env });
    const hostile = "x'; touch pwned; '$(touch pwned2)\nsecond line";
    const r = await runAttempt(executor, {
      shell: 'bash', script: 'printf "%s" "$HOSTILE" > got; echo "rows=3" >> "$PIPELINE_OUTPUT"; echo out; echo err >&2; exit 4', cwd: folder,
      env: { PATH: '/usr/bin:/bin', HOSTILE: hostile, PIPELINE_OUTPUT: output }, tag: 'tok.1.1', timeoutMs: undefined, graceMs: 2000, block: 'a', attempt: 1, runId: 1,
    }).done;
    assert.deepEqual([r.outcome.ok, r.outcome.exitCode, r.outcome.reason], [false, 4, 'exit code 4']);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    assert.equal(readFileSync(join(folder, 'got'), 'utf8'), hostile);
    assert.ok(!existsSync(join(folder, 'pwned')) && !existsSync(join(folder, 'pwned2')));
    assert.equal(readFileSync(output, 'utf8'), 'rows=3\n');
    assert.ok(!existsSync(join(folder, '.pipelines', 'containers', 'tok.1.1', 'env')));
    const run = stub.calls()[0] ?? [];
    assert.ok(run.includes('--name=ps-tok.1.1-a') && run.includes('--env') && run.includes('HOSTILE'), run.join(' '));
  } finally {
    rmSync(stub.dir, { recursive: true, force: true });
  }
});

test('stand-in docker: cancel is a kill by name (TERM, then KILL after the grace period), and a run\'s leftovers are removed by label', async () => {
  const stub = standInDocker();
  try {
    const executor = containerExecutor(PROFILE, { env: stub.env });
    const attempt = runAttempt(executor, {
      shell: 'bash', script: "trap '' TERM; echo ready; sleep 30", cwd: stub.dir, env: {}, tag: 'tok.2.1', timeoutMs: undefined, graceMs: 300, block: 'b', attempt: 1, runId: 1,
    });
    await attempt.started;
    while (!existsSync(join(stub.dir, 'ps-tok.2.1-b.pid'))) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    attempt.stop('cancelled');
    const r = await attempt.done;
    assert.deepEqual([r.outcome.ok, r.outcome.reason], [false, 'cancelled']);
    const kills = stub.calls().filter((c) => c[0] === 'kill');
    assert.deepEqual(kills, [['kill', '--signal=TERM', 'ps-tok.2.1-b'], ['kill', 'ps-tok.2.1-b']], 'the script ignores TERM: the forced kill ends it');
    assert.deepEqual(await removeLeftoverContainers('docker', 'tok', stub.env), ['ps-tok.2.1-b']);
    assert.deepEqual(stub.calls().slice(-2), [['ps', '--all', '--quiet', '--filter=label=pipeline-studio.run=tok'], ['rm', '--force', 'ps-tok.2.1-b']]);
  } finally {
    rmSync(stub.dir, { recursive: true, force: true });
  }
});

test('without docker or podman on PATH the attempt fails at once with the reason', async () => {
  const executor = containerExecutor(PROFILE, { env: { PATH: '/nonexistent' } });
  const r = await runAttempt(executor, { shell: 'bash', script: 'true', cwd: tmpdir(), env: {}, tag: 't.1.1', timeoutMs: undefined, graceMs: 100 }).done;
  assert.deepEqual([r.outcome.ok, r.outcome.reason, r.events], [false, 'no container engine: neither docker nor podman is on PATH', ['started undefined']]);
});
