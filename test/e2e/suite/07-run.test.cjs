// Running pipelines from the editor, checked in the run store through a SQLite connection of the
// test's own: whole runs, failures, retries, replays, partial runs, variables and cancelling.
// Each command is called with { noPrompt, wait } as other extensions and keybindings would.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');
const { FINISHED, command, processAlive, terminalNames, terminalsSettled } = require('./runHelpers.cjs');
const { readRun, blockStatuses, blockLog, latestRunOf } = require('./runStore.cjs');

const good = () => h.fixtureUri('good.pipeline.yaml');
const failing = () => h.fixtureUri('failing.pipeline.yaml');
const slow = () => h.fixtureUri('slow.pipeline.yaml');

/** Runs that later tests build on; each test checks that the one it needs exists. */
const runs = {};

function recorded(runId) {
  assert.equal(typeof runId, 'number', `the command resolved ${JSON.stringify(runId)}, not a run number`);
  const found = readRun(runId);
  assert.ok(found, `run #${runId} is not in the store`);
  return found;
}

test('Run Pipeline runs every block to completion, records it, and names its terminal after it', async () => {
  const runId = await command('runPipeline', good(), FINISHED);
  const { run, blocks } = recorded(runId);
  assert.equal(run.status, 'completed', JSON.stringify(run));
  assert.equal(run.pipeline_file, good().fsPath);
  assert.equal(run.mode, 'all');
  assert.equal(run.trigger, 'manual');
  assert.deepEqual(blockStatuses({ blocks }), { extract: 'completed', lint: 'completed', report: 'completed', transform: 'completed' });
  // The output passed downstream and the default of the variable reached the commands.
  assert.match(blockLog(blocks.transform.id), /transform 3/);
  assert.match(blockLog(blocks.report.id), /report to eu-west/);
  assert.ok(terminalNames().includes(`▶ good #${runId}`), `terminals: ${JSON.stringify(terminalNames())}`);
  runs.complete = runId;
});

test('variables passed with noPrompt reach the blocks and are recorded with the run', async () => {
  const runId = await command('runPipeline', good(), { ...FINISHED, variables: { region: 'ap-south' } });
  const { run, blocks } = recorded(runId);
  assert.equal(run.status, 'completed');
  assert.deepEqual(run.variables, { region: 'ap-south' });
  assert.match(blockLog(blocks.report.id), /report to ap-south/);
  runs.withVariables = runId;
});

test('variables of the wrong shape are refused before anything runs', async () => {
  const before = latestRunOf(good().fsPath);
  assert.equal(await command('runPipeline', good(), { ...FINISHED, variables: { region: { nested: true } } }), undefined);
  assert.equal(await command('runPipeline', good(), { ...FINISHED, variables: 'region=x' }), undefined);
  assert.equal(latestRunOf(good().fsPath).id, before.id, 'a refused run was recorded');
});

test('a failing block fails the run and makes its dependents upstream_failed', async () => {
  fs.rmSync(path.join(h.workspaceRoot().fsPath, '.e2e-fixed'), { force: true });
  const runId = await command('runPipeline', failing(), FINISHED);
  const { run, blocks } = recorded(runId);
  assert.equal(run.status, 'failed', JSON.stringify(run));
  assert.deepEqual(blockStatuses({ blocks }), { setup: 'completed', compile: 'failed', package: 'upstream_failed', publish: 'upstream_failed' });
  assert.equal(blocks.compile.exit_code, 3);
  assert.match(blockLog(blocks.compile.id), /compile error: missing header/);
  runs.failed = runId;
});

test('Retry Failed Blocks re-runs the failed block and its dependents, reusing the rest', async () => {
  assert.ok(runs.failed, 'needs the failed run of the previous test');
  fs.writeFileSync(path.join(h.workspaceRoot().fsPath, '.e2e-fixed'), 'fixed\n');
  const runId = await command('retryFailedBlocks', runs.failed, FINISHED);
  const { run, blocks } = recorded(runId);
  assert.notEqual(runId, runs.failed);
  assert.equal(run.status, 'completed', JSON.stringify(run));
  assert.equal(run.mode, 'retry');
  assert.equal(run.trigger, 'retry');
  assert.equal(run.source_run_id, runs.failed);
  const statuses = blockStatuses({ blocks });
  assert.deepEqual([statuses.compile, statuses.package, statuses.publish], ['completed', 'completed', 'completed'], JSON.stringify(statuses));
  // setup completed in the failed run: its result is reused, it does not run again.
  assert.notEqual(statuses.setup, 'completed', JSON.stringify(statuses));
  assert.doesNotMatch(blockLog(blocks.setup.id), /setting up/);
  assert.match(blockLog(blocks.compile.id), /compiled/);
  // Nothing left to retry: refused with a message, nothing recorded.
  assert.equal(await command('retryFailedBlocks', { runId, storePath: path.join(h.workspaceRoot().fsPath, '.pipelines', 'runs.sqlite') }, FINISHED), undefined);
  assert.equal(latestRunOf(failing().fsPath).id, runId);
});

