import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver-protocol';
import { positionAt } from './fixture.ts';
import { LspClient } from './lspClient.ts';

// Hostile documents over the protocol: each gets diagnostics (or none) in bounded time, every
// request on it answers, and afterwards the server still serves a normal document.

let client: LspClient;
let next = 0;

before(async () => {
  client = await LspClient.start();
});

after(async () => {
  await client.stop();
});

/** Deterministic bytes, so a failure can be replayed. */
function garbage(length: number, seed: number): string {
  let state = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    out += String.fromCharCode(state % 256);
  }
  return out;
}

const NORMAL = 'blocks:\n  extract:\n    run: echo extract\n  load:\n    depends_on: extract\n    run: echo load\n';

const HOSTILE: Record<string, () => string> = {
  'binary garbage': () => garbage(64 * 1024, 7),
  'binary garbage after a valid start': () => `blocks:\n  a:\n    run: ${garbage(4096, 11)}\n`,
  '10 MB file': () => `blocks:\n${Array.from({ length: 155_000 }, (_, i) => `  b${i}:\n    run: echo "${'x'.repeat(40)}"\n`).join('')}`,
  'deeply nested flow YAML': () => `blocks: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
  'deeply nested block YAML': () => `blocks:\n${Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')}\n`,
  'lone surrogates (invalid UTF-16/UTF-8)': () => `blocks:\n  a\uD800:\n    run: echo \uDC00\uDFFF ${'\uD83D'.repeat(100)}\n`,
  'huge single line': () => `blocks: {a: {run: "${'y'.repeat(3_000_000)}"}}`,
  'huge key line': () => `${'k'.repeat(2_000_000)}: 1\n`,
  'alias bomb': () => `a: &a [x, x]\n${Array.from({ length: 30 }, (_, i) => `b${i}: &b${i} [${i === 0 ? '*a, *a' : `*b${i - 1}, *b${i - 1}`}]`).join('\n')}\nblocks:\n  a:\n    run: echo\n`,
  'NUL and control characters': () => 'blocks:\n  a:\n    run: echo \u0000\u001b[31m\u0007\n',
  'unclosed expression at the end': () => 'blocks:\n  a:\n    run: echo ${{ blocks.',
};

/** Requests an editor makes on a document, at `at`; each must answer without an error. */
async function exercise(uri: string, text: string, offset: number): Promise<void> {
  const position = positionAt(text, offset);
  const textDocument = { uri };
  await client.request('textDocument/completion', { textDocument, position, context: { triggerKind: 1 } });
  await client.request('textDocument/hover', { textDocument, position });
  await client.request('textDocument/definition', { textDocument, position });
  await client.request('textDocument/references', { textDocument, position, context: { includeDeclaration: true } });
  await client.request('textDocument/documentHighlight', { textDocument, position });
  await client.request('textDocument/documentSymbol', { textDocument });
  await client.request('textDocument/foldingRange', { textDocument });
  await client.request('textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics: [] } });
  await client.request('textDocument/prepareRename', { textDocument, position }).catch((error: unknown) => {
    // A refused rename is an answer; anything else is not.
    assert.match((error as Error).message, /can be renamed|cannot be renamed/);
  });
}

for (const [name, make] of Object.entries(HOSTILE)) {
  test(`survives ${name}`, { timeout: 60_000 }, async () => {
    const text = make();
    const uri = `file:///hostile/${next++}.pipeline.yaml`;
    await client.open(uri, text);
    const event = await client.waitForDiagnostics(uri, () => true, 30_000);
    assert.ok(Array.isArray(event.diagnostics));
    for (const offset of [0, Math.floor(text.length / 2), text.length]) await exercise(uri, text, offset);
    // An edit at the end keeps it hostile and must be validated too.
    const end = positionAt(text, text.length);
    await client.change(uri, 2, [{ range: { start: end, end }, text: '\u0000:' }]);
    await client.waitForDiagnostics(uri, (e) => e.version === 2, 30_000);
    await client.close(uri);
    assert.ok(client.alive, 'the server is still running');
  });
}

test('after all that, a normal document still gets diagnostics and answers', async () => {
  const uri = `file:///hostile/normal-${next++}.pipeline.yaml`;
  await client.open(uri, NORMAL);
  const event = await client.waitForDiagnostics(uri);
  assert.deepEqual(event.diagnostics, []);
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 18 } });
  assert.match(JSON.stringify(hover?.contents), /Block `extract`/);
  assert.ok(client.alive);
});

test('no handler threw on any of it', () => {
  assert.deepEqual(client.logs.filter((l) => /failed|uncaught|unhandled/.test(l)), []);
});

test('raw invalid UTF-8 bytes on the wire do not take the server down', async () => {
  // Bypasses the JSON-RPC writer to put bytes that are not UTF-8 inside a message.
  const uri = `file:///hostile/bytes-${next++}.pipeline.yaml`;
  const head = Buffer.from(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"${uri}","languageId":"pipeline","version":1,"text":"blocks:\\n  a:\\n    run: echo `);
  const body = Buffer.concat([head, Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80]), Buffer.from('\\n"}}}')]);
  client.child.stdin?.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  const event = await client.waitForDiagnostics(uri);
  assert.ok(Array.isArray(event.diagnostics));
  await client.close(uri);
  const again = `file:///hostile/normal-${next++}.pipeline.yaml`;
  await client.open(again, NORMAL);
  assert.deepEqual((await client.waitForDiagnostics(again)).diagnostics, []);
  assert.ok(client.alive);
});
