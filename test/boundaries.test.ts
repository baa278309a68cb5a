import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// core/ is the VS-Code-free engine shared by the CLI, the server and the extension.
const FORBIDDEN = /from\s+['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*)['"]|require\(\s*['"]vscode/;

function files(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

test('core/ imports neither vscode nor any LSP package', () => {
  const root = join(import.meta.dirname, '..');
  const offenders = files(join(root, 'core')).filter((f) => FORBIDDEN.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
  assert.deepEqual(offenders, []);
});
