// Debugging a pipeline through VS Code's own debug API: a breakpoint on a block pauses the run
// before that block, the Variables view's data is readable, and Continue runs it to completion.
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');
const { readRun, blockStatuses, latestRunOf } = require('./runStore.cjs');

/** Resolves with the first debug-adapter event of this kind that `accept` takes. */
function nextAdapterEvent(kind, accept = () => true) {
  return new Promise((resolve) => {
    const registration = vscode.debug.registerDebugAdapterTrackerFactory('pipeline', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message) => {
          if (message.type !== 'event' || message.event !== kind || !accept(message.body)) return;
          registration.dispose();
          resolve({ session, body: message.body });
        },
      }),
    });
  });
}

/** Resolves with check()'s first truthy value, asking every 100 ms (check may be async). */
async function pollAsync(what, check, timeoutMs = 20000) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function terminated(session) {
  return new Promise((resolve) => {
    const sub = vscode.debug.onDidTerminateDebugSession((ended) => {
      if (ended.id !== session.id) return;
      sub.dispose();
      resolve();
    });
  });
}

test('a breakpoint on a block pauses before it; its variables are readable; continue completes the run', async () => {
  const doc = await h.openFixture('good.pipeline.yaml');
  const line = h.lineOf(doc, '  transform:');
  const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(doc.uri, new vscode.Position(line, 2)));
  vscode.debug.addBreakpoints([breakpoint]);
  await vscode.commands.executeCommand('pipelineStudio.showPipelineGraph', doc.uri);
  const graph = () => vscode.commands.executeCommand('pipelineStudio.internal.graphState', doc.uri.fsPath);
  await pollAsync('the graph panel ready', async () => ((await graph()) || {}).ready);
  try {
    const stopped = nextAdapterEvent('stopped');
    const started = await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(doc.uri), {
      type: 'pipeline',
      request: 'launch',
      name: 'e2e debug',
      pipeline: doc.uri.fsPath,
      variables: { region: 'debug-region' },
    });
    assert.equal(started, true, 'the debug session did not start');
    const { session, body } = await stopped;
    assert.equal(body.reason, 'breakpoint');

    const { stackFrames } = await session.customRequest('stackTrace', { threadId: body.threadId });
    assert.ok(stackFrames.length > 0, 'no stack frame while paused');
    assert.equal(stackFrames[0].line - 1, line, `paused at line ${stackFrames[0].line - 1}, expected the transform block (${line})`);

    const { scopes } = await session.customRequest('scopes', { frameId: stackFrames[0].id });
    const byName = Object.fromEntries(scopes.map((s) => [s.name, s]));
    assert.deepEqual(Object.keys(byName).sort(), ['Block', 'Run', 'Upstream outputs', 'Variables']);
    const { variables } = await session.customRequest('variables', { variablesReference: byName.Variables.variablesReference });
    const region = variables.find((v) => v.name === 'region');
    assert.ok(region && region.value.includes('debug-region'), `region is ${JSON.stringify(region)}`);
    const block = (await session.customRequest('variables', { variablesReference: byName.Block.variablesReference })).variables;
    const commandLine = block.find((v) => v.name === 'command');
    assert.ok(commandLine && commandLine.value.includes('echo transform'), `command is ${JSON.stringify(commandLine)}`);
    const evaluated = await session.customRequest('evaluate', { expression: "vars.region == 'debug-region'", frameId: stackFrames[0].id, context: 'repl' });
    assert.equal(evaluated.result, 'true');
    // The open graph marks the paused block.
    await pollAsync('the graph marking transform as paused', async () => {
      const state = await graph();
      return state && JSON.stringify(state.paused) === '["transform"]';
    });

    vscode.debug.removeBreakpoints([breakpoint]);
    const ended = terminated(session);
    await session.customRequest('continue', { threadId: body.threadId });
    await ended;
    await pollAsync('the graph clearing the paused mark', async () => {
      const state = await graph();
      return state && state.paused.length === 0;
    });

    const recorded = await h.poll('the debug run recorded as finished', () => {
      const latest = latestRunOf(doc.uri.fsPath);
      const run = latest && readRun(latest.id);
      return run && run.run.trigger === 'debug' && run.run.status !== 'running' ? run : undefined;
    });
    assert.equal(recorded.run.status, 'completed', JSON.stringify(blockStatuses(recorded)));
    assert.deepEqual(blockStatuses(recorded), { extract: 'completed', lint: 'completed', report: 'completed', transform: 'completed' });
  } finally {
    vscode.debug.removeBreakpoints([breakpoint]);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
    await pollAsync('the graph panel closed', async () => (await graph()) === undefined);
  }
}, { timeout: 60000 });
