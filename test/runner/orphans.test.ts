import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunnerClient } from '../../core/src/runner/client.ts';
import { openStore } from '../../core/src/store/index.ts';
import { createRunFolder } from '../../core/src/store/runFolders.ts';
import { alive, CLI, readPid, sleep, tempDir, waitFor } from './support.ts';

// Nothing outlives its run: when the process running blocks dies without warning (SIGKILL), its
// launch helpers, which double as supervisors, stop every process its blocks started, including
// grandchildren and processes that left the block's process group with setsid.

/**
 * A block that starts a sleep in its own group, a grandchild behind a second shell, and a setsid
 * escapee in a session of its own that ignores SIGTERM (so only the SIGKILL that follows a second
 * later stops it), writes their pids and its run folder, then waits.
 */
const FAMILY = `blocks:
  a:
    run: |
      sleep 30 &
      echo $! > sleep.pid
      sh -c 'sleep 30 & echo $! > grandchild.pid; wait' &
      setsid sh -c 'trap "" TERM; echo $$ > escapee.pid; exec sleep 30' &
      echo $$ > block.pid
      dirname "$PIPELINE_OUTPUT" > folder.txt
      while [ ! -s grandchild.pid ] || [ ! -s escapee.pid ]; do sleep 0.05; done
      echo started
      wait
`;

const PIDS = ['block', 'sleep', 'grandchild', 'escapee'];

/**
 * The 2 s is the promise, and a bound that only an orphan breaks: what is not stopped lives on
 * for 30 s. It is counted from when this process sees the killed process gone, i.e. after the
 * kernel has closed the supervisor's pipe; the supervisor's own SIGTERM→SIGKILL grace is 0.5 s,
 * which the escapee that ignores SIGTERM waits out.
 */
const ORPHAN_BOUND_MS = 2000;

function familyDir(): string {
  const dir = tempDir('ps-orphans-');
  writeFileSync(join(dir, 'p.pipeline.yaml'), FAMILY);
  return dir;
}

function familyPids(dir: string): Record<string, number> {
  return Object.fromEntries(PIDS.map((name) => [name, readPid(join(dir, `${name}.pid`))]));
}

/** Kills whatever a failed test left, so one failure does not leave sleeps behind. */
function cleanUp(dir: string): void {
  for (const name of PIDS) {
    try {
      process.kill(readPid(join(dir, `${name}.pid`)), 'SIGKILL');
    } catch {
      // not written, or gone
    }
  }
}

