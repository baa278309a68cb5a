// "Run on…" in the real workbench (issue 18): Run Pipeline on… and Run Block on… with a profile
// named in the arguments (as a menu, a code lens or another extension passes it), checked in the run
// store through a SQLite connection of the test's own; the code lens that offers Run on….
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');
const { FINISHED, command } = require('./runHelpers.cjs');
const { readRun, blockStatuses } = require('./runStore.cjs');

const FILE = 'run-on.pipeline.yaml';
const PIPELINE = `name: run-on
executors:
  here: { type: local }
  box: { type: container, image: alpine:3.20 }
blocks:
  first:
    run: echo "first ran"
  second:
    depends_on: [first]
    run: echo "second ran"
`;

function recorded(runId) {
  assert.equal(typeof runId, 'number', `the command resolved ${JSON.stringify(runId)}, not a run number`);
  const found = readRun(runId);
  assert.ok(found, `run #${runId} is not in the store`);
  return found;
}

test('Run Pipeline on… with a profile argument runs every block on it and the store records the profile per attempt', async () => {
  fs.writeFileSync(h.fixtureUri(FILE).fsPath, PIPELINE);
  const runId = await command('runPipelineOn', h.fixtureUri(FILE), { ...FINISHED, executor: 'here' });
  const { run, blocks } = recorded(runId);
  assert.equal(run.status, 'completed', JSON.stringify(run));
  assert.equal(run.mode, 'all');
  assert.deepEqual(blockStatuses({ blocks }), { first: 'completed', second: 'completed' });
  for (const id of ['first', 'second']) assert.deepEqual([blocks[id].executor, blocks[id].executor_type], ['here', 'local'], id);
});

test('Run Block on… runs just that block, like Run Block, on the chosen profile', async () => {
  const runId = await command('runBlockOn', h.fixtureUri(FILE), 'second', { ...FINISHED, executor: 'here' });
  const { run, blocks } = recorded(runId);
  assert.equal(run.status, 'completed', JSON.stringify(run));
  assert.equal(run.mode, 'only');
  const ran = Object.entries(blocks).filter(([, b]) => b.status === 'completed').map(([id]) => id);
  assert.deepEqual(ran, ['second'], JSON.stringify(blockStatuses({ blocks })));
  assert.deepEqual([blocks.second.executor, blocks.second.executor_type], ['here', 'local']);
  // An unknown profile is refused with a message; nothing more is recorded.
  assert.equal(await command('runBlockOn', h.fixtureUri(FILE), 'second', { ...FINISHED, executor: 'nosuchprofile' }), undefined);
});

test('each block of a pipeline with executor profiles has a "Run on…" code lens for Run Block on…; one without profiles has none', async () => {
  try {
    const lensesOf = async (name) => {
      const doc = await vscode.workspace.openTextDocument(h.fixtureUri(name));
      let lenses = [];
      // Hang guard: the provider answers once the extension has read the file.
      const end = Date.now() + 60000;
      while (!lenses.some((l) => l.command?.command === 'pipelineStudio.runBlock')) {
        if (Date.now() > end) throw new Error(`no code lenses on ${name} within 60 s`);
        lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
        if (!lenses.some((l) => l.command?.command === 'pipelineStudio.runBlock')) await new Promise((r) => setTimeout(r, 200));
      }
      return lenses.filter((l) => l.command?.command === 'pipelineStudio.runBlockOn');
    };
    const onLenses = await lensesOf(FILE);
    assert.deepEqual(onLenses.map((l) => [l.command.title, l.command.arguments[1]]), [['Run on…', 'first'], ['Run on…', 'second']]);
    assert.deepEqual(await lensesOf('good.pipeline.yaml'), []);
  } finally {
    fs.rmSync(h.fixtureUri(FILE).fsPath, { force: true });
  }
});
