import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { githubAnnotations, type FileReport } from '../../core/src/cli/validateFormats.ts';

// `validate --format github|gitlab|sarif` run as CI runs it: the CLI in its own process, from the
// repository root, on a pipeline with an error, a warning and a hint. The outputs are compared with
// golden files (UPDATE_GOLDEN=1 rewrites them) and the SARIF log is validated against the SARIF 2.1.0 schema.
const ROOT = join(import.meta.dirname, '..', '..');
const HERE = join(import.meta.dirname);
const CLI = join(ROOT, 'core', 'src', 'cli', 'main.ts');
const FILE = 'test/validateFormats/broken.pipeline.yaml';

function validate(format: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'validate', '--format', format, FILE], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function golden(name: string, actual: string): void {
  const path = join(HERE, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'), `${name} differs (UPDATE_GOLDEN=1 rewrites it; review the diff)`);
}

test('--format github prints one workflow command per diagnostic (error, warning, notice) with its range and code, then the summary', () => {
  const r = validate('github');
  assert.equal(r.code, 1, r.stderr);
  golden('github.golden.txt', r.stdout);
  assert.match(r.stdout, /^::error file=test\/validateFormats\/broken\.pipeline\.yaml,line=7,col=18,endLine=7,endColumn=22,title=unknown-dependency::Unknown block 'nope'/m);
  assert.match(r.stdout, /^::warning .*title=duplicate-dependency::/m);
  assert.match(r.stdout, /^::notice .*title=unused-variable::/m);
});

test('annotation values are escaped as the Actions runner reads them: a message cannot end its line or start a command', () => {
  const reports: FileReport[] = [{
    file: 'odd, name:x.pipeline.yaml',
    diagnostics: [{ code: 'invalid-value', severity: 'error', message: '100% wrong\n::error::forged', span: { start: 0, end: 1 }, line: 1, column: 1, endLine: 1, endColumn: 2 }],
  }];
  assert.deepEqual(githubAnnotations(reports), ['::error file=odd%2C name%3Ax.pipeline.yaml,line=1,col=1,endLine=1,endColumn=2,title=invalid-value::100%25 wrong%0A::error::forged']);
});

test('--format gitlab writes a Code Quality report: severities mapped, positions, unique fingerprints', () => {
  const r = validate('gitlab');
  assert.equal(r.code, 1, r.stderr);
  golden('gitlab.golden.json', r.stdout);
  const issues = JSON.parse(r.stdout) as { check_name: string; severity: string; fingerprint: string; location: { path: string } }[];
  assert.deepEqual(issues.map((i) => `${i.check_name}:${i.severity}`), ['unused-variable:info', 'unknown-dependency:major', 'invalid-duration:major', 'duplicate-dependency:minor']);
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length);
  assert.ok(issues.every((i) => i.location.path === FILE));
});

test('--format sarif writes a SARIF 2.1.0 log that the official schema accepts', () => {
  const r = validate('sarif');
  assert.equal(r.code, 1, r.stderr);
  golden('sarif.golden.json', r.stdout);
  const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
  assert.deepEqual(log.runs[0]?.results.map((x) => `${x.ruleId}:${x.level}`), ['unused-variable:note', 'unknown-dependency:error', 'invalid-duration:error', 'duplicate-dependency:warning']);
  // The schema is draft-04 (`id`); Ajv reads it as a later draft once `id` is `$id`, as no other draft-04-only keyword occurs in it.
  const { id, $schema: _draft, ...schema } = JSON.parse(readFileSync(join(HERE, 'sarif-2.1.0-rtm.5.schema.json'), 'utf8')) as Record<string, unknown>;
  // unicodeRegExp off: one pattern of the schema (the language tag's `]?`) is valid only without the u flag.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajvFormats.default(ajv); // a CommonJS module: its function is also its `default`
  const check = ajv.compile({ ...schema, $id: String(id) });
  assert.equal(check(log), true, JSON.stringify(check.errors, null, 2));
  // It can fail: a log the schema refuses.
  assert.equal(check({ ...log, version: '2.0.0' }), false);
});

test('an unknown format is a usage error naming the formats', () => {
  const r = validate('xml');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--format must be one of text, json, github, gitlab, sarif, not 'xml'/);
});
