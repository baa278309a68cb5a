import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../core/src/store/index.ts';
import { ExecutionLinks } from '../../core/src/store/executionLinks.ts';
import { CLI, tempDir } from './support.ts';

// Test runs (issue 17): `profiles:`, `run --profile NAME`, `run --test`, and stats without test runs.

function cli(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PIPELINE = `variables:
  target: { default: prod }
env:
  MODE: real
profiles:
  test:
    variables: { target: "sandbox; rm -rf nothing" }
    env: { MODE: dry }
  staging:
    variables: { target: staging }
blocks:
  ship:
    run: printf '%s %s\\n' "\${{ vars.target }}" "$MODE" >> shipped.txt && test "$MODE" = real
`;

test('--profile applies variables and env and is recorded; --test is a test run left out of stats unless --include-test', () => {
  const dir = tempDir('ps-profile-');
  writeFileSync(join(dir, 'p.pipeline.yaml'), PIPELINE);
  assert.equal(cli(['run', 'p.pipeline.yaml'], dir).code, 0);
  const staging = cli(['run', 'p.pipeline.yaml', '--profile', 'staging'], dir);
  assert.equal(staging.code, 0, staging.stderr);
  // The test profile's env makes the block fail: a failed test run must not lower the success rate.
  assert.equal(cli(['run', 'p.pipeline.yaml', '--test'], dir).code, 1);
  assert.deepEqual(readFileSync(join(dir, 'shipped.txt'), 'utf8').split('\n').filter((l) => l !== ''), ['prod real', 'staging real', 'sandbox; rm -rf nothing dry']);

  const unknown = cli(['run', 'p.pipeline.yaml', '--profile', 'nope'], dir);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /there is no profile 'nope' in p; its profiles: test, staging/);
  assert.equal(cli(['run', 'p.pipeline.yaml', '--test', '--profile', 'staging'], dir).code, 2);

  const store = openStore(join(dir, '.pipelines', 'runs.sqlite'), { readonly: true });
  const links = ExecutionLinks.open(store, { readonly: true });
  try {
    assert.deepEqual([1, 2, 3].map((id) => [store.getRun(id)?.trigger, links.profileOf(id)]), [['cli', undefined], ['cli', 'staging'], ['test', 'test']]);
  } finally {
    links.close();
    store.close();
  }
  const stats = JSON.parse(cli(['stats', '--json'], dir).stdout) as { runs: number; successRate: number };
  assert.deepEqual([stats.runs, stats.successRate], [2, 1]);
  const all = JSON.parse(cli(['stats', '--json', '--include-test'], dir).stdout) as { runs: number; successRate: number };
  assert.deepEqual([all.runs, all.successRate], [3, 2 / 3]);
});
