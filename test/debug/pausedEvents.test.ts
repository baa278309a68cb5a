import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { pipelineDir, tempDir } from '../runner/support.ts';
import { launchWithBreakpoints, startAdapter } from './dapSupport.ts';

const PIPELINE = `blocks:
  a:
    run: echo a
  b:
    depends_on: a
    run: echo b
  c:
    depends_on: b
    run: echo c
`;

test('paused events', async () => {
  const client = await startAdapter();
  const { file } = pipelineDir(PIPELINE);
  const store = join(tempDir('ps-j-'), 'runs.sqlite');
  const seen: unknown[] = [];
  client.on('pipelineStudio.paused', (e: DebugProtocol.Event) => seen.push(e.body));
  try {
    let stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await launchWithBreakpoints(client, { pipeline: file, store, stopOnEntry: true }, file, [{ line: 7 }]);
    const first = await stopped;
    stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.nextRequest({ threadId: first.body.threadId ?? 0 });
    await stopped;
    stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await client.continueRequest({ threadId: 1 });
    await stopped;
    const terminated = client.waitForEvent('terminated');
    await client.continueRequest({ threadId: 1 });
    await terminated;
    assert.deepEqual(seen.map((b) => (b as { blocks: string[] }).blocks), [['a'], [], ['b'], [], ['c'], []]);
    assert.ok(seen.every((b) => (b as { file: string }).file === file));
  } finally {
    await client.stop();
  }
});

test('stop while paused clears the paused set', async () => {
  const client = await startAdapter();
  const { file } = pipelineDir(PIPELINE);
  const store = join(tempDir('ps-j-'), 'runs.sqlite');
  const seen: string[][] = [];
  client.on('pipelineStudio.paused', (e: DebugProtocol.Event) => seen.push((e.body as { blocks: string[] }).blocks));
  try {
    const stopped = client.waitForEvent('stopped');
    await launchWithBreakpoints(client, { pipeline: file, store, stopOnEntry: true }, file, []);
    await stopped;
    const terminated = client.waitForEvent('terminated');
    await client.terminateRequest({});
    await terminated;
    assert.deepEqual(seen, [['a'], []]);
  } finally {
    await client.stop();
  }
});
