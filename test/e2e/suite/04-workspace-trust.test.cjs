// Restricted Mode: run.sh runs the suite a second time in an untrusted workspace (E2E_TRUST=untrusted);
// tests registered with { trust: 'untrusted' } run only there. Editing works, nothing runs.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const untrustedSupport = manifest.capabilities && manifest.capabilities.untrustedWorkspaces;

test(
  'the workspace trust state is the one the harness asked for',
  () => {
    assert.equal(vscode.workspace.isTrusted, process.env.E2E_TRUST !== 'untrusted');
  },
  { trust: 'any' },
);

test(
  'in Restricted Mode the editing features still work (diagnostics)',
  async () => {
    const doc = await h.openFixture('broken.pipeline.yaml');
    assert.equal(doc.languageId, h.LANGUAGE_ID);
    await h.waitForDiagnostics(doc.uri, h.withCode('unknown-dependency'), 20000);
  },
  {
    trust: 'untrusted',
    skip: untrustedSupport ? false : 'package.json declares no capabilities.untrustedWorkspaces yet (issue 5)',
  },
);

test(
  'in Restricted Mode completion and hover work',
  async () => {
    await h.languageServerReady();
    const doc = await h.openFixture('good.pipeline.yaml');
    const at = h.positionOf(doc, 'depends_on: [extract]', { offset: 'depends_on: [ex'.length });
    const labels = h.completionLabels(await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, at));
    assert.ok(labels.includes('extract'), `completion: ${JSON.stringify(labels)}`);
    const hover = h.hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, at));
    assert.match(hover, /echo counting rows/, `hover: ${hover || '(none)'}`);
  },
  { trust: 'untrusted' },
);

test(
  'in Restricted Mode opening, editing and saving pipeline files runs nothing',
  async () => {
    const doc = await h.openFixture('deploy.pipeline.yml');
    await h.setText(doc, doc.getText().replace('echo deploying', 'echo deploying now'));
    assert.ok(await doc.save(), 'save refused');
    // A pipeline that ran would leave a terminal or a run store behind (.pipelines/ next to the files).
    await h.languageServerReady();
    assert.deepEqual(vscode.window.terminals.map((t) => t.name), []);
    const entries = (await vscode.workspace.fs.readDirectory(h.workspaceRoot())).map(([name]) => name);
    assert.ok(!entries.includes('.pipelines'), `a run store appeared: ${entries.join(', ')}`);
  },
  { trust: 'untrusted' },
);
