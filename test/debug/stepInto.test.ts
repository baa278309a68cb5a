import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { parentPipeline, trainPipeline } from '../runner/subPipelineFixture.ts';
import { pipelineDir, tempDir } from '../runner/support.ts';
import { launchWithBreakpoints, scopeVariables, startAdapter, storedRun } from './dapSupport.ts';

// Step Into a sub-pipeline block (issue 17): the debug adapter as VS Code meets it, a real runner
// service and store. Step Into pauses before the child run's first block, in the child's file.

// 1-based: line 4 is train's id in PARENT; line 4 is fit's id in CHILD.
const PARENT = parentPipeline('7');
const CHILD = trainPipeline('echo "fitting ${{ vars.epochs }}"', 'run: echo evaluated');

test('Step Into a pipeline: block pauses before the first block of its child run; Step Over goes on inside it; Continue ends both', async () => {
  const client = await startAdapter();
  const { file } = pipelineDir(PARENT, { 'train.pipeline.yaml': CHILD });
  const child = join(dirname(file), 'train.pipeline.yaml');
  const store = join(tempDir('ps-debug-store-'), 'runs.sqlite');
  try {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await launchWithBreakpoints(client, { pipeline: file, store }, file, [{ line: 4 }]);
    const atTrain = await stopped;
    assert.equal(atTrain.body.reason, 'breakpoint');

    const into = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.stepInRequest({ threadId: atTrain.body.threadId ?? 0 });
    const atFit = await into;
    assert.equal(atFit.body.reason, 'step');
    const threadId = atFit.body.threadId ?? 0;
    const threads = await client.threadsRequest();
    assert.ok(threads.body.threads.some((t) => t.id === threadId && /^fit \(child #\d+, paused\)$/.test(t.name)), JSON.stringify(threads.body.threads));
    const stack = await client.stackTraceRequest({ threadId });
    assert.equal(stack.body.stackFrames[0]?.source?.path, child);
    assert.equal(stack.body.stackFrames[0]?.line, 4);
    const scopes = await scopeVariables(client, stack.body.stackFrames[0]?.id ?? 0);
    assert.match(scopes.Block?.command ?? '', /fitting .*7/, 'the with: value reached the child');

    const over = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.nextRequest({ threadId });
    const atEvaluate = await over;
    const evaluateStack = await client.stackTraceRequest({ threadId: atEvaluate.body.threadId ?? 0 });
    assert.equal(evaluateStack.body.stackFrames[0]?.source?.path, child);
    assert.equal(evaluateStack.body.stackFrames[0]?.line, 6);

    const terminated = client.waitForEvent('terminated');
    await client.continueRequest({ threadId: atEvaluate.body.threadId ?? 0 });
    await terminated;
    const parent = storedRun(store, 1);
    assert.equal(parent.run?.status, 'completed');
    assert.deepEqual(parent.blocks, [['prepare', 'completed'], ['train', 'completed'], ['report', 'completed']]);
    assert.deepEqual(storedRun(store, 2).blocks, [['fit', 'completed'], ['evaluate', 'completed']]);
  } finally {
    await client.stop();
  }
});
