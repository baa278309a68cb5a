import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, tempDir } from './support.ts';

// `run --for-each VAR=@FILE`: one run per line as a batch, found again with `batch:ID`; `show`
// lists a fan-out block's items. The CLI runs as users run it: a process of its own, from source.

function cli(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('run --for-each: one run per line with a shared batch id; batch:ID finds exactly them; a hostile line stays data', () => {
  const dir = tempDir('ps-batch-');
  writeFileSync(join(dir, 'p.pipeline.yaml'), `variables:
  name: { default: nobody }
blocks:
  greet:
    run: |
      printf '%s\\n' "hello \${{ vars.name }}"
      test "\${{ vars.name }}" != bad
`);
  writeFileSync(join(dir, 'items.txt'), 'alice\nbob\n\n$(touch pwned)\nbad\n');
  const other = cli(['run', 'p.pipeline.yaml'], dir);
  assert.equal(other.code, 0, other.stderr);
  const batch = cli(['run', 'p.pipeline.yaml', '--for-each', 'name=@items.txt', '--max-parallel', '2'], dir);
  assert.equal(batch.code, 1, 'one run failed');
  const id = /^Batch ([0-9a-f]{8}): 4 runs of /m.exec(batch.stdout)?.[1];
  assert.ok(id !== undefined, batch.stdout);
  assert.match(batch.stdout, /^\[\d\/4\] Run #\d+ name="bad": failed \(greet failed\)$/m);
  assert.match(batch.stdout, new RegExp(`^Batch ${id}: 3 completed, 1 not completed\\.$`, 'm'));
  assert.equal(existsSync(join(dir, 'pwned')), false);

  const found = cli(['runs', '--query', `batch:${id}`, '--json'], dir);
  assert.equal(found.code, 0, found.stderr);
  const runs = JSON.parse(found.stdout) as { id: number; batchId?: string; variables: Record<string, string>; status: string }[];
  assert.deepEqual(runs.map((r) => r.variables.name).sort(), ['$(touch pwned)', 'alice', 'bad', 'bob']);
  assert.ok(runs.every((r) => r.batchId === id));
  const table = cli(['runs', '--query', `batch:${id}`], dir);
  assert.match(table.stdout, new RegExp(`cli batch:${id}`));
  const show = cli(['show', String(runs[0]?.id ?? 0)], dir);
  assert.match(show.stdout, new RegExp(`^  batch +${id} `, 'm'));
  assert.equal(cli(['runs', '--query', 'batch:nope', '--json'], dir).stdout.trim(), '[]');
  const refused = cli(['run', 'p.pipeline.yaml', '--for-each', 'name=items.txt'], dir);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /--for-each takes VAR=@FILE/);
});

test('show lists a fan-out block\'s items and the failed ones with their values', () => {
  const dir = tempDir('ps-fanshow-');
  writeFileSync(join(dir, 'p.pipeline.yaml'), `blocks:
  each:
    foreach: [ok-1, broken, ok-2]
    run: |
      echo "item \${{ item }}"
      test "\${{ item }}" != broken
`);
  const run = cli(['run', 'p.pipeline.yaml'], dir);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^each\[1\] +\| ✕ failed \(exit code 1\)$/m);
  assert.match(run.stdout, /^each +failed +0 +\S+ +1 of 3 items failed$/m);
  const show = cli(['show', 'latest'], dir);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^ {2}each: 3 items \(2 completed, 1 failed\)$/m);
  assert.match(show.stdout, /^ {4}each\[1\] "broken": exit code 1$/m);
  const log = cli(['logs', 'latest', 'each[1]'], dir);
  assert.equal(log.code, 0, log.stderr);
  assert.equal(log.stdout, 'item broken\n');
  const okLog = cli(['logs', 'latest', 'each[2]'], dir);
  assert.equal(okLog.code, 0, okLog.stderr);
  assert.equal(okLog.stdout, 'item ok-2\n');
  assert.equal(cli(['logs', 'latest', 'each[9]'], dir).code, 1);
});
