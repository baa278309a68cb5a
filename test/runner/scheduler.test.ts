import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '../../core/src/runner/events.ts';
import { runFile, runYaml, waitFor } from './support.ts';

/** Blocks in the order the scheduler started them (a block-attempt event comes later, once its process reports a pid). */
function starts(events: RunEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'block-status' && e.status === 'running' && e.attempt === 1 && e.reason === undefined ? [e.block] : []));
}

test('at most `concurrency` blocks run at once, ready blocks start in file order', async () => {
  let running = 0;
  let peak = 0;
  const blocks = ['e', 'a', 'd', 'b', 'c'].map((id) => `  ${id}:\n    run: sleep 0.15\n`).join('');
  const r = await runYaml(`concurrency: 2\nblocks:\n${blocks}`, {
    onEvent: (e) => {
      if (e.type === 'block-status' && e.status === 'running' && e.attempt === 1) peak = Math.max(peak, ++running);
      if (e.type === 'block-status' && e.status === 'completed') running--;
    },
  });
  assert.equal(r.result.status, 'completed');
  assert.equal(peak, 2);
  assert.deepEqual(starts(r.events), ['e', 'a', 'd', 'b', 'c']);
});

test('--concurrency overrides the pipeline and a block starts as soon as its own upstream is done', async () => {
  const r = await runYaml(`concurrency: 1
blocks:
  slow:
    run: |
      for i in $(seq 600); do [ -e after_quick.ran ] && exit 0; sleep 0.05; done
      exit 1
  quick:
    run: sleep 0.05
  after_quick:
    depends_on: quick
    run: touch after_quick.ran
`, { concurrency: 3 });
  // slow ends only once after_quick has run (or fails after 30 s): an order, not a race of sleeps.
  assert.equal(r.block('slow').status, 'completed', 'after_quick ran while slow was running');
  const at = (block: string, status: string): number => r.events.find((e) => e.type === 'block-status' && e.block === block && e.status === status)?.time ?? Number.NaN;
  assert.ok(at('after_quick', 'running') < at('slow', 'completed'), 'after_quick did not wait for slow');
});

test('outputs pass downstream: name=value, multi-line values, and missing ones read as empty', async () => {
  const r = await runYaml(`blocks:
  producer:
    outputs: [count, report]
    run: |
      echo "count=42" >> "$PIPELINE_OUTPUT"
      { echo "report<<EOF"; printf 'line 1\\nline = 2\\n'; echo "EOF"; } >> "$PIPELINE_OUTPUT"
      echo "extra=x=y" >> "$PIPELINE_OUTPUT"
  consumer:
    depends_on: producer
    run: |
      printf '%s|%s\\n' \${{ blocks.producer.outputs.count }} "\${{ blocks.producer.outputs.report }}"
  loose:
    run: echo "a=1" >> "$PIPELINE_OUTPUT"
  reader:
    depends_on: loose
    run: echo "[\${{ blocks.loose.outputs.nothing }}]"
`);
  assert.equal(r.result.status, 'completed');
  assert.deepEqual(r.block('producer').outputs, { count: '42', report: 'line 1\nline = 2', extra: 'x=y' });
  assert.equal(r.log('consumer'), '42|line 1\nline = 2\n');
  assert.equal(r.log('reader'), '[]\n');
  const row = r.store.blockRuns(r.result.runId).find((b) => b.block === 'producer');
  assert.deepEqual(row?.outputs, { count: '42', report: 'line 1\nline = 2', extra: 'x=y' });
});

test('a declared output that is missing fails the block; a malformed output file too', async () => {
  const r = await runYaml(`blocks:
  a:
    outputs: [x, y]
    run: echo "x=1" >> "$PIPELINE_OUTPUT"
  b:
    run: echo "not an output line" >> "$PIPELINE_OUTPUT"
`);
  assert.equal(r.block('a').status, 'failed');
  assert.equal(r.block('a').reason, "missing output 'y'");
  assert.equal(r.block('b').status, 'failed');
  assert.match(r.block('b').reason ?? '', /^invalid \$PIPELINE_OUTPUT: line 1 is neither name=value nor name<<DELIMITER/);
});

test('a variable holding shell metacharacters runs as data, bare and inside double quotes', async () => {
  const evil = `'; touch pwned1; echo "$(touch pwned2)" \`touch pwned3\` $HOME ~ * !! \\ "`;
  const r = await runYaml(`variables:
  v: x
blocks:
  a:
    outputs: [o]
    run: |
      printf '%s\\n' \${{ vars.v }} > bare.txt
      printf '%s\\n' "\${{ vars.v }}" > quoted.txt
      printf '%s\\n' "<\${{ vars.v }}>" > wrapped.txt
      echo "o=$PIPELINE_VAR_V" >> "$PIPELINE_OUTPUT"
  b:
    depends_on: a
    run: printf '%s\\n' \${{ blocks.a.outputs.o }} "\${{ blocks.a.outputs.o }}" > from_output.txt
`, { variables: { v: evil } });
  assert.equal(r.result.status, 'completed', r.log('a'));
  assert.equal(readFileSync(join(r.dir, 'bare.txt'), 'utf8'), `${evil}\n`);
  assert.equal(readFileSync(join(r.dir, 'quoted.txt'), 'utf8'), `${evil}\n`);
  assert.equal(readFileSync(join(r.dir, 'wrapped.txt'), 'utf8'), `<${evil}>\n`);
  assert.equal(readFileSync(join(r.dir, 'from_output.txt'), 'utf8'), `${evil}\n${evil}\n`);
  for (const name of ['pwned1', 'pwned2', 'pwned3']) assert.ok(!existsSync(join(r.dir, name)), `${name} was created: the value ran as code`);
});

