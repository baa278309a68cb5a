import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockLines, mapBreakpoints } from '../../core/src/debug/breakpoints.ts';
import { conditionHolds, evaluateAtGate, unwrapExpression } from '../../core/src/debug/expressions.ts';
import type { BlockGate } from '../../core/src/runner/gate.ts';
import { validatePipeline } from '../../core/src/validate/validate.ts';

const TEXT = `name: demo   # 0
variables:   # 1
  env: { default: dev }   # 2
blocks:   # 3
  # a comment before a   # 4
  a:   # 5
    run: |   # 6
      echo one   # 7

      echo two   # 9

  # between   # 11
  b: { depends_on: [a], run: echo b }   # 12

  c:   # 14 after the blank line 13
    run: >-
      echo c
`;

function lines() {
  return blockLines(validatePipeline(TEXT, { fileName: 'demo.pipeline.yaml' }).pipeline, TEXT);
}

test('block lines run from the id line to the last non-blank line of the block, whatever the YAML style', () => {
  assert.deepEqual(lines(), [
    { block: 'a', first: 5, last: 9 },
    { block: 'b', first: 12, last: 12 },
    { block: 'c', first: 14, last: 16 },
  ]);
});

test('breakpoints on block lines map to the block; elsewhere they are unverified with the reason', () => {
  const mapped = mapBreakpoints(lines(), [0, 2, 4, 5, 8, 9, 11, 12, 16].map((line) => ({ line })));
  assert.deepEqual(mapped.map((m) => m.block ?? '-'), ['-', '-', '-', 'a', 'a', 'a', '-', 'b', 'c']);
  assert.deepEqual(mapped.map((m) => m.verified), [false, false, false, true, true, true, false, true, true]);
  assert.match(mapped[0]?.message ?? '', /Not on a block/);
});

test('a condition that does not parse, or a block outside the selection, is unverified', () => {
  const mapped = mapBreakpoints(lines(), [{ line: 5, condition: "vars.env == 'x" }, { line: 12 }, { line: 14, condition: '  ' }], new Set(['a', 'c']));
  assert.equal(mapped[0]?.verified, false);
  assert.match(mapped[0]?.message ?? '', /^Condition: /);
  assert.equal(mapped[1]?.verified, false);
  assert.match(mapped[1]?.message ?? '', /does not run in this debug session/);
  assert.deepEqual(mapped[2], { line: 14, verified: true, block: 'c' });
});

const GATE: BlockGate = {
  runId: 7, pipelineName: 'demo', block: 'c', attempt: 1, shell: 'bash', cwd: '/tmp', command: 'echo c',
  definedEnv: { X: '1' }, env: { X: '1', HOME: '/home/u' }, variables: { env: 'prod', n: 3 },
  upstream: { a: { status: 'completed', outputs: { rows: '12' } } }, timeoutMs: undefined, attempts: 1, git: undefined,
};

test('expressions evaluate against the paused block: variables, env, finished upstream outputs, run and pipeline', () => {
  assert.equal(unwrapExpression(' ${{ vars.env }} '), 'vars.env');
  assert.deepEqual(evaluateAtGate("vars.env == 'prod' && blocks.a.outputs.rows > 10", GATE), { value: true, text: 'true' });
  assert.deepEqual(evaluateAtGate('run.id', GATE), { value: '7', text: "'7'" });
  assert.deepEqual(evaluateAtGate('env.NOPE', GATE), { value: null, text: 'null' });
  assert.deepEqual(evaluateAtGate('pipeline.name', GATE), { value: 'demo', text: "'demo'" });
  const notUpstream = evaluateAtGate('blocks.b.outputs.x', GATE);
  assert.ok('error' in notUpstream && /Only finished upstream blocks of 'c' are visible \(a\)/.test(notUpstream.error), JSON.stringify(notUpstream));
  assert.equal(conditionHolds('vars.n > 5', GATE), false);
  assert.equal(conditionHolds('vars.n', GATE), true);
  assert.ok(typeof conditionHolds('vars.nope', GATE) === 'object');
});
