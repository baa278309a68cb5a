'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');

const severityName = (s) => ['error', 'warning', 'information', 'hint'][s];

test("the language server publishes the validator's diagnostics for an opened file", async () => {
  const doc = await h.openFixture('broken.pipeline.yaml');
  const list = await h.waitForDiagnostics(
    doc.uri,
    (l) => h.withCode('unknown-dependency')(l) && h.withCode('unknown-block')(l),
    20000,
  );
  // The same positions and codes as `pipeline-studio validate` (1-based line:column).
  const got = list
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${severityName(d.severity)} ${h.diagnosticCode(d)}`)
    .sort();
  assert.deepEqual(got, ['12:26 error unknown-block', '8:27 error unknown-dependency'], h.formatDiagnostics(list));
  const unknownDep = list.find((d) => h.diagnosticCode(d) === 'unknown-dependency');
  assert.match(unknownDep.message, /'nowhere'/);
  // The range covers the unknown id itself.
  assert.equal(doc.getText(unknownDep.range), 'nowhere');
  const unknownBlock = list.find((d) => h.diagnosticCode(d) === 'unknown-block');
  assert.match(unknownBlock.message, /Did you mean 'extract'\?/);
});

test('diagnostics follow edits: a typo in depends_on is reported, fixing it clears the report', async () => {
  await h.languageServerReady();
  const doc = await h.openFixture('good.pipeline.yaml');
  assert.deepEqual(vscode.languages.getDiagnostics(doc.uri).map(h.diagnosticCode), [], 'good.pipeline.yaml should be clean');
  await h.withEditedText(
    doc,
    (text) => text.replace('depends_on: [extract]', 'depends_on: [extrakt]'),
    async () => {
      const list = await h.waitForDiagnostics(doc.uri, h.withCode('unknown-dependency'));
      // One mistake, one diagnostic: transform's ${{ blocks.extract.outputs.rows }} is cut off only by the typo.
      assert.deepEqual(list.map(h.diagnosticCode), ['unknown-dependency'], h.formatDiagnostics(list));
      const unknown = list.find((d) => h.diagnosticCode(d) === 'unknown-dependency');
      assert.equal(doc.getText(unknown.range), 'extrakt');
      assert.match(unknown.message, /Did you mean 'extract'\?/);
    },
  );
  // The text is back as it was: the server must publish an empty list again.
  await h.waitForDiagnostics(doc.uri, (l) => l.length === 0);
});

test('a file starting with a byte-order mark: VS Code drops the mark, and the typo on line 1 is at 1:1, as the CLI reports it', async () => {
  await h.languageServerReady();
  const uri = h.fixtureUri('bom-e2e.pipeline.yaml');
  fs.writeFileSync(uri.fsPath, '\uFEFFnmae: orders\nblocks:\n  a:\n    run: echo a\n');
  try {
    const doc = await h.openFixture('bom-e2e.pipeline.yaml');
    assert.ok(doc.getText().startsWith('nmae:'), JSON.stringify(doc.getText().slice(0, 8)));
    const list = await h.waitForDiagnostics(doc.uri, h.withCode('unknown-key'));
    const typo = list.find((d) => h.diagnosticCode(d) === 'unknown-key');
    assert.deepEqual([typo.range.start.line, typo.range.start.character, typo.range.end.character], [0, 0, 4], h.formatDiagnostics(list));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  } finally {
    fs.rmSync(uri.fsPath, { force: true });
  }
});
