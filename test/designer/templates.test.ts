import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

// The "New Pipeline…" templates: each validates clean and runs to completion through the bundled
// CLI (npm test builds first) on a bare machine's tools (a shell and python3), in a folder of its own.
const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.cjs');
const TEMPLATES = join(root, 'templates');
const REQUIRED = ['etl', 'ml-train-evaluate', 'fan-out-fan-in', 'scheduled-report', 'deploy-with-approval'];
const folders: string[] = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function cliRun(args: string[], cwd: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('pipeline templates', () => {
  const files = readdirSync(TEMPLATES).filter((f) => f.endsWith('.pipeline.yaml')).sort();
  test('the five required templates are there', () => {
    for (const name of REQUIRED) assert.ok(files.includes(`${name}.pipeline.yaml`), `${name} template`);
  });
  for (const file of files) {
    test(`${file} validates with no diagnostic and runs to completion`, { timeout: 600_000 }, () => {
      const dir = mkdtempSync(join(tmpdir(), 'ps-template-'));
      folders.push(dir);
      copyFileSync(join(TEMPLATES, file), join(dir, file));
      const validated = cliRun(['validate', file], dir);
      assert.equal(validated.code, 0, validated.out);
      assert.match(validated.out, /0 error\(s\), 0 warning\(s\)/);
      const ran = cliRun(['run', file, '--store', join(dir, 'runs.db')], dir);
      assert.equal(ran.code, 0, ran.out);
      assert.match(ran.out, /Run #1 completed\./);
      assert.ok(existsSync(join(dir, '.out')), 'the template wrote its results under .out/');
    });
  }
  test('deploy-with-approval deploys only when approved', { timeout: 600_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-template-'));
    folders.push(dir);
    const file = 'deploy-with-approval.pipeline.yaml';
    copyFileSync(join(TEMPLATES, file), join(dir, file));
    const skipped = cliRun(['run', file, '--store', join(dir, 'runs.db')], dir);
    assert.match(skipped.out, /deploy\s+condition false/);
    assert.equal(existsSync(join(dir, '.out', 'deploy', 'live', 'app.txt')), false);
    const approved = cliRun(['run', file, '--store', join(dir, 'runs.db'), '--var', 'approve=true'], dir);
    assert.equal(approved.code, 0, approved.out);
    assert.ok(existsSync(join(dir, '.out', 'deploy', 'live', 'app.txt')), approved.out);
  });
});
