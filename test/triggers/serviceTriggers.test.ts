import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SocketRunnerClient } from '../../core/src/runner/client.ts';
import { listenOnSocket } from '../../core/src/runner/serviceSocket.ts';
import { openStore } from '../../core/src/store/index.ts';
import {
  DisableTriggersRequest, EnableTriggersRequest, FileEventsNotification, RunTriggerNowRequest, TriggerStateNotification, type TriggerState,
} from '../../core/src/triggers/triggerProtocol.ts';
import { tempDir } from '../runner/support.ts';
import { waitFor } from './processSupport.ts';

// The triggers of the runner service, as an editor window drives them: over its socket, with real
// pipeline files, a real store and real runs. File events come as the editor's watcher would send
// them. Waits are hang guards only: each condition is exact once it holds.

const PIPELINE = (trigger: string) => `triggers:\n${trigger}\nblocks:\n  a:\n    run: echo hi\n`;

async function serviceOn(folder: string) {
  const socket = join(tempDir('ps-trsock-'), 's.sock');
  const service = await listenOnSocket(socket, { idleMs: 60_000 });
  assert.ok(service !== undefined);
  const client = await SocketRunnerClient.connect(socket);
  const states: TriggerState[] = [];
  client.connection.onNotification(TriggerStateNotification, (state) => {
    states.push(state);
  });
  const store = join(folder, '.pipelines', 'runs.sqlite');
  const latest = (): TriggerState | undefined => states.at(-1);
  const enable = () => client.connection.sendRequest(EnableTriggersRequest, { store, folders: [folder], disabled: [], longRunningAlert: true });
  const files = (...paths: string[]) => void client.connection.sendNotification(FileEventsNotification, { paths });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= (async () => {
    await client.connection.sendRequest(DisableTriggersRequest, { store });
    await client.close();
    await service.stop();
  })());
  return { client, store, states, latest, enable, files, stop };
}

function runsOf(store: string): string[] {
  const runs = openStore(store);
  try {
    return runs.listRuns().map((r) => `${r.trigger} ${r.status}`).sort();
  } finally {
    runs.close();
  }
}

test('an edited or new pipeline file is re-read by the running scheduler; a file with errors keeps no triggers and says why', { timeout: 120_000 }, async (t) => {
  const folder = tempDir('ps-trsvc-');
  const a = join(folder, 'a.pipeline.yaml');
  writeFileSync(a, PIPELINE('  nightly:\n    cron: "0 3 * * *"'));
  const s = await serviceOn(folder);
  t.after(() => s.stop());
  const first = await s.enable();
  assert.deepEqual(first.triggers.map((t) => `${t.pipeline} ${t.trigger} ${t.kind}`), ['a nightly cron']);
  assert.deepEqual(first.refused, []);

  // Edited: the trigger is renamed and another added.
  writeFileSync(a, PIPELINE('  weekly:\n    cron: "0 3 * * 1"\n  hourly:\n    every: 1h'));
  s.files(a);
  await waitFor('the edit to be read', () => (s.latest()?.triggers.map((t) => t.trigger).join() === 'weekly,hourly' ? true : undefined));

  // New file, and one with an error: the new one's triggers come, the broken one keeps none and says why.
  const b = join(folder, 'sub', 'b.pipeline.yaml');
  mkdirSync(join(folder, 'sub'));
  writeFileSync(b, PIPELINE('  often:\n    every: 5m'));
  const broken = join(folder, 'broken.pipeline.yaml');
  writeFileSync(broken, PIPELINE('  bad:\n    cron: "0 99 * * *"'));
  s.files(b, broken);
  const state = await waitFor('the new files to be read', () => (s.latest()?.triggers.some((t) => t.trigger === 'often') === true ? s.latest() : undefined));
  assert.deepEqual(state.triggers.map((t) => `${t.pipeline} ${t.trigger}`).sort(), ['a hourly', 'a weekly', 'b often']);
  assert.equal(state.refused.length, 1);
  assert.match(state.refused[0] ?? '', /broken\.pipeline\.yaml:3:11: invalid-cron: /);

  // Fixed, the broken file gets its trigger; an error in a file that had triggers takes them away.
  writeFileSync(broken, PIPELINE('  bad:\n    cron: "0 9 * * *"'));
  writeFileSync(a, PIPELINE('  weekly:\n    cron: "0 3 * * 1"\n    on_timeout: sometimes'));
  s.files(broken, a);
  const fixed = await waitFor('the fix to be read', () => (s.latest()?.triggers.some((t) => t.trigger === 'bad') === true ? s.latest() : undefined));
  assert.deepEqual(fixed.triggers.map((t) => `${t.pipeline} ${t.trigger}`).sort(), ['b often', 'broken bad']);
  assert.match(fixed.refused[0] ?? '', /a\.pipeline\.yaml:4:17: invalid-value: /);
});

test('files: the editor\'s file events fire an event trigger (one run for a burst); Run Now starts a run with the trigger\'s label', { timeout: 120_000 }, async (t) => {
  const folder = tempDir('ps-trsvc-');
  const file = join(folder, 'p.pipeline.yaml');
  writeFileSync(file, PIPELINE('  on-data:\n    files: ["data/*.csv"]\n    debounce: 200ms\n  nightly:\n    cron: "0 3 * * *"'));
  const s = await serviceOn(folder);
  t.after(() => s.stop());
  const state = await s.enable();
  assert.deepEqual(state.watch, [{ folder, globs: ['data/*.csv'] }]);
  await waitFor('the lease', () => (s.latest()?.leader === true ? true : undefined));
  mkdirSync(join(folder, 'data'));
  for (let i = 0; i < 5; i++) {
    writeFileSync(join(folder, 'data', `${i}.csv`), 'x');
    s.files(join(folder, 'data', `${i}.csv`), join(folder, 'data', `${i}.txt`));
  }
  await waitFor('the event run', () => (runsOf(s.store).includes('event:on-data completed') ? true : undefined));
  const now = await s.client.connection.sendRequest(RunTriggerNowRequest, { store: s.store, file, trigger: 'nightly' });
  assert.equal(now.store, s.store);
  await waitFor('the run now', () => (runsOf(s.store).includes('schedule:nightly completed') ? true : undefined));
  await assert.rejects(s.client.connection.sendRequest(RunTriggerNowRequest, { store: s.store, file, trigger: 'missing' }), /No trigger 'missing'/);
  assert.deepEqual(runsOf(s.store), ['event:on-data completed', 'schedule:nightly completed']);
});
