import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { alive, pipelineDir, readPid, tempDir, waitFor } from '../runner/support.ts';
import { launchWithBreakpoints, scopeVariables, startAdapter, storedRun } from './dapSupport.ts';

// The debug adapter as VS Code meets it: a separate process speaking DAP over stdio, with a real
// runner service process spawning real blocks and a real SQLite store.

const PIPELINE = `variables:
  env:
    default: dev
blocks:
  prepare:
    outputs: [n]
    run: echo "n=5" >> "$PIPELINE_OUTPUT"; echo prepared
  build:
    depends_on: prepare
    env:
      TARGET: \${{ vars.env }}-x
    run: |
      echo "building \${{ blocks.prepare.outputs.n }} for $TARGET"
  ship:
    depends_on: build
    run: echo shipped
`;
// 1-based lines of PIPELINE: 3 is a variable default, 8 is build's id, 13 its run line, 14 ship's id.

function setup(): { file: string; store: string } {
  const { file } = pipelineDir(PIPELINE);
  return { file, store: join(tempDir('ps-debug-store-'), 'runs.sqlite') };
}

test('a breakpoint on a run line stops before its block, with scopes, variables and evaluation; step over and continue to the end', async () => {
  const client = await startAdapter();
  const { file, store } = setup();
  try {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const set = await launchWithBreakpoints(client, { pipeline: file, store }, file, [{ line: 13 }, { line: 3 }]);
    assert.deepEqual(set.body.breakpoints.map((b) => b.verified), [true, false]);
    assert.match(set.body.breakpoints[1]?.message ?? '', /Not on a block/);

    const first = await stopped;
    assert.equal(first.body.reason, 'breakpoint');
    const threadId = first.body.threadId ?? 0;
    const threads = await client.threadsRequest();
    assert.ok(threads.body.threads.some((t) => t.id === threadId && t.name === 'build (paused)'), JSON.stringify(threads.body.threads));
    const stack = await client.stackTraceRequest({ threadId });
    assert.equal(stack.body.stackFrames[0]?.line, 8);
    assert.equal(stack.body.stackFrames[0]?.source?.path, file);

    const scopes = await scopeVariables(client, stack.body.stackFrames[0]?.id ?? 0);
    assert.deepEqual(Object.keys(scopes), ['Block', 'Variables', 'Upstream outputs', 'Run']);
    assert.match(scopes.Block?.command ?? '', /building 5 for/);
    assert.equal(scopes.Block?.['env.TARGET'], '"dev-x"');
    assert.equal(scopes.Block?.attempt, '1 of 1');
    assert.equal(scopes.Variables?.env, "'dev'");
    assert.equal(scopes['Upstream outputs']?.['prepare.n'], '"5"');
    assert.equal(scopes['Upstream outputs']?.['prepare.status'], 'completed');
    assert.equal(scopes.Run?.['blocks.completed'], '1');

    const frameId = stack.body.stackFrames[0]?.id;
    assert.equal((await client.evaluateRequest({ expression: 'blocks.prepare.outputs.n', frameId, context: 'repl' })).body.result, "'5'");
    assert.equal((await client.evaluateRequest({ expression: "${{ vars.env == 'dev' && env.TARGET }}", frameId, context: 'repl' })).body.result, "'dev-x'");
    await assert.rejects(client.evaluateRequest({ expression: 'blocks.ship.outputs.x', frameId, context: 'repl' }), /Only finished upstream blocks of 'build'/);
    await assert.rejects(client.evaluateRequest({ expression: 'vars.env ==', frameId, context: 'repl' }), /./);

    const stepped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.nextRequest({ threadId });
    const second = await stepped;
    assert.equal(second.body.reason, 'step');
    const shipStack = await client.stackTraceRequest({ threadId: second.body.threadId ?? 0 });
    assert.equal(shipStack.body.stackFrames[0]?.line, 14);
    const shipScopes = await scopeVariables(client, shipStack.body.stackFrames[0]?.id ?? 0);
    assert.equal(shipScopes['Upstream outputs']?.['build.status'], 'completed');

    const terminated = client.waitForEvent('terminated');
    const output: string[] = [];
    client.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    await client.continueRequest({ threadId });
    await terminated;
    assert.ok(output.some((o) => /Run #\d+ completed/.test(o)), output.join(''));
    const { run, blocks } = storedRun(store, 1);
    assert.equal(run?.trigger, 'debug');
    assert.equal(run?.status, 'completed');
    assert.deepEqual(blocks, [['prepare', 'completed'], ['build', 'completed'], ['ship', 'completed']]);
  } finally {
    await client.stop();
  }
});

test('conditional breakpoints use the expression language; stop on entry stops before the first block', async () => {
  const client = await startAdapter();
  const { file, store } = setup();
  try {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const set = await launchWithBreakpoints(client, { pipeline: file, store, variables: { env: 'prod' }, stopOnEntry: true }, file, [
      { line: 8, condition: "vars.env == 'dev'" },
      { line: 16, condition: "vars.env == 'prod' && blocks.build.status == 'completed'" },
      { line: 5, condition: 'vars.env ==' },
    ]);
    assert.deepEqual(set.body.breakpoints.map((b) => b.verified), [true, true, false]);
    assert.match(set.body.breakpoints[2]?.message ?? '', /^Condition: /);
    const entry = await stopped;
    assert.equal(entry.body.reason, 'entry');
    const entryFrame = await client.stackTraceRequest({ threadId: entry.body.threadId ?? 0 });
    assert.equal(entryFrame.body.stackFrames[0]?.line, 5);

    const next = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.continueRequest({ threadId: entry.body.threadId ?? 0 });
    const hit = await next;
    assert.equal(hit.body.reason, 'breakpoint');
    const frame = await client.stackTraceRequest({ threadId: hit.body.threadId ?? 0 });
    // The false condition on build let it run; the true one on ship stopped.
    assert.equal(frame.body.stackFrames[0]?.line, 14);
    const terminated = client.waitForEvent('terminated');
    await client.continueRequest({ threadId: hit.body.threadId ?? 0 });
    await terminated;
    assert.equal(storedRun(store, 1).run?.status, 'completed');
  } finally {
    await client.stop();
  }
});

test('Stop while paused cancels the run: process trees killed, run recorded cancelled', async () => {
  const client = await startAdapter();
  const { dir, file } = pipelineDir(`blocks:
  long:
    run: sleep 30 & echo $! > sleeper.pid; wait
  gated:
    run: echo never
  after:
    depends_on: [long, gated]
    run: echo never
`);
  const store = join(tempDir('ps-debug-store-'), 'runs.sqlite');
  try {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await launchWithBreakpoints(client, { pipeline: file, store }, file, [{ line: 5 }]);
    await stopped;
    const pidFile = join(dir, 'sleeper.pid');
    await waitFor(() => { try { return readPid(pidFile) > 0; } catch { return false; } }, undefined, 'the sleeper to start');
    const sleeper = readPid(pidFile);
    assert.ok(alive(sleeper));
    const threads = await client.threadsRequest();
    assert.deepEqual(threads.body.threads.map((t) => t.name).slice(1).sort(), ['gated (paused)', 'long (running)']);

    const terminated = client.waitForEvent('terminated');
    await client.terminateRequest();
    await terminated;
    await waitFor(() => !alive(sleeper), 5000, 'the sleeper to be killed');
    const { run, blocks } = storedRun(store, 1);
    assert.equal(run?.status, 'cancelled');
    assert.deepEqual(blocks.map(([, s]) => s), ['cancelled', 'cancelled', 'cancelled']);
  } finally {
    await client.stop();
  }
});

test('Restart reruns the pipeline as a new recorded run and stops at the breakpoint again', async () => {
  const client = await startAdapter();
  const { file, store } = setup();
  try {
    let stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await launchWithBreakpoints(client, { pipeline: file, store }, file, [{ line: 8 }]);
    await stopped;
    stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.restartRequest({});
    const again = await stopped;
    assert.equal(again.body.reason, 'breakpoint');
    assert.equal(storedRun(store, 1).run?.status, 'cancelled');
    assert.equal(storedRun(store, 2).run?.status, 'running');
    const terminated = client.waitForEvent('terminated');
    await client.continueRequest({ threadId: again.body.threadId ?? 0 });
    await terminated;
    assert.equal(storedRun(store, 2).run?.status, 'completed');
  } finally {
    await client.stop();
  }
});

test('bad launch configurations and refused runs answer with a clear error', async () => {
  const client = await startAdapter();
  try {
    await client.initializeRequest({ adapterID: 'pipeline', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await assert.rejects(client.launchRequest({ only: ['a'] } as DebugProtocol.LaunchRequestArguments), /needs "pipeline"/);
    await assert.rejects(client.launchRequest({ pipeline: '/x.pipeline.yaml', only: 'a', upto: 'b' } as DebugProtocol.LaunchRequestArguments), /one of "only", "upto" and "from"/);
    const { file } = pipelineDir('blocks:\n  a:\n    run: echo\n    depends_on: nope\n');
    const launched = client.launchRequest({ pipeline: file, store: join(tempDir(), 'r.sqlite') } as DebugProtocol.LaunchRequestArguments);
    await client.waitForEvent('initialized');
    await client.configurationDoneRequest();
    await assert.rejects(launched, /Cannot debug p\.pipeline\.yaml: .*error/);
  } finally {
    await client.stop();
  }
});

test('"Debug block" (upto + stopAt) pauses before the block; breakpoints on blocks outside the selection are unverified', async () => {
  const client = await startAdapter();
  const { file, store } = setup();
  try {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const set = await launchWithBreakpoints(client, { pipeline: file, store, upto: 'build', stopAt: ['build'] }, file, [{ line: 16 }, { line: 6 }]);
    assert.deepEqual(set.body.breakpoints.map((b) => b.verified), [false, true]);
    assert.match(set.body.breakpoints[0]?.message ?? '', /'ship' does not run in this debug session/);
    const first = await stopped;
    assert.equal((await client.stackTraceRequest({ threadId: first.body.threadId ?? 0 })).body.stackFrames[0]?.line, 5);
    const second = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.continueRequest({ threadId: first.body.threadId ?? 0 });
    const atBuild = await second;
    assert.equal((await client.stackTraceRequest({ threadId: atBuild.body.threadId ?? 0 })).body.stackFrames[0]?.line, 8);
    const terminated = client.waitForEvent('terminated');
    await client.continueRequest({ threadId: atBuild.body.threadId ?? 0 });
    await terminated;
    const { run, blocks } = storedRun(store, 1);
    assert.equal(run?.mode, 'upto');
    assert.deepEqual(blocks, [['prepare', 'completed'], ['build', 'completed'], ['ship', 'skipped']]);
  } finally {
    await client.stop();
  }
});
