// Helpers for the extension-host tests: fixtures, readiness waits (never fixed sleeps), and
// normalising the shapes the vscode.execute*Provider commands return.
'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');

const EXTENSION_ID = 'pipeline-studio.pipeline-studio';
const LANGUAGE_ID = 'pipeline';

function workspaceRoot() {
  const folders = vscode.workspace.workspaceFolders;
  assert.ok(folders && folders.length > 0, 'the test workspace is not open');
  return folders[0].uri;
}

function fixtureUri(name) {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

/** Opens a workspace file in an editor (the language client only sees documents VS Code opened). */
async function openFixture(name) {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Resolves when check() returns a truthy value, polling every intervalMs; rejects after timeoutMs. */
function poll(what, check, { timeoutMs = 20000, intervalMs = 50 } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      let value;
      try {
        value = check();
      } catch (error) {
        clearInterval(timer);
        reject(error);
        return;
      }
      if (value) {
        clearInterval(timer);
        resolve(value);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }
    }, intervalMs);
  });
}

function diagnosticCode(d) {
  return d.code !== null && typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function formatDiagnostics(list) {
  return list.length === 0
    ? '(none)'
    : list
        .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${diagnosticCode(d)}: ${d.message}`)
        .join('\n');
}

/**
 * Resolves with the diagnostics of uri as soon as accept(diagnostics) is true: checked now and on every
 * vscode.languages.onDidChangeDiagnostics for that uri. Rejects after timeoutMs, showing what was there.
 */
function waitForDiagnostics(uri, accept, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    let subscription;
    const finish = (fn, value) => {
      clearTimeout(timer);
      if (subscription) subscription.dispose();
      fn(value);
    };
    const check = () => {
      const list = vscode.languages.getDiagnostics(uri);
      if (accept(list)) finish(resolve, list);
    };
    const timer = setTimeout(() => {
      const list = vscode.languages.getDiagnostics(uri);
      finish(reject, new Error(`timed out after ${timeoutMs} ms waiting for diagnostics of ${uri.path}; have:\n${formatDiagnostics(list)}`));
    }, timeoutMs);
    // Subscribe before the first check so that no change can slip between the two.
    subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) check();
    });
    check();
  });
}

const withCode = (code) => (list) => list.some((d) => diagnosticCode(d) === code);

let serverReady;
/**
 * Readiness signal for the language server: broken.pipeline.yaml is open and has its diagnostics.
 * Requests sent after this reach a running server (the client sends didOpen/didChange before them).
 * Waited for once: when the server never answers, every test that needs it fails at once with the
 * first wait's error instead of waiting again.
 */
function languageServerReady() {
  if (!serverReady) {
    serverReady = (async () => {
      const doc = await openFixture('broken.pipeline.yaml');
      try {
        await waitForDiagnostics(doc.uri, withCode('unknown-dependency'), 20000);
      } catch (error) {
        throw new Error(`the language server is not ready: ${error.message}`);
      }
    })();
  }
  return serverReady;
}

/** Position of the n-th (0-based) occurrence of needle in doc, plus `offset` characters. */
function positionOf(doc, needle, { occurrence = 0, offset = 0 } = {}) {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    assert.notEqual(at, -1, `"${needle}" (occurrence ${occurrence}) not found in ${doc.uri.path}`);
  }
  return doc.positionAt(at + offset);
}

/** 0-based line of the first line of doc that equals `line` exactly. */
function lineOf(doc, line) {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text === line) return i;
  assert.fail(`line "${line}" not found in ${doc.uri.path}`);
}

/** Replaces the whole text of doc (in memory; the file on disk is not touched). */
async function setText(doc, text) {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit refused');
}

/** Runs fn with doc edited by edit(text) → newText, and puts the original text back afterwards. */
async function withEditedText(doc, change, fn) {
  const original = doc.getText();
  const changed = change(original);
  assert.notEqual(changed, original, 'the edit changes nothing');
  await setText(doc, changed);
  try {
    return await fn();
  } finally {
    await setText(doc, original);
  }
}

function completionLabels(list) {
  const items = Array.isArray(list) ? list : (list && list.items) || [];
  return items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

function hoverText(hovers) {
  return (hovers || [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** Location | LocationLink → { uri, line, character } of where it points. */
function definitionTargets(result) {
  const list = Array.isArray(result) ? result : result ? [result] : [];
  return list.map((l) => {
    const uri = l.targetUri || l.uri;
    const range = l.targetSelectionRange || l.targetRange || l.range;
    return { uri: uri.toString(), line: range.start.line, character: range.start.character };
  });
}

module.exports = {
  EXTENSION_ID,
  LANGUAGE_ID,
  workspaceRoot,
  fixtureUri,
  openFixture,
  poll,
  diagnosticCode,
  formatDiagnostics,
  waitForDiagnostics,
  withCode,
  languageServerReady,
  positionOf,
  lineOf,
  setText,
  withEditedText,
  completionLabels,
  hoverText,
  definitionTargets,
};
