import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// These run the bundled CLI (`npm test` builds first) as a separate process, as users and CI do.
const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.cjs');

function run(args: string[], cwd = root): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const folders: string[] = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function tempFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ps-cli-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('validate examples/ passes with exit 0', () => {
  const r = run(['validate', 'examples/']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /pipeline files checked: 0 error\(s\), 0 warning\(s\)\./);
});

test('errors print compiler-style lines and exit 1', () => {
  const dir = tempFolder({ 'bad.pipeline.yaml': 'blocks:\n  a:\n    run: echo\n    depends_on: [b]\n', 'notes.txt': 'ignored' });
  const r = run(['validate', dir]);
  assert.equal(r.code, 1);
  assert.ok(r.stdout.includes(`${join(dir, 'bad.pipeline.yaml')}:4:18: error unknown-dependency: Unknown block 'b' in depends_on of 'a'.`), r.stdout);
  assert.match(r.stdout, /1 pipeline file checked: 1 error\(s\)/);
});

test('--format json gives machine-readable diagnostics', () => {
  const dir = tempFolder({ 'x.pipeline.yml': 'blocks:\n  a:\n    run: echo\n    retry: 0\n' });
  const r = run(['validate', '--format', 'json', dir]);
  assert.equal(r.code, 1);
  const parsed = JSON.parse(r.stdout) as { files: { file: string; diagnostics: { code: string; line: number; column: number }[] }[]; counts: { error: number } };
  assert.equal(parsed.counts.error, 1);
  assert.deepEqual(parsed.files[0]?.diagnostics.map((d) => [d.code, d.line, d.column]), [['invalid-retry', 4, 12]]);
});

test('warnings alone exit 0', () => {
  const dir = tempFolder({ 'w.pipeline.yaml': 'blocks:\n  a:\n    run: echo\n  b:\n    run: echo\n    depends_on: [a, a]\n' });
  const r = run(['validate', dir]);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /warning duplicate-dependency/);
});

test('usage errors exit 2 with a clear message', () => {
  const missing = run(['validate', 'no/such/file.pipeline.yaml']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /No such file or folder: no\/such\/file\.pipeline\.yaml/);
  assert.equal(run(['validate']).code, 2);
  assert.equal(run(['validate', '--format', 'xml', 'examples']).code, 2);
  const unknown = run(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
});
