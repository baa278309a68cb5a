import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

/**
 * `pipeline-studio run` without a terminal, as CI runs it: a block waiting at its approval gate is
 * announced with the command that decides it, and that command is run (`approve` or `reject`)
 * from a second process, as someone would from another terminal. A run that neither ends nor
 * reaches a gate within HANG_MS is killed and fails the test.
 */
function cliRunDeciding(args: string[], cwd: string, decision: 'approve' | 'reject'): Promise<{ code: number | null; out: string; decided: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const decided: string[] = [];
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the run neither ended nor waited for approval within ${HANG_MS} ms:\n${out}`));
    }, HANG_MS);
    const store = args[args.indexOf('--store') + 1] ?? '';
    const read = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      for (const match of out.matchAll(/waits for approval: pipeline-studio approve (\d+) (\S+)/g)) {
        const gate = `${match[1] ?? ''} ${match[2] ?? ''}`;
        if (decided.includes(gate)) continue;
        decided.push(gate);
        const answer = cliRun([decision, match[1] ?? '', match[2] ?? '', '--comment', 'from the template test', '--store', store], cwd);
        if (answer.code !== 0) out += `\n[${decision} failed: ${answer.out}]`;
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, out, decided });
    });
  });
}

const HANG_MS = 240_000;

describe('pipeline templates', () => {
  const files = readdirSync(TEMPLATES).filter((f) => f.endsWith('.pipeline.yaml')).sort();
  test('the five required templates are there', () => {
    for (const name of REQUIRED) assert.ok(files.includes(`${name}.pipeline.yaml`), `${name} template`);
  });
  for (const file of files) {
    test(`${file} validates with no diagnostic and runs to completion`, { timeout: 600_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ps-template-'));
      folders.push(dir);
      copyFileSync(join(TEMPLATES, file), join(dir, file));
      const validated = cliRun(['validate', file], dir);
      assert.equal(validated.code, 0, validated.out);
      assert.match(validated.out, /0 error\(s\), 0 warning\(s\)/);
      // A template with an approval gate is approved, as its user would.
      const ran = await cliRunDeciding(['run', file, '--store', join(dir, 'runs.db')], dir, 'approve');
      assert.equal(ran.code, 0, ran.out);
      assert.match(ran.out, /Run #1 completed\./);
      assert.ok(existsSync(join(dir, '.out')), 'the template wrote its results under .out/');
    });
  }
  test('deploy-with-approval: the deploy waits at its approval gate; approved it deploys, rejected nothing is deployed', { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-template-'));
    folders.push(dir);
    const file = 'deploy-with-approval.pipeline.yaml';
    copyFileSync(join(TEMPLATES, file), join(dir, file));
    const live = join(dir, '.out', 'deploy', 'staging', 'app.txt');
    const rejected = await cliRunDeciding(['run', file, '--store', join(dir, 'runs.db')], dir, 'reject');
    assert.deepEqual(rejected.decided, ['1 deploy'], rejected.out);
    assert.notEqual(rejected.code, 0, rejected.out);
    assert.match(rejected.out, /rejected/);
    assert.equal(existsSync(live), false, 'nothing deployed when rejected');
    const approved = await cliRunDeciding(['run', file, '--store', join(dir, 'runs.db')], dir, 'approve');
    assert.deepEqual(approved.decided, ['2 deploy'], approved.out);
    assert.equal(approved.code, 0, approved.out);
    assert.match(approved.out, /Run #2 completed\./);
    assert.equal(readFileSync(live, 'utf8'), 'build 2\n');
  });
});
