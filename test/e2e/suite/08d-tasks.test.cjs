// The `pipeline` task type and the `$pipeline-studio` problem matcher, through VS Code's own task
// system: the tasks offered in Run Task, a validate task whose output the matcher turns into
// Problems, and a run task that runs through the runner service and records in the store.
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');
const { readRun, blockStatuses, latestRunOf } = require('./runStore.cjs');

const TASK_TIMEOUT_MS = 120000; // a hang guard: a loaded machine may take a minute to run a task and read its output

async function pipelineTasks() {
  return vscode.tasks.fetchTasks({ type: 'pipeline' });
}

/**
 * The task of this name, asked again until it is offered: a provider that answers late (a busy
 * extension host) is left out of that one listing by the workbench.
 */
async function findTask(name) {
  const deadline = Date.now() + 60000;
  for (;;) {
    const found = (await pipelineTasks()).find((t) => t.name === name);
    if (found || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Executes a task; resolves with its exit code when its process ends. */
async function runTask(task) {
  const ended = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`task "${task.name}" did not end within ${TASK_TIMEOUT_MS} ms`)), TASK_TIMEOUT_MS);
    const sub = vscode.tasks.onDidEndTaskProcess((event) => {
      if (event.execution.task.name !== task.name || event.execution.task.definition.type !== 'pipeline') return;
      clearTimeout(timer);
      sub.dispose();
      resolve(event.exitCode);
    });
  });
  await vscode.tasks.executeTask(task);
  return ended;
}

test('Run Task offers run, dry run and validate for every pipeline file of the workspace', async () => {
  for (const name of ['run good.pipeline.yaml', 'dry run good.pipeline.yaml', 'validate good.pipeline.yaml', 'validate broken.pipeline.yaml', 'run deploy.pipeline.yml']) {
    assert.ok(await findTask(name), `"${name}" is not offered; offered: ${JSON.stringify((await pipelineTasks()).map((t) => t.name))}`);
  }
}, { timeout: 120000 });

test('a validate task fills the Problems panel through the $pipeline-studio problem matcher', async () => {
  const uri = h.fixtureUri('broken.pipeline.yaml');
  // Open in an editor, as when a user runs the task on the file they are editing (the language server
  // reports on it too, under its own owner). The matcher reads paths relative to the workspace folder:
  // with "autoDetect" VS Code stats each path asynchronously and closes the matcher 100 ms after the
  // process ends without waiting for those stats, so on a loaded machine the problems were dropped.
  await vscode.window.showTextDocument(uri, { preview: false });
  const fromMatcher = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pipeline-studio');
  assert.deepEqual(fromMatcher(), [], 'problems of the matcher before the task ran');
  const task = await findTask('validate broken.pipeline.yaml');
  assert.ok(task, 'no validate task for broken.pipeline.yaml');
  assert.equal(await runTask(task), 1, 'validate exits 1 on errors');
  const problems = await h.poll('the matcher\'s problems', () => (fromMatcher().length >= 2 ? fromMatcher() : undefined), { timeoutMs: 120000 }).catch((error) => {
    const all = vscode.languages.getDiagnostics().map(([u, list]) => `${u.toString()}: ${list.map((d) => `${d.source}/${typeof d.code === 'object' ? d.code.value : d.code}@${d.range.start.line + 1}`).join(' ')}`);
    // A failure says where the problems went, if anywhere.
    throw new Error(`${error.message}\nexpected on ${uri.toString()}; problems now:\n${all.join('\n')}`);
  });
  const seen = problems.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity === vscode.DiagnosticSeverity.Error ? 'error' : 'other'} ${typeof d.code === 'object' ? d.code.value : d.code}`).sort();
  // The same positions and codes as the language server reports (02-diagnostics), read from the CLI's output.
  assert.deepEqual(seen, ['12:26 error unknown-block', '8:27 error unknown-dependency']);
}, { timeout: 240000 });

test('a run task from tasks.json runs the pipeline through the runner service with its variables, records it, and ends with exit code 0', async () => {
  const file = h.fixtureUri('good.pipeline.yaml').fsPath;
  const before = latestRunOf(file);
  const label = 'e2e: run good with a region';
  const tasksJson = vscode.Uri.joinPath(h.workspaceRoot(), '.vscode', 'tasks.json');
  const definition = { label, type: 'pipeline', file: 'good.pipeline.yaml', variables: { region: 'task-region' } };
  await vscode.workspace.fs.writeFile(tasksJson, require('node:buffer').Buffer.from(JSON.stringify({ version: '2.0.0', tasks: [definition] }, null, 2)));
  try {
    const configured = await findTask(label);
    assert.ok(configured, 'the task of tasks.json is not offered');
    assert.equal(await runTask(configured), 0, 'the task ended with a failure');
    const after = latestRunOf(file);
    assert.ok(after && (!before || after.id > before.id), 'no new run recorded');
    const recorded = readRun(after.id);
    assert.equal(recorded.run.status, 'completed');
    assert.equal(recorded.run.variables.region, 'task-region');
    assert.deepEqual(blockStatuses(recorded), { extract: 'completed', lint: 'completed', report: 'completed', transform: 'completed' });
  } finally {
    await vscode.workspace.fs.delete(tasksJson);
  }
}, { timeout: 150000 });

test('terminating a run task cancels its run: recorded cancelled, block processes gone', async () => {
  const fs = require('node:fs');
  const path = require('node:path');
  const { processAlive } = require('./runHelpers.cjs');
  const slow = h.fixtureUri('slow.pipeline.yaml').fsPath;
  const pidsFile = path.join(h.workspaceRoot().fsPath, '.e2e-sleeper.pids');
  fs.rmSync(pidsFile, { force: true });
  const task = await findTask('run slow.pipeline.yaml');
  assert.ok(task, 'no run task for slow.pipeline.yaml');
  // A terminated task may end without a process exit code: its end is what is waited for.
  const ended = new Promise((resolve) => {
    const sub = vscode.tasks.onDidEndTask((event) => {
      if (event.execution.task.name !== task.name) return;
      sub.dispose();
      resolve();
    });
  });
  const execution = await vscode.tasks.executeTask(task);
  // Readiness: the block wrote the ids of its shell and of its background child.
  const pids = await h.poll('the sleeper block to start', () => {
    const ids = fs.existsSync(pidsFile) ? fs.readFileSync(pidsFile, 'utf8').trim().split(/\s+/).map(Number) : [];
    return ids.length === 2 && ids.every((n) => n > 0) ? ids : undefined;
  }, { timeoutMs: 60000 });
  const live = latestRunOf(slow);
  assert.equal(live.status, 'running');
  execution.terminate();
  await ended;
  await h.poll('the run to be recorded cancelled', () => latestRunOf(slow).status === 'cancelled', { timeoutMs: 60000 });
  assert.equal(latestRunOf(slow).id, live.id);
  await h.poll(`block processes ${pids} to end`, () => !pids.some(processAlive), { timeoutMs: 30000 });
}, { timeout: 180000 });
