import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockGate } from '../../core/src/runner/gate.ts';
import type { RunHandle } from '../../core/src/runner/engine.ts';
import { runYaml, sleep, waitFor } from '../runner/support.ts';

// The engine's "before block starts" gate, in process: what the debugger's pauses rest on.

/** A gate that holds every block until released by hand, remembering what it was shown. */
function holdingGate(): { gates: BlockGate[]; release: (block: string) => void; handler: (gate: BlockGate) => Promise<void> } {
  const gates: BlockGate[] = [];
  const waiting = new Map<string, () => void>();
  return {
    gates,
    release: (block) => waiting.get(block)?.(),
    handler: (gate) => {
      gates.push(gate);
      return new Promise((resolve) => waiting.set(gate.block, resolve));
    },
  };
}

test('a held block does not start until released, and sees resolved values and finished upstream blocks', async () => {
  const gate = holdingGate();
  let handle: RunHandle | undefined;
  const running = runYaml(`variables:
  who: { default: world }
blocks:
  a:
    run: echo "x=1" >> "$PIPELINE_OUTPUT"
  b:
    depends_on: a
    run: echo "b"
  c:
    depends_on: b
    env:
      GREETING: hi \${{ vars.who }}
    run: echo "\${{ blocks.a.outputs.x }} $GREETING"
`, { beforeBlock: gate.handler, onStart: (h) => (handle = h) });
  await waitFor(() => gate.gates.length === 1, undefined, 'the gate of a');
  await sleep(150);
  // Held: a has not started, so b is not even ready.
  assert.deepEqual(gate.gates.map((g) => g.block), ['a']);
  gate.release('a');
  await waitFor(() => gate.gates.length === 2, undefined, 'the gate of b');
  gate.release('b');
  await waitFor(() => gate.gates.length === 3, undefined, 'the gate of c');
  const c = gate.gates[2];
  assert.equal(c?.block, 'c');
  assert.equal(c?.definedEnv.GREETING, 'hi world');
  assert.equal(c?.env.GREETING, 'hi world');
  assert.match(c?.command ?? '', /echo /);
  assert.deepEqual(Object.keys(c?.upstream ?? {}).sort(), ['a', 'b']);
  assert.equal(c?.upstream.a?.outputs.x, '1');
  assert.equal(c?.attempt, 1);
  assert.equal(c?.runId, handle?.runId);
  gate.release('c');
  const finished = await running;
  assert.equal(finished.result.status, 'completed');
  assert.equal(finished.log('c'), '1 hi world\n');
});

test('a held block keeps its concurrency slot; retries are not held again', async () => {
  const gate = holdingGate();
  let asked = 0;
  const running = runYaml(`concurrency: 1
blocks:
  a:
    run: echo a
  b:
    retry: { attempts: 2, delay: 10ms }
    run: test -e marker || { touch marker; exit 1; }
`, {
    beforeBlock: (g) => {
      asked++;
      return gate.handler(g);
    },
  });
  await waitFor(() => gate.gates.length === 1, undefined, 'the first gate');
  await sleep(150);
  assert.equal(gate.gates.length, 1, 'with one slot, the second block waits behind the held one');
  gate.release(gate.gates[0]?.block ?? '');
  await waitFor(() => gate.gates.length === 2, undefined, 'the second gate');
  gate.release(gate.gates[1]?.block ?? '');
  const finished = await running;
  assert.equal(finished.result.status, 'completed');
  assert.equal(finished.block('b').attempts, 2);
  assert.equal(asked, 2);
});

test('cancelling the run or the block while it is held ends it cancelled; the late release is ignored', async () => {
  const gate = holdingGate();
  let handle: RunHandle | undefined;
  const running = runYaml(`blocks:
  held:
    run: echo never
  other:
    run: echo never either
  after:
    depends_on: held
    run: echo never
`, { beforeBlock: gate.handler, onStart: (h) => (handle = h) });
  await waitFor(() => gate.gates.length === 2, undefined, 'both gates');
  assert.equal(handle?.cancelBlock('held'), true);
  await sleep(50);
  gate.release('held');
  handle?.cancel();
  gate.release('other');
  const finished = await running;
  assert.equal(finished.result.status, 'cancelled');
  assert.equal(finished.block('held').status, 'cancelled');
  assert.equal(finished.block('held').attempts, 0);
  assert.equal(finished.block('other').status, 'cancelled');
  assert.equal(finished.block('after').status, 'cancelled');
  assert.ok(!finished.events.some((e) => e.type === 'block-attempt'), 'no process started');
});

test('a gate that answers undefined lets blocks start at once', async () => {
  const seen: string[] = [];
  const { result } = await runYaml('blocks:\n  a:\n    run: echo a\n  b:\n    depends_on: a\n    run: echo b\n', {
    beforeBlock: (g) => {
      seen.push(g.block);
      return undefined;
    },
  });
  assert.equal(result.status, 'completed');
  assert.deepEqual(seen, ['a', 'b']);
});
