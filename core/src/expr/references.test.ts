import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RefExpr } from './ast.ts';
import { parseExpression } from './parse.ts';
import { BLOCK_MEMBERS, classifyReference, PIPELINE_MEMBERS, REFERENCE_ROOTS, referenceText, RUN_MEMBERS, type ClassifiedReference } from './references.ts';

function ref(src: string): RefExpr {
  const { expr, error } = parseExpression(src);
  assert.equal(error, undefined, src);
  assert.ok(expr?.kind === 'ref', src);
  return expr;
}

test('classifies valid references with the spans of their names', () => {
  const cases: [string, ClassifiedReference][] = [
    ['vars.env', { kind: 'var', name: 'env', nameSpan: { start: 5, end: 8 } }],
    ['env.HOME', { kind: 'env', name: 'HOME', nameSpan: { start: 4, end: 8 } }],
    ['vars.my-var_2', { kind: 'var', name: 'my-var_2', nameSpan: { start: 5, end: 13 } }],
    ['blocks.build.outputs.tag', { kind: 'blockOutput', block: 'build', blockSpan: { start: 7, end: 12 }, output: 'tag', outputSpan: { start: 21, end: 24 } }],
    ['blocks.fetch-data.status', { kind: 'blockStatus', block: 'fetch-data', blockSpan: { start: 7, end: 17 } }],
    ['pipeline.name', { kind: 'pipeline', member: 'name', span: { start: 0, end: 13 } }],
    ['run.id', { kind: 'run', member: 'id', span: { start: 0, end: 6 } }],
  ];
  for (const [src, expected] of cases) assert.deepEqual(classifyReference(ref(src)), expected, src);
});

test('explains invalid references, underlining the offending part', () => {
  const cases: [string, string, number, number][] = [
    ['vars', "'vars' needs a variable name: vars.NAME.", 0, 4],
    ['env', "'env' needs an environment variable name: env.NAME.", 0, 3],
    ['vars.a.b', "'vars.a' is a value and has no members; remove '.b'.", 7, 8],
    ['env.A.b.c', "'env.A' is a value and has no members; remove '.b.c'.", 6, 9],
    ['blocks', "'blocks' needs a block id: blocks.ID.outputs.NAME or blocks.ID.status.", 0, 6],
    ['blocks.x', 'Expected blocks.x.outputs.NAME or blocks.x.status.', 0, 8],
    ['blocks.x.outputs', "'blocks.x.outputs' needs an output name: blocks.x.outputs.NAME.", 0, 16],
    ['blocks.x.output.y', "Unknown member 'output' of a block; expected 'outputs' or 'status'. Did you mean 'outputs'?", 9, 15],
    ['blocks.x.result', "Unknown member 'result' of a block; expected 'outputs' or 'status'.", 9, 15],
    ['blocks.x.status.y', "'blocks.x.status' is a value and has no members; remove '.y'.", 16, 17],
    ['blocks.x.outputs.y.z', "'blocks.x.outputs.y' is a value and has no members; remove '.z'.", 19, 20],
    ['pipeline', "'pipeline' needs a member: pipeline.name.", 0, 8],
    ['pipeline.owner', "'owner' is not a member of 'pipeline'; use pipeline.name.", 9, 14],
    ['pipeline.nmae', "'nmae' is not a member of 'pipeline'; use pipeline.name. Did you mean 'name'?", 9, 13],
    ['pipeline.name.x', "'pipeline.name' is a value and has no members; remove '.x'.", 14, 15],
    ['run', "'run' needs a member: run.id.", 0, 3],
    ['run.number', "'number' is not a member of 'run'; use run.id.", 4, 10],
    ['run.id.x', "'run.id' is a value and has no members; remove '.x'.", 7, 8],
    ['foo.bar', "Unknown context 'foo'; expected vars, env, blocks, pipeline, run or item.", 0, 3],
    ['foo', "Unknown context 'foo'; expected vars, env, blocks, pipeline, run or item.", 0, 3],
    ['var.x', "Unknown context 'var'; expected vars, env, blocks, pipeline, run or item. Did you mean 'vars'?", 0, 3],
    ['Vars.x', "Unknown context 'Vars'; expected vars, env, blocks, pipeline, run or item. Did you mean 'vars'?", 0, 4],
    ['steps.a.outputs.b', "Unknown context 'steps'; expected vars, env, blocks, pipeline, run or item.", 0, 5],
  ];
  for (const [src, message, start, end] of cases) {
    assert.deepEqual(classifyReference(ref(src)), { kind: 'invalid', message, start, end }, src);
  }
});

test('spans follow the reference when it is not at offset 0', () => {
  const { expr } = parseExpression("'x' == blocks.b.outputs");
  assert.ok(expr?.kind === 'binary' && expr.right.kind === 'ref');
  const c = classifyReference(expr.right);
  assert.deepEqual(c, { kind: 'invalid', message: "'blocks.b.outputs' needs an output name: blocks.b.outputs.NAME.", start: 7, end: 23 });
});

test('exports the vocabulary for completion', () => {
  assert.deepEqual(REFERENCE_ROOTS, ['vars', 'env', 'blocks', 'pipeline', 'run', 'item']);
  assert.deepEqual(BLOCK_MEMBERS, ['outputs', 'status']);
  assert.deepEqual(PIPELINE_MEMBERS, ['name']);
  assert.deepEqual(RUN_MEMBERS, ['id']);
  assert.equal(referenceText(ref('blocks.a.outputs.b')), 'blocks.a.outputs.b');
});
