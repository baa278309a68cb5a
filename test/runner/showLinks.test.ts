import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './cliProcesses.ts';
import { tempDir } from './support.ts';

// `show RUN` says how a run relates to others: the profile it ran with (and whether it is a test
// run), the run whose `pipeline:` block started it, and the child runs its own blocks started.

test('show lists a run\'s profile and test flag and its child runs; a child run shows its parent (text and --json)', () => {
  const dir = tempDir('ps-showlinks-');
  writeFileSync(join(dir, 'p.pipeline.yaml'), `variables:
  target: { default: prod }
profiles:
  test:
    variables: { target: sandbox }
blocks:
  build:
    run: echo "build for \${{ vars.target }}"
  train:
    depends_on: [build]
    pipeline: ./train.pipeline.yaml
`);
  writeFileSync(join(dir, 'train.pipeline.yaml'), 'blocks:\n  fit:\n    run: echo fitted\n');
  const ran = cli(['run', 'p.pipeline.yaml', '--test'], dir);
  assert.equal(ran.code, 0, ran.stderr);

  const parent = cli(['show', '1'], dir);
  assert.equal(parent.code, 0, parent.stderr);
  assert.match(parent.stdout, /^ {2}profile +test \(a test run: left out of success rates unless asked for\)$/m);
  assert.match(parent.stdout, /^ {2}children +#2 \(train, completed\)$/m);
  assert.doesNotMatch(parent.stdout, /^ {2}parent /m);
  const child = cli(['show', '2'], dir);
  assert.match(child.stdout, /^ {2}parent +run #1, block train$/m);
  assert.doesNotMatch(child.stdout, /^ {2}(profile|children) /m);

  const parentJson = JSON.parse(cli(['show', '1', '--json'], dir).stdout) as Record<string, unknown>;
  assert.equal(parentJson.profile, 'test');
  assert.equal(parentJson.test, true);
  assert.equal(parentJson.parent, null);
  assert.deepEqual(parentJson.children, [{ runId: 2, block: 'train', status: 'completed' }]);
  const childJson = JSON.parse(cli(['show', '2', '--json'], dir).stdout) as Record<string, unknown>;
  assert.deepEqual(childJson.parent, { runId: 1, block: 'train' });
  assert.deepEqual([childJson.profile, childJson.test, childJson.children], [null, false, []]);

  // A run with a profile that is not `test` is no test run.
  const staged = cli(['run', 'p.pipeline.yaml', '--profile', 'test', '--only', 'build'], dir);
  assert.equal(staged.code, 0, staged.stderr);
  const plain = cli(['show', 'latest'], dir);
  assert.match(plain.stdout, /^ {2}profile +test$/m);
  assert.equal((JSON.parse(cli(['show', 'latest', '--json'], dir).stdout) as { test: boolean }).test, false);
});
