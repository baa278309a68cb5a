import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore, type RunSummary } from '../../core/src/store/index.ts';
import { TriggerStore, type FireRecord } from '../../core/src/store/triggerStore.ts';
import { tempDir } from '../runner/support.ts';
import { exited, waitFor } from './processSupport.ts';

// The headless `pipeline-studio schedule` as a real process: file events, SIGTERM with and
// without --drain, and on_failure given a hostile value. Waits are for events, with generous limits.

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.cjs');

function start(folder: string, args: string[] = []): { child: ChildProcess; output: string[] } {
  const child = spawn(process.execPath, [cli, 'schedule', folder, '--store', join(folder, 'runs.sqlite'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  return { child, output };
}

function state(folder: string): { runs: RunSummary[]; fires: FireRecord[] } {
  const path = join(folder, 'runs.sqlite');
  if (!existsSync(path)) return { runs: [], fires: [] };
  const store = openStore(path);
  const triggers = TriggerStore.open(store);
  try {
    return { runs: store.listRuns({ limit: 1000 }), fires: triggers.fires() };
  } finally {
    triggers.close();
    store.close();
  }
}



function folderWith(yaml: string): string {
  const folder = tempDir('ps-headless-');
  writeFileSync(join(folder, 'p.pipeline.yaml'), yaml);
  return folder;
}

test('files: 20 writes within a second make one run, recorded as event:on-data with the file', { timeout: 120_000 }, async () => {
  const folder = folderWith('triggers:\n  on-data:\n    files: ["data/**/*.csv"]\n    debounce: 2s\nblocks:\n  a:\n    run: echo got data\n');
  mkdirSync(join(folder, 'data', 'in'), { recursive: true });
  const s = start(folder);
  try {
    await waitFor('the lease', () => (s.output.join('').includes('holds the lease') ? true : undefined));
    await waitFor('the watcher\'s initial scan', () => (s.output.join('').includes('watching ') ? true : undefined));
    for (let i = 0; i < 20; i++) {
      writeFileSync(join(folder, 'data', 'in', 'orders.csv'), `row,${i}\n`);
      await sleep(50);
    }
    writeFileSync(join(folder, 'data', 'notes.txt'), 'not a csv'); // not matched
    const { runs } = await waitFor('a run', () => {
      const st = state(folder);
      return st.runs.some((r) => r.status === 'completed') ? st : undefined;
    });
    await sleep(3000); // any second fire would come within the debounce (2 s) after the last write
    const after = state(folder);
    assert.equal(after.runs.length, 1, s.output.join(''));
    assert.equal(runs[0]?.trigger, 'event:on-data');
    assert.equal(after.fires.length, 1);
    assert.equal(after.fires[0]?.detail, join(folder, 'data', 'in', 'orders.csv'));
  } finally {
    s.child.kill('SIGTERM');
    await exited(s.child);
  }
});

for (const drain of [false, true]) {
  test(`SIGTERM ${drain ? 'with --drain lets the run in flight finish' : 'cancels the run in flight and records it'}; exit 0`, { timeout: 120_000 }, async () => {
    const folder = folderWith(`triggers:\n  fresh:\n    always: true\n    min_gap: 1h\nblocks:\n  a:\n    run: echo started; sleep ${drain ? 2 : 60}; echo done\n`);
    const s = start(folder, drain ? ['--drain'] : []);
    await waitFor('the run to start', () => (state(folder).runs.some((r) => r.status === 'running') ? true : undefined));
    await sleep(300);
    s.child.kill('SIGTERM');
    assert.equal(await exited(s.child), 0, s.output.join(''));
    const { runs } = state(folder);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]?.status, drain ? 'completed' : 'cancelled');
    assert.equal(runs[0]?.trigger, 'always:fresh');
    assert.match(s.output.join(''), drain ? /SIGTERM: stopping; letting runs in flight finish/ : /SIGTERM: stopping; cancelling runs in flight/);
    assert.match(s.output.join(''), /ended: (completed|cancelled)\n[^]*stopped\n$/);
  });
}

test('on_failure runs with the run in its environment; a hostile variable value stays data', { timeout: 120_000 }, async () => {
  const folder = folderWith([
    'variables:',
    '  who: nobody',
    'triggers:',
    '  once:',
    // An interval, not a moment: a fixed `at` could pass before a slow machine has started the scheduler.
    '    every: 1s',
    '    variables: { who: "$(touch pwned); `touch pwned2`" }',
    'on_failure: printf "%s|%s|%s|%s" "$PIPELINE_RUN_ID" "$PIPELINE_STATUS" "$PIPELINE_TRIGGER" "$PIPELINE_VAR_WHO" > failure.txt',
    'blocks:',
    '  a:',
    '    run: exit 3',
    '',
  ].join('\n'));
  const s = start(folder);
  try {
    const text = await waitFor('on_failure', () => (existsSync(join(folder, 'failure.txt')) && readFileSync(join(folder, 'failure.txt'), 'utf8') !== '' ? readFileSync(join(folder, 'failure.txt'), 'utf8') : undefined));
    assert.match(text, /^\d+\|failed\|schedule:once\|\$\(touch pwned\); `touch pwned2`$/);
    assert.equal(existsSync(join(folder, 'pwned')) || existsSync(join(folder, 'pwned2')), false);
  } finally {
    s.child.kill('SIGTERM');
    await exited(s.child);
  }
});

test('SIGKILLed and restarted, a scheduler takes over the dead holder\'s lease and runs the latest missed tick once (catch_up: latest)', { timeout: 120_000 }, async () => {
  const folder = folderWith('catch_up: latest\ntriggers:\n  tick:\n    every: 2s\nblocks:\n  a:\n    run: echo tick\n');
  const first = start(folder);
  await waitFor('a fire', () => (state(folder).fires.some((f) => f.runId !== undefined) ? true : undefined));
  first.child.kill('SIGKILL');
  await exited(first.child);
  const killedAt = Date.now();
  const lastTick = Math.max(...state(folder).fires.map((f) => f.scheduledFor));
  await sleep(5000); // two ticks or more go by with no scheduler
  const restartedAt = Date.now();
  const second = start(folder);
  try {
    const caught = await waitFor('the catch-up fire', () => state(folder).fires.find((f) => f.scheduledFor > lastTick));
    assert.match(second.output.join(''), /catching up tick of p: missed /);
    // The latest missed tick, not the first one missed; and only it.
    assert.ok(caught.scheduledFor >= restartedAt - 2000 && caught.scheduledFor <= caught.firedAt, `${caught.scheduledFor - restartedAt}`);
    assert.ok(caught.scheduledFor > lastTick + 2000);
    // The dead holder's lease was taken at once (its pid is gone), not after its heartbeat went stale (20 s).
    assert.ok(caught.firedAt < killedAt + 20_000, `${caught.firedAt - killedAt} ms after the kill`);
  } finally {
    second.child.kill('SIGTERM');
    await exited(second.child);
  }
});
