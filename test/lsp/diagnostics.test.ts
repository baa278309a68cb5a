import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { positionAt } from './fixture.ts';
import { LspClient, MISSPELT_DEPENDENCY } from './lspClient.ts';

// How diagnostics reach the editor: on open, after typing (debounced, latest version only, never
// stale), cleared on close, per document.

let client: LspClient;
let next = 0;
const uriOf = (folder = 'ws'): string => `file:///${folder}/case-${next++}.pipeline.yaml`;

before(async () => {
  client = await LspClient.start();
});

after(async () => {
  await client.stop();
});

/** Replaces all the text, as an editor's full-range change does. */
function replaceAll(before: string, after: string): unknown {
  return { range: { start: { line: 0, character: 0 }, end: positionAt(before, before.length) }, text: after };
}

const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => String(d.code));

test('didOpen publishes the core diagnostics with ranges, source, suggestion and version', async () => {
  const uri = uriOf();
  const event = await client.diagnosticsFor(uri, MISSPELT_DEPENDENCY, 7);
  assert.equal(event.version, 7);
  assert.equal(event.diagnostics.length, 1);
  const [d] = event.diagnostics;
  assert.equal(d?.code, 'unknown-dependency');
  assert.equal(d?.severity, 1);
  assert.equal(d?.source, 'pipeline');
  assert.deepEqual(d?.range, { start: { line: 4, character: 17 }, end: { line: 4, character: 23 } });
  assert.match(typeof d?.message === 'string' ? d.message : '', /Did you mean 'extract'\?/);
  assert.deepEqual(d?.data, { suggestion: 'extract' });
  await client.close(uri);
});

test('a dependency cycle is reported on each edge with related information', async () => {
  const uri = uriOf();
  const event = await client.diagnosticsFor(uri, 'blocks:\n  a:\n    depends_on: b\n    run: echo a\n  b:\n    depends_on: a\n    run: echo b\n');
  assert.deepEqual(codes(event.diagnostics), ['dependency-cycle', 'dependency-cycle']);
  for (const d of event.diagnostics) assert.ok((d.relatedInformation ?? []).every((r) => r.location.uri === uri));
  await client.close(uri);
});

test('a burst of changes publishes once, for the latest version only', async () => {
  const uri = uriOf();
  let text = MISSPELT_DEPENDENCY;
  await client.diagnosticsFor(uri, text, 1);
  // Five changes written at once, as a paste or a multi-cursor edit sends them, well inside the
  // shortest debounce (10 ms): `extact` becomes `extract`, then more. One write, so that a busy
  // machine cannot spread them out (one notification per write could be paused between writes).
  const steps = ['extrct', 'extrac', 'extract', 'extracts', 'extract'];
  let version = 1;
  const burst: { version: number; changes: unknown[] }[] = [];
  for (const step of steps) {
    const after = MISSPELT_DEPENDENCY.replace('extact]', `${step}]`);
    burst.push({ version: ++version, changes: [replaceAll(text, after)] });
    text = after;
  }
  await client.changeAtOnce(uri, burst);
  const last = await client.waitForDiagnostics(uri, (e) => e.version === version);
  assert.deepEqual(last.diagnostics, [], 'the fixed text has no problem');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const versions = client.diagnosticsOf(uri).map((e) => e.version);
  assert.deepEqual(versions, [1, version], 'no intermediate version is published');
  await client.close(uri);
});

test('published versions only grow, and each matches the text of its version', async () => {
  const uri = uriOf();
  let text = 'blocks:\n  a:\n    run: echo a\n';
  await client.diagnosticsFor(uri, text, 1);
  // Alternate valid and invalid texts with pauses around the debounce, so some versions are
  // published and some are superseded while their timer runs.
  const texts: string[] = [text];
  for (let version = 2; version <= 16; version++) {
    const after = version % 2 === 0 ? `${text}  b${version}:\n    depends_on: missing\n    run: echo b\n` : text.replace(/ {2}b\d+:\n {4}depends_on: missing\n {4}run: echo b\n/, '');
    await client.change(uri, version, [replaceAll(text, after)]);
    texts[version - 1] = after;
    text = after;
    await new Promise((resolve) => setTimeout(resolve, (version * 17) % 90));
  }
  await client.waitForDiagnostics(uri, (e) => e.version === 16);
  const events = client.diagnosticsOf(uri);
  for (let i = 1; i < events.length; i++) assert.ok((events[i]?.version ?? 0) > (events[i - 1]?.version ?? 0), 'versions increase');
  for (const event of events) {
    const expectsError = (texts[(event.version ?? 0) - 1] ?? '').includes('missing');
    assert.deepEqual(codes(event.diagnostics), expectsError ? ['unknown-dependency'] : [], `version ${event.version}`);
  }
  await client.close(uri);
});

test('a change made while a request forces validation still gets published', async () => {
  const uri = uriOf();
  await client.diagnosticsFor(uri, 'blocks:\n  a:\n    run: echo a\n', 1);
  await client.change(uri, 2, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: '    depends_on: a\n' }]);
  // Symbols read the current version at once, before the debounce publishes it.
  const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.ok(symbols.length > 0);
  const event = await client.waitForDiagnostics(uri, (e) => e.version === 2);
  assert.deepEqual(codes(event.diagnostics), ['self-dependency']);
  await client.close(uri);
});

test('didClose clears the diagnostics', async () => {
  const uri = uriOf();
  await client.open(uri, MISSPELT_DEPENDENCY);
  await client.waitForDiagnostics(uri, (e) => e.diagnostics.length > 0);
  const seen = client.diagnosticsOf(uri).length;
  await client.close(uri);
  const cleared = await client.waitForDiagnostics(uri, (e) => client.diagnosticsOf(uri).indexOf(e) >= seen);
  assert.deepEqual(cleared.diagnostics, []);
});

test('documents of different workspace folders are validated independently', async () => {
  const first = uriOf('repo-one/pipelines');
  const second = uriOf('repo-two');
  await client.open(first, MISSPELT_DEPENDENCY);
  await client.open(second, 'blocks:\n  a:\n    run: echo a\n    timeout: 5 minutes\n');
  const [one, two] = await Promise.all([client.waitForDiagnostics(first), client.waitForDiagnostics(second)]);
  assert.deepEqual(codes(one.diagnostics), ['unknown-dependency']);
  assert.deepEqual(codes(two.diagnostics), ['invalid-duration']);
  await client.close(first);
  const seen = client.diagnosticsOf(second).length;
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(client.diagnosticsOf(second).length, seen, 'closing one document leaves the other alone');
  await client.close(second);
});

test('an untitled document gets diagnostics too', async () => {
  const uri = `untitled:Untitled-${next++}`;
  const event = await client.diagnosticsFor(uri, 'name: x\n');
  assert.deepEqual(codes(event.diagnostics), ['no-blocks']);
  await client.close(uri);
});

test('no handler failed along the way', () => {
  assert.deepEqual(client.logs.filter((l) => /failed|uncaught|unhandled/.test(l)), []);
  assert.ok(client.alive);
});
