import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { LspClient } from '../lsp/lspClient.ts';

// `pipeline-studio lsp --stdio`, as Neovim or Helix start it: the bundled CLI, spoken to by a real
// LSP client (JSON-RPC over the process's stdin/stdout): initialize, diagnostics of an opened
// document, a completion, then shutdown/exit ending the process.
const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.cjs');

test('the CLI\'s lsp --stdio is a language server: capabilities, diagnostics, completion, clean exit', async () => {
  const client = await LspClient.start({ TZ: 'UTC' }, [CLI, 'lsp', '--stdio']);
  try {
    const uri = 'file:///ws/stdio.pipeline.yaml';
    await client.open(uri, 'blocks:\n  a:\n    run: echo a\n  b:\n    depends_on: [aa]\n    run: echo b\n');
    const event = await client.waitForDiagnostics(uri, (e) => e.diagnostics.length > 0, 60_000);
    assert.deepEqual(event.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['unknown-dependency', 4, 17]]);
    const items = await client.connection.sendRequest<{ label: string }[] | { items: { label: string }[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 17 } });
    const labels = (Array.isArray(items) ? items : items.items).map((i) => i.label);
    assert.ok(labels.includes('a'), `completion of a dependency: ${JSON.stringify(labels)}`);
  } finally {
    await client.stop();
  }
  assert.equal(client.alive, false, 'the server did not exit on exit');
  assert.equal(client.child.exitCode, 0, `exit code ${client.child.exitCode}; stderr: ${client.stderr.join('')}`);
});

test('lsp without --stdio is a usage error (exit 2), and --help says how to use it', () => {
  const wrong = spawnSync(process.execPath, [CLI, 'lsp'], { encoding: 'utf8' });
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /pass --stdio/);
  const help = spawnSync(process.execPath, [CLI, 'lsp', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Neovim, Helix/);
});
