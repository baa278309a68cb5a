// The manifest's fit with the rest of VS Code, checked in the running workbench: the default
// keybindings against the workbench's own default keymap (the "Default Keybindings" document VS
// Code generates from every registered binding), the walkthrough's media and commands, the plain-YAML
// schema association and the extension kind.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');

const extension = () => vscode.extensions.getExtension(h.EXTENSION_ID);
const manifest = () => extension().packageJSON;

/** A key sequence with its modifiers in one order, so `shift+ctrl+x` and `ctrl+shift+x` compare equal. */
function normalKey(key) {
  const order = ['ctrl', 'shift', 'alt', 'meta', 'cmd', 'win'];
  return key.toLowerCase().split(' ').map((chord) => {
    const parts = chord.split('+');
    const last = parts.pop();
    return [...parts.sort((a, b) => order.indexOf(a) - order.indexOf(b)), last].join('+');
  }).join(' ');
}

/** The workbench's default keymap for this platform, without this extension's own entries. */
async function defaultKeymap() {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse('vscode://defaultsettings/keybindings.json'));
  // JSON with comments: whole-line comments only, in that generated document.
  const entries = JSON.parse(doc.getText().split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n'));
  assert.ok(entries.length > 300, `the default keymap has only ${entries.length} entries`);
  return entries.filter((e) => !String(e.command).replace(/^-/, '').startsWith('pipelineStudio.'));
}

test('the default keybindings (run, run block at cursor, graph, dry run) clash with no binding of VS Code\'s default keymap', async () => {
  const ours = manifest().contributes.keybindings;
  assert.deepEqual(ours.map((k) => k.command).sort(), ['pipelineStudio.dryRun', 'pipelineStudio.runBlock', 'pipelineStudio.runPipeline', 'pipelineStudio.showPipelineGraph']);
  for (const k of ours) assert.match(k.when, /editorLangId == pipeline/, `${k.command} is not limited to pipeline editors`);
  const keymap = await defaultKeymap();
  // Present in the generated keymap: the workbench registered them (this platform's key).
  const registered = (await vscode.workspace.openTextDocument(vscode.Uri.parse('vscode://defaultsettings/keybindings.json'))).getText();
  for (const k of ours) assert.ok(registered.includes(`"command": "${k.command}"`), `${k.command} is not in the workbench's keymap`);
  const platformKey = (k) => (process.platform === 'darwin' ? k.mac ?? k.key : process.platform === 'win32' ? k.win ?? k.key : k.linux ?? k.key);
  const clashes = [];
  for (const k of ours) {
    const key = normalKey(platformKey(k));
    // A clash is any default binding of the same sequence, or one of which ours is a chord prefix (or the reverse).
    for (const d of keymap) {
      const other = normalKey(d.key);
      if (other === key || other.startsWith(`${key} `) || key.startsWith(`${other} `)) clashes.push(`${k.command} ${key} ~ ${d.command} ${d.key}${d.when ? ` when ${d.when}` : ''}`);
    }
  }
  assert.deepEqual(clashes, []);
  // The macOS keys are distinct from each other as well (they are not checked against a mac keymap here).
  const macKeys = ours.map((k) => normalKey(k.mac));
  assert.equal(new Set(macKeys).size, macKeys.length);
}, { timeout: 60000 });

test('the walkthrough\'s steps have their media in the package and complete on commands that exist', async () => {
  const [walkthrough] = manifest().contributes.walkthroughs;
  assert.equal(walkthrough.title, 'Get started with Pipeline Studio');
  assert.deepEqual(walkthrough.steps.map((s) => s.id), ['open', 'run', 'graph', 'log', 'debug', 'format']);
  const commands = new Set(await vscode.commands.getCommands(true));
  for (const step of walkthrough.steps) {
    const media = step.media.markdown ?? step.media.image;
    assert.ok(media && fs.existsSync(path.join(extension().extensionPath, media)), `${step.id}: media ${media} is missing`);
    assert.ok(step.completionEvents.length > 0, `${step.id} has no completion event`);
    for (const event of step.completionEvents.filter((e) => e.startsWith('onCommand:'))) {
      assert.ok(commands.has(event.slice('onCommand:'.length)), `${step.id}: ${event} names no registered command`);
    }
    for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(commands.has(command), `${step.id}: its button runs ${command}, which is not registered`);
  }
}, { timeout: 60000 });

test('plain-YAML users get the schema for *.pipeline.yaml; the extension runs where the workspace is (remote side)', () => {
  const { yamlValidation } = manifest().contributes;
  assert.deepEqual(yamlValidation[0].fileMatch, ['*.pipeline.yaml', '*.pipeline.yml']);
  const schema = JSON.parse(fs.readFileSync(path.join(extension().extensionPath, yamlValidation[0].url), 'utf8'));
  assert.ok(schema.properties.blocks, 'the associated file is not the pipeline schema');
  assert.deepEqual(manifest().extensionKind, ['workspace']);
  // code-server runs extensions in its remote extension host: the workspace side.
  assert.equal(extension().extensionKind, vscode.ExtensionKind.Workspace);
  assert.equal(vscode.env.remoteName !== undefined, true, 'code-server is a remote workbench');
});
