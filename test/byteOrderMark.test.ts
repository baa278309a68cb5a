import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../core/src/cli/runCommand.ts';
import { validateCommand, type CliIo } from '../core/src/cli/validateCommand.ts';
import { LspClient } from './lsp/lspClient.ts';

// A UTF-8 byte-order mark is no column: an editor (VS Code drops it from the document's text)
// shows `nmae` at 1:1, and so must the CLI and the language server.

const BOM = '\uFEFF';
const TYPO = 'nmae: orders\nblocks:\n  a:\n    run: echo a\n    retry: 0\n';
const folder = mkdtempSync(join(tmpdir(), 'ps-bom-'));
const file = join(folder, 'bom.pipeline.yaml');
writeFileSync(file, BOM + TYPO);

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
  rmSync(folder, { recursive: true, force: true });
});

function capture(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

test('validate: a file starting with a byte-order mark reports editor columns', () => {
  const text = capture();
  assert.equal(validateCommand([file], text), 1);
  assert.equal(text.lines[0], `${file}:1:1: error unknown-key: Unknown key 'nmae' in the pipeline. Did you mean 'name'?`);
  // Later lines never had the mark in them.
  assert.ok(text.lines[1]?.startsWith(`${file}:5:12: error invalid-retry: `), text.lines[1]);
  const json = capture();
  validateCommand([file, '--format', 'json'], json);
  const parsed = JSON.parse(json.lines.join('\n')) as { files: { diagnostics: { code: string; line: number; column: number; endLine: number; endColumn: number }[] }[] };
  assert.deepEqual(parsed.files[0]?.diagnostics[0], {
    code: 'unknown-key', severity: 'error', message: "Unknown key 'nmae' in the pipeline. Did you mean 'name'?", line: 1, column: 1, endLine: 1, endColumn: 5, suggestion: 'name',
  });
});

test('run: the errors that refuse a file with a byte-order mark have editor columns too', async () => {
  const io = capture();
  assert.equal(await runCommand([file, '--dry-run'], io), 1);
  assert.equal(io.errors[0], `${file}:1:1: error unknown-key: Unknown key 'nmae' in the pipeline. Did you mean 'name'?`);
});

test('a valid file with a byte-order mark validates clean and plans', async () => {
  const clean = join(folder, 'clean.pipeline.yaml');
  writeFileSync(clean, `${BOM}name: orders\nblocks:\n  a:\n    run: echo a\n`);
  const io = capture();
  assert.equal(validateCommand([clean], io), 0, io.lines.join('\n'));
  const plan = capture();
  assert.equal(await runCommand([clean, '--dry-run', '--store', join(folder, 'runs.sqlite')], plan), 0, plan.errors.join('\n'));
  assert.match(plan.lines.join('\n'), /\ba\b.*would run/);
});

test('the language server, given the text as VS Code sends it (without the mark), agrees with the CLI', async () => {
  const uri = 'file:///ws/bom.pipeline.yaml';
  await client.open(uri, TYPO);
  const event = await client.waitForDiagnostics(uri);
  const typo = event.diagnostics.find((d) => d.code === 'unknown-key');
  assert.deepEqual(typo?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } });
  await client.close(uri);
});