/** Waits (bounded) until every pid is gone; returns when each went (ms after `since`), or throws naming the survivors. */
async function goneWithin(pids: Record<string, number>, boundMs: number, since: number): Promise<string> {
  const goneAt = new Map<string, number>();
  for (;;) {
    const elapsed = performance.now() - since;
    for (const [name, pid] of Object.entries(pids)) if (!goneAt.has(name) && !alive(pid)) goneAt.set(name, elapsed);
    if (goneAt.size === Object.keys(pids).length) return [...goneAt].map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`).join(', ');
    if (elapsed > boundMs) assert.fail(`still alive ${Math.round(elapsed)} ms after the kill: ${Object.keys(pids).filter((name) => !goneAt.has(name)).map((name) => `${name} (${pids[name]})`).join(', ')}`);
    await sleep(10);
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

for (const mode of ['helpers', 'direct'] as const) {
  test(`a CLI run killed with SIGKILL leaves no process behind (${mode === 'helpers' ? 'launch helpers' : 'PIPELINE_STUDIO_SPAWN=direct'}): its block, a grandchild, a setsid escapee are gone within 2 s, and its run folder`, async (t) => {
    const dir = familyDir();
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    if (mode === 'direct') env.PIPELINE_STUDIO_SPAWN = 'direct';
    else delete env.PIPELINE_STUDIO_SPAWN;
    const cli = spawn(process.execPath, [CLI, 'run', 'p.pipeline.yaml'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
      cli.stderr.on('data', (d: Buffer) => (out += d.toString()));
      await waitFor(() => out.includes('a | started'), undefined, 'the block and its processes to start');
      const pids = familyPids(dir);
      const folder = readFileSync(join(dir, 'folder.txt'), 'utf8').trim();
      assert.ok(existsSync(folder), 'the run folder exists while it runs');
      for (const [name, pid] of Object.entries(pids)) assert.ok(alive(pid), `${name} runs`);
      cli.kill('SIGKILL');
      await exited(cli);
      const latency = await goneWithin(pids, ORPHAN_BOUND_MS, performance.now());
      t.diagnostic(`gone after the CLI was seen dead: ${latency}`);
      await waitFor(() => !existsSync(folder), ORPHAN_BOUND_MS, 'the supervisor to remove the run folder');
    } finally {
      cli.kill('SIGKILL');
      cleanUp(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('`serve --stdio` killed with SIGKILL mid-run: every block process of its runs is gone within 2 s', async (t) => {
  const dirs = [familyDir(), familyDir()];
  const store = join(tempDir('ps-store-'), 'runs.sqlite');
  const env = { ...process.env };
  delete env.PIPELINE_STUDIO_SPAWN;
  const client = new RunnerClient(process.execPath, [CLI, 'serve', '--stdio'], { env });
  try {
    // Two runs at once, so both the helper of one and the helper of the other must act.
    for (const dir of dirs) await client.startRun({ file: join(dir, 'p.pipeline.yaml'), store });
    await waitFor(() => dirs.every((dir) => PIDS.every((name) => existsSync(join(dir, `${name}.pid`))) && existsSync(join(dir, 'folder.txt'))), undefined, 'both runs\' processes to start');
    await waitFor(() => dirs.every((dir) => Object.values(familyPids(dir)).every((pid) => pid > 0 && alive(pid))), 5000, 'every pid to be written');
    const pids = Object.fromEntries(dirs.flatMap((dir, n) => Object.entries(familyPids(dir)).map(([name, pid]) => [`run ${n + 1} ${name}`, pid])));
    client.child.kill('SIGKILL');
    await exited(client.child);
    const latency = await goneWithin(pids, ORPHAN_BOUND_MS, performance.now());
    t.diagnostic(`gone after the service was seen dead: ${latency}`);
    const reader = openStore(store);
    assert.deepEqual(reader.listRuns().map((r) => r.status), ['interrupted', 'interrupted']);
    reader.close();
  } finally {
    client.child.kill('SIGKILL');
    for (const dir of dirs) {
      cleanUp(dir);
      rmSync(dir, { recursive: true, force: true });
    }
    rmSync(join(store, '..'), { recursive: true, force: true });
  }
});

test('after a SIGKILL that also took the supervisors, the next store open marks the run interrupted and removes its run folder, and only that one', async () => {
  const dir = familyDir();
  const store = join(dir, '.pipelines', 'runs.sqlite');
  // Its own process group, so that one SIGKILL takes the CLI and its launch helpers at once (an
  // OOM kill, a killed terminal): no supervisor is left to clean, so the store has to.
  const cli = spawn(process.execPath, [CLI, 'run', 'p.pipeline.yaml'], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const decoys: string[] = [];
  try {
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes('a | started'), undefined, 'the block to start');
    const folder = readFileSync(join(dir, 'folder.txt'), 'utf8').trim();
    const cliPid = cli.pid ?? 0;
    process.kill(-cliPid, 'SIGKILL');
    await exited(cli);
    cleanUp(dir);
    // Folders that must survive: another run of this store (a live owner: this process), and
    // look-alikes of the dead run's name that mkdtemp did not make.
    decoys.push(createRunFolder(store, 2));
    decoys.push(`${folder}x`, `${folder.slice(0, -6)}abc-de`);
    for (const decoy of decoys.slice(1)) mkdirSync(decoy);
    writeFileSync(join(tmpdir(), `${folder.slice(tmpdir().length + 1, -6)}FILE01`), 'not a folder');
    decoys.push(join(tmpdir(), `${folder.slice(tmpdir().length + 1, -6)}FILE01`));
    await sleep(300);
    assert.ok(existsSync(join(folder, '0-1.out')), 'with its supervisor killed too, the run folder is still there');

    const opened = openStore(store);
    const run = opened.listRuns()[0];
    opened.close();
    assert.equal(run?.status, 'interrupted');
    assert.equal(existsSync(folder), false, 'the interrupted run\'s folder was removed');
    for (const decoy of decoys) assert.ok(existsSync(decoy), `${decoy} was left alone`);
  } finally {
    try {
      process.kill(-(cli.pid ?? 0), 'SIGKILL');
    } catch {
      // gone
    }
    cleanUp(dir);
    for (const decoy of decoys) rmSync(decoy, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
