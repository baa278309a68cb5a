// Hook for the Restricted Mode tests of issue 5: run.sh runs the suite a second time in an untrusted
// workspace (E2E_TRUST=untrusted); tests registered with { trust: 'untrusted' } run only there.
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
