'use strict';
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const vscode = require('vscode');
const { test } = require('./framework.cjs');
const h = require('./helpers.cjs');

/** The API activate() returns: the language server's health and its changes. */
async function serverApi() {
  const ext = vscode.extensions.getExtension(h.EXTENSION_ID);
  assert.ok(ext, 'extension missing');
  const api = await ext.activate();
  assert.ok(api && api.languageServer, `activate() returned no languageServer API: ${JSON.stringify(api)}`);
  return api.languageServer;
}

/** Resolves when the server's health is `want`, checked now and on every change. */
function healthReaches(server, want, timeoutMs = 20000) {
  return new Promise((resolve, reject) => {
    const finish = (fn, value) => {
      clearTimeout(timer);
      sub.dispose();
      fn(value);
    };
    const timer = setTimeout(() => finish(reject, new Error(`health is ${server.health}, not ${want}, after ${timeoutMs} ms`)), timeoutMs);
    const sub = server.onDidChangeHealth((health) => health === want && finish(resolve));
    if (server.health === want) finish(resolve);
  });
}

test('the language server reports itself ready', async () => {
  const server = await serverApi();
  await healthReaches(server, 'ready');
});

test('Restart Language Server starts a fresh server that answers again', async () => {
  const server = await serverApi();
  await h.languageServerReady();
  const seen = [];
  const sub = server.onDidChangeHealth((health) => seen.push(health));
  try {
    // The command settles once the new server has started (or failed to).
    await vscode.commands.executeCommand('pipelineStudio.restartServer');
  } finally {
    sub.dispose();
  }
  assert.deepEqual(seen, ['starting', 'ready'], `health went ${seen.join(' → ')}`);
  // The new server knows the open documents: an edit gets diagnostics from it.
  const doc = await h.openFixture('good.pipeline.yaml');
  await h.withEditedText(
    doc,
    (text) => text.replace('depends_on: [transform]', 'depends_on: [transfrom]'),
    async () => {
      const list = await h.waitForDiagnostics(doc.uri, h.withCode('unknown-dependency'));
      assert.equal(doc.getText(list.find((d) => h.diagnosticCode(d) === 'unknown-dependency').range), 'transfrom');
    },
  );
  await h.waitForDiagnostics(doc.uri, (l) => l.length === 0);
});

/** Pids of the language servers the extension host forked (the client forks dist/server.cjs). */
function serverPids() {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => /dist\/server\.cjs/.test(line))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

test('a language server that crashes is restarted and answers again', async () => {
  const server = await serverApi();
  await h.languageServerReady();
  await healthReaches(server, 'ready');
  const before = serverPids();
  assert.equal(before.length, 1, `expected one server process, found ${JSON.stringify(before)}`);
  const seen = [];
  const sub = server.onDidChangeHealth((health) => seen.push(health));
  try {
    const restarted = new Promise((resolve) => {
      const wait = server.onDidChangeHealth((health) => {
        if (health === 'ready') {
          wait.dispose();
          resolve();
        }
      });
    });
    process.kill(before[0], 'SIGKILL');
    await Promise.race([restarted, new Promise((_, reject) => setTimeout(() => reject(new Error(`no restart; health went ${seen.join(' → ')}`)), 20000))]);
  } finally {
    sub.dispose();
  }
  assert.ok(seen.includes('starting'), `health went ${seen.join(' → ')}`);
  const after = serverPids();
  assert.equal(after.length, 1, `expected one server process, found ${JSON.stringify(after)}`);
  assert.notEqual(after[0], before[0], 'the server process was not replaced');
  const doc = await h.openFixture('broken.pipeline.yaml');
  const at = h.positionOf(doc, 'depends_on: transform', { offset: 'depends_on: tr'.length });
  const text = h.hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, at));
  assert.match(text, /transform/, `no hover from the restarted server: ${text || '(none)'}`);
});

test('an untitled pipeline document gets diagnostics too', async () => {
  await h.languageServerReady();
  const doc = await vscode.workspace.openTextDocument({
    language: h.LANGUAGE_ID,
    content: 'blocks:\n  a:\n    run: echo a\n    depends_on: [b]\n',
  });
  await vscode.window.showTextDocument(doc);
  const list = await h.waitForDiagnostics(doc.uri, h.withCode('unknown-dependency'));
  assert.equal(doc.getText(list[0].range), 'b', h.formatDiagnostics(list));
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
});

test('the status commands exist', async () => {
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['pipelineStudio.restartServer', 'pipelineStudio.showServerLogs']) {
    assert.ok(commands.includes(id), `${id} is not registered`);
  }
  // Showing the logs must not throw (it reveals the output channel).
  await vscode.commands.executeCommand('pipelineStudio.showServerLogs');
});
