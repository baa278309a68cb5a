'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');

test('completion inside depends_on offers block ids, but not the block itself nor ids that would make a cycle', async () => {
  await h.languageServerReady();
  const doc = await h.openFixture('good.pipeline.yaml');
  const before = 'depends_on: [extract, ';
  await h.withEditedText(
    doc,
    (text) => text.replace('depends_on: [extract]', `${before}]`),
    async () => {
      const at = h.positionOf(doc, before, { offset: before.length });
      const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, at);
      const labels = h.completionLabels(list);
      assert.ok(labels.includes('lint'), `'lint' missing from ${JSON.stringify(labels)}`);
      assert.ok(!labels.includes('transform'), `the block itself is offered: ${JSON.stringify(labels)}`);
      assert.ok(!labels.includes('report'), `'report' depends on transform, offering it makes a cycle: ${JSON.stringify(labels)}`);
    },
  );
});

test('hover on a block id in depends_on shows the command of that block and its downstream blocks', async () => {
  await h.languageServerReady();
  const doc = await h.openFixture('good.pipeline.yaml');
  const at = h.positionOf(doc, 'depends_on: [extract]', { offset: 'depends_on: [ex'.length });
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, at);
  const text = h.hoverText(hovers);
  assert.match(text, /echo counting rows/, `hover: ${text || '(none)'}`);
  assert.match(text, /transform/, `hover does not name the downstream block: ${text}`);
});

test('hover on a variable reference shows its default, type and description', async () => {
  await h.languageServerReady();
  const doc = await h.openFixture('good.pipeline.yaml');
  const at = h.positionOf(doc, '${{ vars.region }}', { offset: '${{ vars.reg'.length });
  const text = h.hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, at));
  for (const part of ['eu-west', 'string', 'Where the report is published']) {
    assert.ok(text.includes(part), `hover lacks "${part}": ${text || '(none)'}`);
  }
});

test('go to definition from depends_on and from ${{ blocks.X }} lands on the block id', async () => {
  await h.languageServerReady();
  const doc = await h.openFixture('good.pipeline.yaml');
  const want = { uri: doc.uri.toString(), line: h.lineOf(doc, '  extract:'), character: 2 };
  const from = [
    h.positionOf(doc, 'depends_on: [extract]', { offset: 'depends_on: [extr'.length }),
    h.positionOf(doc, '${{ blocks.extract.outputs.rows }}', { offset: '${{ blocks.ext'.length }),
  ];
  for (const at of from) {
    const targets = h.definitionTargets(await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, at));
    assert.deepEqual(targets, [want], `from ${at.line + 1}:${at.character + 1}`);
  }
});

test('go to definition of ${{ vars.X }} lands on the variable', async () => {
  await h.languageServerReady();
  const doc = await h.openFixture('good.pipeline.yaml');
  const at = h.positionOf(doc, '${{ vars.region }}', { offset: '${{ vars.re'.length });
  const targets = h.definitionTargets(await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, at));
  assert.deepEqual(targets, [{ uri: doc.uri.toString(), line: h.lineOf(doc, '  region:'), character: 2 }]);
});