test('Replay Run repeats a recorded run with its variables as a new run', async () => {
  assert.ok(runs.withVariables, 'needs the run with variables');
  const runId = await command('replayRun', { runId: runs.withVariables, pipelineFile: good().fsPath }, FINISHED);
  const { run, blocks } = recorded(runId);
  assert.equal(run.status, 'completed');
  assert.equal(run.mode, 'replay');
  assert.equal(run.source_run_id, runs.withVariables);
  assert.equal(run.variables.region, 'ap-south', JSON.stringify(run.variables));
  assert.match(blockLog(blocks.report.id), /report to ap-south/);
  // A run number that does not exist is an error for people, not a crash.
  assert.equal(await command('replayRun', { runId: 99999, pipelineFile: good().fsPath }, FINISHED), undefined);
});

test('Run Block, Run Up To Block and Run From Block run only their part of the pipeline', async () => {
  assert.ok(runs.complete, 'needs a completed run to reuse upstream results from');
  const cases = [
    ['runBlock', 'only', ['transform']],
    ['runUpToBlock', 'upto', ['extract', 'transform']],
    ['runFromBlock', 'from', ['report', 'transform']],
  ];
  for (const [name, mode, ran] of cases) {
    const runId = await command(name, good(), 'transform', FINISHED);
    const { run, blocks } = recorded(runId);
    assert.equal(run.status, 'completed', `${name}: ${JSON.stringify(run)}`);
    assert.equal(run.mode, mode, name);
    const completed = Object.entries(blocks).filter(([, b]) => b.status === 'completed').map(([id]) => id).sort();
    assert.deepEqual(completed, ran, `${name}: ${JSON.stringify(blockStatuses({ blocks }))}`);
    // Reused upstream output: transform still sees extract's rows.
    assert.match(blockLog(blocks.transform.id), /transform 3/, name);
  }
  // A block that does not exist is refused with a message; nothing runs.
  const before = latestRunOf(good().fsPath).id;
  assert.equal(await command('runBlock', good(), 'nosuchblock', FINISHED), undefined);
  assert.equal(latestRunOf(good().fsPath).id, before);
});

test('Dry Run returns the plan and runs nothing', async () => {
  const before = latestRunOf(good().fsPath).id;
  const plan = await command('dryRun', good(), { noPrompt: true });
  assert.ok(plan, 'Dry Run resolved nothing');
  assert.equal(plan.pipelineName, 'good');
  assert.deepEqual(plan.blocks.map((b) => `${b.block}:${b.action}`).sort(), ['extract:run', 'lint:run', 'report:run', 'transform:run']);
  assert.equal(latestRunOf(good().fsPath).id, before);
});

test('Cancel Run stops a long-running pipeline: run and blocks cancelled, block processes gone', async () => {
  const ws = h.workspaceRoot().fsPath;
  const pidsFile = path.join(ws, '.e2e-sleeper.pids');
  fs.rmSync(pidsFile, { force: true });
  const finished = command('runPipeline', slow(), FINISHED);
  // Readiness: the block wrote the ids of its shell and of its background child.
  const pids = await h.poll(
    'the sleeper block to start',
    () => {
      const ids = fs.existsSync(pidsFile) ? fs.readFileSync(pidsFile, 'utf8').trim().split(/\s+/).map(Number) : [];
      return ids.length === 2 && ids.every((n) => n > 0) ? ids : undefined;
    },
    { timeoutMs: 20000 },
  );
  const live = latestRunOf(slow().fsPath);
  assert.equal(live.status, 'running');
  assert.ok(pids.every(processAlive), `block processes ${pids} are not running`);
  assert.equal(await command('cancelRun', live.id), true);
  assert.equal(await finished, live.id);
  const { run, blocks } = recorded(live.id);
  assert.equal(run.status, 'cancelled', JSON.stringify(run));
  assert.deepEqual(blockStatuses({ blocks }), { after: 'cancelled', sleeper: 'cancelled' });
  await h.poll(`block processes ${pids} to end`, () => !pids.some(processAlive), { timeoutMs: 10000 });
  // Nothing is live any more: cancelling again says so.
  assert.equal(await command('cancelRun', live.id), false);
});

