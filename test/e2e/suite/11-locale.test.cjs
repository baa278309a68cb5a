// The workbench in French (run.sh's exthost-fr run: code-server --locale fr): VS Code picks our
// translations from vscode.env.language, so the manifest's strings come from package.nls.fr.json,
// the extension's runtime strings from l10n/bundle.l10n.fr.json, and the language server, started
// by the client with that locale, publishes its diagnostics in French.
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');

const options = { locale: 'fr', timeout: 60000 };

test('the workbench language is French, and the manifest speaks it: command titles, view names, setting descriptions', async () => {
  assert.equal(vscode.env.language, 'fr');
  const extension = vscode.extensions.getExtension(h.EXTENSION_ID);
  assert.ok(extension, `the extension is not registered; extensions: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')} of ${vscode.extensions.all.length}`);
  const manifest = extension.packageJSON;
  const title = (id) => manifest.contributes.commands.find((c) => c.command === id)?.title;
  // A localised command title is { value, original }: the palette shows the value and also matches the English.
  assert.deepEqual(title('pipelineStudio.runPipeline'), { value: 'Exécuter le pipeline', original: 'Run Pipeline' });
  const setting = manifest.contributes.configuration.properties['pipelineStudio.validate.enable'].markdownDescription;
  assert.match(setting, /^Afficher les problèmes que le serveur de langage trouve/);
}, options);

test('the extension\'s runtime strings are French: the block code lenses of a pipeline file', async () => {
  const doc = await h.openFixture('good.pipeline.yaml');
  // The lenses come once the language server has parsed the file: asked again until they do (60 s guard).
  let titles = [];
  for (const started = Date.now(); !titles.includes('▶ Exécuter le bloc') && Date.now() - started < 60000; await new Promise((r) => setTimeout(r, 200))) {
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri, 100);
    titles = (lenses ?? []).map((l) => l.command?.title).filter(Boolean);
  }
  assert.ok(titles.includes('▶ Exécuter le bloc'), `code lenses: ${titles.join(', ')}`);
  assert.ok(titles.includes('Exécuter jusqu\'ici'), titles.join(', '));
  assert.ok(!titles.includes('▶ Run block'), titles.join(', '));
}, options);

test('the language server publishes its diagnostics in French (the client sends locale fr)', async () => {
  const doc = await h.openFixture('broken.pipeline.yaml');
  const list = await h.waitForDiagnostics(doc.uri, (l) => l.some((d) => h.diagnosticCode(d) === 'unknown-dependency'), 60000);
  const unknown = list.find((d) => h.diagnosticCode(d) === 'unknown-dependency');
  assert.match(unknown.message, /^Bloc inconnu « nowhere » dans le depends_on de « transform »\./);
}, options);
