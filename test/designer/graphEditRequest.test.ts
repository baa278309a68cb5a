import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BLOCK_FIELDS_METHOD, GRAPH_EDIT_METHOD, type BlockFields, type GraphEditResponse } from '../../server/src/protocol.ts';
import { LspClient } from '../lsp/lspClient.ts';

// The custom requests through a real language server process (dist/server.cjs, npm test builds first).
const URI = 'file:///work/designer/flow.pipeline.yaml';
const TEXT = `name: flow
blocks:
  a:
    run: echo a   # keep me
  b:
    depends_on: a
    run: echo b
`;
let client: LspClient;
before(async () => {
  client = await LspClient.start();
  await client.open(URI, TEXT, 3);
});
after(async () => {
  await client?.stop();
});

test('graphEdit answers a gesture with edits of the open document at its version', async () => {
  const answer = await client.request<GraphEditResponse>(GRAPH_EDIT_METHOD, { textDocument: { uri: URI, version: 3 }, gesture: { kind: 'setDisabled', block: 'b', disabled: true } });
  assert.deepEqual(answer, { edits: [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: '    disabled: true\n' }], problems: [] });
});

test('graphEdit refuses a cycle, a stale version and an unknown gesture, in words', async () => {
  const cycle = await client.request<GraphEditResponse>(GRAPH_EDIT_METHOD, { textDocument: { uri: URI, version: 3 }, gesture: { kind: 'addDependency', from: 'b', to: 'a' } });
  assert.match('error' in cycle ? cycle.error : '', /cycle/);
  const stale = await client.request<GraphEditResponse>(GRAPH_EDIT_METHOD, { textDocument: { uri: URI, version: 2 }, gesture: { kind: 'deleteBlock', block: 'a' } });
  assert.match('error' in stale ? stale.error : '', /changed/);
  const unknown = await client.request<GraphEditResponse>(GRAPH_EDIT_METHOD, { textDocument: { uri: URI, version: 3 }, gesture: { kind: 'format-disk' } });
  assert.ok('error' in unknown);
});

test('blockFields reads a block\'s panel fields from the open document', async () => {
  const fields = await client.request<BlockFields | null>(BLOCK_FIELDS_METHOD, { textDocument: { uri: URI }, block: 'a' });
  assert.equal(fields?.run, 'echo a');
  assert.equal(fields?.timeout, '');
  assert.equal(await client.request<BlockFields | null>(BLOCK_FIELDS_METHOD, { textDocument: { uri: URI }, block: 'nope' }), null);
});