test('a pipeline with errors, a missing file and an unknown variable are refused with nothing recorded', async () => {
  const before = latestRunOf(good().fsPath).id;
  assert.equal(await command('runPipeline', h.fixtureUri('broken.pipeline.yaml'), FINISHED), undefined);
  assert.equal(latestRunOf(h.fixtureUri('broken.pipeline.yaml').fsPath), undefined, 'a run of broken.pipeline.yaml was recorded');
  assert.equal(await command('runPipeline', h.fixtureUri('missing.pipeline.yaml'), FINISHED), undefined);
  assert.equal(await command('runPipeline', good(), { ...FINISHED, variables: { nosuch: 'x' } }), undefined);
  assert.equal(latestRunOf(good().fsPath).id, before, 'a refused run was recorded');
});

test('Cancel Block stops a waiting block, then the running one; the run ends and its processes are gone', async () => {
  const ws = h.workspaceRoot().fsPath;
  const pidsFile = path.join(ws, '.e2e-sleeper.pids');
  fs.rmSync(pidsFile, { force: true });
  const finished = command('runPipeline', slow(), FINISHED);
  const pids = await h.poll('the sleeper block to start', () => {
    const ids = fs.existsSync(pidsFile) ? fs.readFileSync(pidsFile, 'utf8').trim().split(/\s+/).map(Number) : [];
    return ids.length === 2 && ids.every((n) => n > 0) ? ids : undefined;
  }, { timeoutMs: 20000 });
  const live = latestRunOf(slow().fsPath);
  // A block still waiting for its upstream can be cancelled too; the running one goes on.
  assert.equal(await command('cancelBlock', live.id, 'after'), true);
  assert.ok(pids.every(processAlive), 'cancelling the waiting block stopped the running one');
  assert.equal(await command('cancelBlock', { runId: live.id, block: 'sleeper' }), true);
  assert.equal(await finished, live.id);
  const { run, blocks } = recorded(live.id);
  assert.deepEqual(blockStatuses({ blocks }), { after: 'cancelled', sleeper: 'cancelled' });
  assert.notEqual(run.status, 'running');
  await h.poll(`block processes ${pids} to end`, () => !pids.some(processAlive), { timeoutMs: 10000 });
});

test('with terminals set to "reuse", a new run of a pipeline replaces its finished terminal; with "keep" both stay', async () => {
  const config = vscode.workspace.getConfiguration('pipelineStudio', good());
  const first = await command('runPipeline', good(), FINISHED);
  const second = await command('runPipeline', good(), FINISHED);
  const goodTerminals = () => terminalNames().filter((n) => n.startsWith('▶ good #'));
  // Disposing a terminal reaches vscode.window.terminals a moment later.
  await terminalsSettled();
  assert.deepEqual(goodTerminals(), [`▶ good #${second}`], `after #${first} and #${second}`);
  await config.update('run.terminals', 'keep', vscode.ConfigurationTarget.Workspace);
  try {
    const third = await command('runPipeline', good(), FINISHED);
    await terminalsSettled();
    assert.deepEqual(goodTerminals(), [`▶ good #${second}`, `▶ good #${third}`]);
  } finally {
    await config.update('run.terminals', undefined, vscode.ConfigurationTarget.Workspace);
  }
});

test(
  'in Restricted Mode every run command refuses: nothing runs, nothing is recorded',
  async () => {
    const file = good();
    const attempts = [
      ['runPipeline', file, FINISHED],
      ['runPipelineWithDefaults', file, FINISHED],
      ['runBlock', file, 'extract', FINISHED],
      ['runUpToBlock', file, 'transform', FINISHED],
      ['runFromBlock', file, 'transform', FINISHED],
      ['retryFailedBlocks', 1, FINISHED],
      ['replayRun', 1, FINISHED],
      ['dryRun', file, { noPrompt: true }],
    ];
    for (const [name, ...args] of attempts) {
      const result = await command(name, ...args).then(
        (value) => value,
        (error) => assert.fail(`${name} threw instead of refusing: ${error.message}`),
      );
      assert.equal(result, undefined, `${name} did not refuse`);
    }
    assert.deepEqual(terminalNames(), []);
    const entries = (await vscode.workspace.fs.readDirectory(h.workspaceRoot())).map(([name]) => name);
    assert.ok(!entries.includes('.pipelines'), `a run store appeared: ${entries.join(', ')}`);
    // The lenses would only lead to a refusal, so there are none.
    await h.openFixture('good.pipeline.yaml');
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', file);
    assert.deepEqual((lenses || []).map((l) => l.command && l.command.title), []);
  },
  { trust: 'untrusted' },
);
