import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cancelOnSignal } from '../../core/src/cli/cancelOnSignal.ts';

// The signal wiring `run` and `run --executor` (Argo) share: SIGINT/SIGTERM cancel while the run
// goes, the message is printed once, the handlers are gone once it has ended.

test('SIGINT and SIGTERM cancel while the run goes (message once), and the handlers are removed when it ends', async () => {
  const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
  const printed: string[] = [];
  let cancels = 0;
  let finish: (value: string) => void = () => undefined;
  const done = new Promise<string>((resolve) => (finish = resolve));
  const ended = cancelOnSignal({ err: (line) => printed.push(line) }, 'cancelling', () => void cancels++, done);
  assert.deepEqual([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')], [before[0]! + 1, before[1]! + 1]);
  process.emit('SIGINT');
  process.emit('SIGTERM');
  finish('cancelled');
  assert.deepEqual(await ended, { result: 'cancelled', interrupted: true });
  assert.equal(cancels, 2, 'each signal reaches cancel (which is idempotent)');
  assert.deepEqual(printed, ['cancelling']);
  assert.deepEqual([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')], before);
});

test('a run that ends without a signal is not interrupted, and a failed one still removes the handlers', async () => {
  const before = process.listenerCount('SIGINT');
  assert.deepEqual(await cancelOnSignal({ err: () => undefined }, 'x', () => assert.fail('no signal came'), Promise.resolve(0)), { result: 0, interrupted: false });
  await assert.rejects(cancelOnSignal({ err: () => undefined }, 'x', () => undefined, Promise.reject(new Error('boom'))), /boom/);
  assert.equal(process.listenerCount('SIGINT'), before);
});
