import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import { TriggerStore, type FireRecord } from '../../core/src/store/triggerStore.ts';
import { tempDir } from '../runner/support.ts';
import { exited, waitFor } from './processSupport.ts';

// Three real `pipeline-studio schedule` processes on one store: one holds the lease and fires
// every tick; SIGKILLed, another takes over. Bounds only catch a wrong count or owner, never speed.
// The killed holder's lease is taken because its pid is gone (asked on this host), not because its
// heartbeat went stale; so staleness is set far off (a hang guard): with the 4-heartbeat default
// (1.2 s), a holder the loaded machine starved for a second lost its lease to a live peer, and the
// first fires had two holders (a rightful takeover, but not the one this test is about).

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.cjs');

function startScheduler(folder: string, store: string): { child: ChildProcess; output: string[] } {
  const child = spawn(process.execPath, [cli, 'schedule', folder, '--store', store], {
    env: { ...process.env, PIPELINE_STUDIO_LEASE_HEARTBEAT_MS: '300', PIPELINE_STUDIO_LEASE_STALE_MS: '120000' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  return { child, output };
}

function fires(store: string): FireRecord[] {
  const runs = openStore(store);
  const triggers = TriggerStore.open(runs);
  try {
    return triggers.fires();
  } finally {
    triggers.close();
    runs.close();
  }
}

test('three schedulers on one store: only the lease holder fires; SIGKILLed, another takes over; no tick fires twice', { timeout: 180_000 }, async () => {
  const folder = tempDir('ps-lease-');
  writeFileSync(join(folder, 'tick.pipeline.yaml'), 'triggers:\n  tick:\n    every: 1s\nblocks:\n  a:\n    run: echo tick\n');
  const store = join(folder, 'runs.sqlite');
  openStore(store).close();
  const schedulers = [0, 1, 2].map(() => startScheduler(folder, store));
  try {
    const early = await waitFor('three fires', () => {
      const f = fires(store).filter((x) => x.runId !== undefined);
      return f.length >= 3 ? f : undefined;
    });
    const leader = early[0]?.holder ?? '';
    assert.deepEqual([...new Set(early.map((f) => f.holder))], [leader], 'every fire is by the lease holder');
    const leaderPid = Number(leader.split(':')[1]);
    const victim = schedulers.find((s) => s.child.pid === leaderPid);
    assert.ok(victim !== undefined, `the holder ${leader} is one of the three`);
    victim.child.kill('SIGKILL');
    await exited(victim.child);
    const takeover = await waitFor('a fire by another scheduler', () => {
      const f = fires(store).filter((x) => x.holder !== leader && x.runId !== undefined);
      return f.length >= 2 ? f : undefined;
    });
    const successor = takeover[0]?.holder ?? '';
    assert.deepEqual([...new Set(takeover.map((f) => f.holder))], [successor]);
    for (const s of schedulers) if (s !== victim) s.child.kill('SIGTERM');
    for (const s of schedulers) if (s !== victim) assert.equal(await exited(s.child), 0, s.output.join(''));
    const all = fires(store);
    const ticks = all.map((f) => `${f.trigger}@${f.scheduledFor}`);
    assert.equal(new Set(ticks).size, ticks.length, 'a tick fired twice');
    const runs = openStore(store);
    try {
      const recorded = runs.listRuns({ limit: 1000 });
      // Each fire that started a run has exactly that run, recorded with its trigger.
      const started = all.filter((f) => f.runId !== undefined);
      assert.equal(recorded.length, started.length);
      assert.deepEqual([...new Set(recorded.map((r) => r.trigger))], ['schedule:tick']);
      assert.deepEqual([...new Set(started.map((f) => f.holder))].sort(), [leader, successor].sort());
    } finally {
      runs.close();
    }
  } finally {
    for (const s of schedulers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  }
});