test('an expression inside single quotes fails the block before anything runs', async () => {
  const r = await runYaml("variables:\n  v: x\nblocks:\n  a:\n    run: echo '${{ vars.v }}'\n");
  assert.equal(r.block('a').status, 'failed');
  assert.match(r.block('a').reason ?? '', /is inside single quotes/);
  assert.equal(r.block('a').attempts, 0);
});

test('a false condition: condition_failed, and so are its dependents; the run completes', async () => {
  const r = await runYaml(`variables:
  env: dev
blocks:
  a:
    if: vars.env == 'prod'
    run: echo deploy
  b:
    depends_on: a
    run: echo after
  c:
    if: \${{ vars.env == 'dev' }}
    run: echo dev
`);
  assert.equal(r.block('a').status, 'condition_failed');
  assert.equal(r.block('b').status, 'condition_failed');
  assert.equal(r.block('c').status, 'completed');
  assert.equal(r.result.status, 'completed');
});

test('a disabled block and its dependents are skipped', async () => {
  const r = await runYaml('blocks:\n  a:\n    disabled: true\n    run: echo no\n  b:\n    depends_on: a\n    run: echo no\n  c:\n    run: echo yes\n');
  assert.deepEqual(r.result.blocks.map((b) => [b.block, b.status]), [['a', 'skipped'], ['b', 'skipped'], ['c', 'completed']]);
  assert.equal(r.block('a').reason, 'disabled');
  assert.equal(r.result.status, 'completed');
});

test('a failure makes dependents upstream_failed, unless continue_on_error, whose dependents see its status', async () => {
  const r = await runYaml(`blocks:
  bad:
    run: exit 1
  after_bad:
    depends_on: bad
    run: echo no
  tolerated:
    continue_on_error: true
    run: exit 2
  after_tolerated:
    depends_on: tolerated
    run: echo "saw \${{ blocks.tolerated.status }}"
`);
  assert.equal(r.block('after_bad').status, 'upstream_failed');
  assert.equal(r.block('tolerated').status, 'failed');
  assert.equal(r.block('after_tolerated').status, 'completed');
  assert.equal(r.log('after_tolerated'), 'saw failed\n');
  assert.equal(r.result.status, 'failed');
  const ok = await runYaml('blocks:\n  t:\n    continue_on_error: true\n    run: exit 2\n  u:\n    depends_on: t\n    run: echo ok\n');
  assert.equal(ok.result.status, 'completed');
});

test('cancelling mid-run stops running blocks and cancels the rest', async () => {
  const r = await runYaml(`blocks:
  long:
    run: echo started; sleep 30
  after:
    depends_on: long
    run: echo no
  other:
    run: sleep 30
`, {
    onStart: (handle, events) => {
      void waitFor(() => events.filter((e) => e.type === 'block-attempt').length === 2).then(() => handle.cancel());
    },
  });
  assert.equal(r.result.status, 'cancelled');
  assert.deepEqual(r.result.blocks.map((b) => [b.block, b.status]), [['long', 'cancelled'], ['after', 'cancelled'], ['other', 'cancelled']]);
  const rows = r.store.blockRuns(r.result.runId);
  assert.ok(rows.every((b) => b.status === 'cancelled' && b.finishedAt !== undefined));
  assert.equal(r.store.getRun(r.result.runId)?.status, 'cancelled');
});

test('cancelling one block cancels its dependents and lets the rest finish', async () => {
  const r = await runYaml(`blocks:
  victim:
    run: sleep 30
  dependent:
    depends_on: victim
    run: echo no
  bystander:
    run: sleep 0.3
`, {
    onStart: (handle, events) => {
      void waitFor(() => events.some((e) => e.type === 'block-attempt' && e.block === 'victim')).then(() => assert.ok(handle.cancelBlock('victim')));
    },
  });
  assert.deepEqual(r.result.blocks.map((b) => [b.block, b.status]), [['victim', 'cancelled'], ['dependent', 'cancelled'], ['bystander', 'completed']]);
  assert.equal(r.result.status, 'cancelled');
});

test('the run timeout stops the run with reason timeout', async () => {
  // \`sleep 30\` ending by itself would complete the run: the statuses and reasons are the proof.
  const r = await runYaml('timeout: 300ms\nblocks:\n  a:\n    run: sleep 30\n  b:\n    depends_on: a\n    run: echo no\n');
  assert.equal(r.result.status, 'failed');
  assert.equal(r.result.error, 'timeout');
  assert.equal(r.block('a').reason, 'timeout');
  assert.equal(r.block('b').status, 'cancelled');
  assert.equal(r.store.getRun(r.result.runId)?.error, 'timeout');
});

test('the run records git commit, branch and dirtiness inside a work tree', async () => {
  const outside = await runYaml('blocks:\n  a:\n    run: "true"\n', { git: true });
  assert.equal(outside.store.getRun(outside.result.runId)?.git, undefined, 'not a work tree');
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
  const git = (...args: string[]): string => execFileSync('git', ['-C', outside.dir, ...args], { encoding: 'utf8', env });
  git('init', '-q', '-b', 'trunk');
  git('add', '.');
  git('commit', '-qm', 'x');
  const clean = await runFile(outside.file, { git: true, store: outside.store });
  assert.deepEqual(clean.store.getRun(clean.result.runId)?.git, { commit: git('rev-parse', 'HEAD').trim(), branch: 'trunk', dirty: false });
  writeFileSync(outside.file, 'blocks:\n  a:\n    run: "true"  # changed\n');
  const dirty = await runFile(outside.file, { git: true, store: outside.store });
  assert.equal(dirty.store.getRun(dirty.result.runId)?.git?.dirty, true);
});
