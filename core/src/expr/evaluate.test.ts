import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Value } from './ast.ts';
import { evaluate, evaluateTemplate, EvaluationError, isTruthy, toNumber, valueToString, type Lookup } from './evaluate.ts';
import { parseExpression } from './parse.ts';
import type { ValidReference } from './references.ts';
import { parseTemplate } from './template.ts';

const values: Record<string, Value> = {
  'vars.env': 'prod',
  'vars.count': '10',
  'vars.empty': '',
  'vars.zero': 0,
  'vars.nothing': null,
  'vars.yes': true,
  'env.HOME': '/home/u',
  'blocks.build.outputs.tag': 'v1.2',
  'blocks.build.status': 'succeeded',
  'pipeline.name': 'etl',
  'run.id': '42',
};

function key(ref: ValidReference): string {
  switch (ref.kind) {
    case 'var': return `vars.${ref.name}`;
    case 'env': return `env.${ref.name}`;
    case 'blockOutput': return `blocks.${ref.block}.outputs.${ref.output}`;
    case 'blockStatus': return `blocks.${ref.block}.status`;
    case 'pipeline': return `pipeline.${ref.member}`;
    case 'run': return `run.${ref.member}`;
    case 'item': return ref.member === 'value' ? 'item' : `item.${ref.member}`;
  }
}

const lookup: Lookup = (ref) => values[key(ref)];

function run(src: string): Value {
  const { expr, error } = parseExpression(src);
  assert.equal(error, undefined, `${src}: ${error?.message ?? ''}`);
  assert.ok(expr);
  return evaluate(expr, lookup);
}

test('truthiness', () => {
  for (const v of [false, 0, -0, NaN, '', null]) assert.equal(isTruthy(v), false, String(v));
  for (const v of [true, 1, -1, 'a', '0', 'false', ' ', Infinity]) assert.equal(isTruthy(v), true, String(v));
});

test('valueToString and toNumber', () => {
  assert.deepEqual([null, true, false, 0, -0, 1.5, 1e21, 'x'].map(valueToString), ['', 'true', 'false', '0', '0', '1.5', '1e+21', 'x']);
  const numbers: [Value, number][] = [[null, 0], [true, 1], [false, 0], ['', 0], ['  ', 0], [' 42 ', 42], ['0x1F', 31], ['1e3', 1000], ['-2.5', -2.5], [7, 7]];
  for (const [v, n] of numbers) assert.equal(toNumber(v), n, JSON.stringify(v));
  assert.ok(Number.isNaN(toNumber('abc')));
  assert.ok(Number.isNaN(toNumber('1a')));
});

test('evaluates expressions', () => {
  const cases: [string, Value][] = [
    ["'a'", 'a'],
    ['vars.env', 'prod'],
    ["vars.env == 'prod'", true],
    ["vars.env == 'Prod'", false], // case-sensitive
    ["vars.env != 'dev'", true],
    ["1 == '1'", true],
    ["1 == ' 1 '", true],
    ["0 == ''", true],
    ['0 == null', true],
    ["null == ''", true], // different types: both are 0 as numbers
    ['true == 1', true],
    ["true == 'true'", false], // 'true' is NaN as a number
    ["'abc' == 0", false],
    ['null == null', true],
    ["'' == ''", true],
    ["'a' != 'a'", false],
    ['vars.count > 9', true],
    ["vars.count > '9'", true], // both numeric: 10 > 9, not '10' < '9'
    ["'b' > 'a'", true],
    ["'B' < 'a'", true], // code-unit order
    ["'abc' < 5", false], // '5' < 'abc' as text
    ["'10' >= 10", true],
    ['1 <= 1', true],
    ['2 < 1', false],
    ["null < 'a'", true],
    ['!vars.empty', true],
    ['!vars.env', false],
    ['!!vars.env', true],
    ["vars.empty || 'default'", 'default'],
    ["vars.env || 'default'", 'prod'],
    ["vars.env && 'go'", 'go'],
    ["vars.zero && 'go'", 0],
    ['vars.nothing || vars.zero', 0],
    ["!(vars.env == 'prod') || blocks.build.status == 'succeeded'", true],
    ["blocks.build.outputs.tag == 'v1.2' && pipeline.name == 'etl' && run.id == 42", true],
    ["env.HOME != ''", true],
    ['vars.yes == true', true],
    ['0x10 == 16', true],
    ['-1 < 0', true],
  ];
  for (const [src, expected] of cases) assert.equal(run(src), expected, src);
});

test('short-circuit skips undefined references on the untaken side', () => {
  assert.equal(run('false && vars.missing'), false);
  assert.equal(run('true || vars.missing'), true);
});

test('undefined and invalid references throw with their span', () => {
  const cases: [string, string, number, number][] = [
    ['vars.missing', 'vars.missing is not defined.', 0, 12],
    ["'a' == blocks.other.outputs.x", 'blocks.other.outputs.x is not defined.', 7, 29],
    ['true && env.NOPE', 'env.NOPE is not defined.', 8, 16],
    ['foo.bar', "Unknown context 'foo'; expected vars, env, blocks, pipeline, run or item.", 0, 3],
    ['vars', "'vars' needs a variable name: vars.NAME.", 0, 4],
  ];
  for (const [src, message, start, end] of cases) {
    assert.throws(() => run(src), (e: unknown) => {
      assert.ok(e instanceof EvaluationError);
      assert.equal(e.message, message);
      assert.deepEqual(e.span, { start, end });
      return true;
    }, src);
  }
});

test('evaluateTemplate substitutes values through quote', () => {
  const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
  const cases: [string, string, string][] = [
    ['plain text', 'plain text', 'plain text'],
    ['echo ${{ vars.env }}', 'echo prod', "echo 'prod'"],
    ['${{ vars.nothing }}|${{ vars.yes }}|${{ vars.zero }}', '|true|0', "''|'true'|'0'"],
    ["tag=${{ blocks.build.outputs.tag }}; echo ${{ 'it''s' }}", "tag=v1.2; echo it's", "tag='v1.2'; echo 'it'\\''s'"],
    ["${{ vars.empty || 'x' }}${{ 1 == 1 }}", 'xtrue', "'x''true'"],
  ];
  for (const [text, plain, quoted] of cases) {
    assert.equal(evaluateTemplate(parseTemplate(text), lookup), plain, text);
    assert.equal(evaluateTemplate(parseTemplate(text), lookup, quote), quoted, text);
  }
});

test('evaluateTemplate throws on syntax errors and undefined references, with absolute spans', () => {
  const cases: [string, string, number, number][] = [
    ['echo ${{ vars.a = 1 }}', "'=' is not an operator; use '==' to compare.", 16, 17],
    ['echo ${{ vars.env', "Unterminated expression: missing '}}'.", 5, 8],
    ['echo ${{ vars.env }} ${{ vars.nope }}', 'vars.nope is not defined.', 25, 34],
  ];
  for (const [text, message, start, end] of cases) {
    assert.throws(() => evaluateTemplate(parseTemplate(text), lookup), (e: unknown) => {
      assert.ok(e instanceof EvaluationError);
      assert.equal(e.message, message);
      assert.deepEqual(e.span, { start, end });
      return true;
    }, text);
  }
});

test('property: == is symmetric and != is its negation', () => {
  const value = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('1', ' 1', '0x1', '', 'true'), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null));
  const lit = (v: Value): string => (typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v));
  fc.assert(fc.property(value, value, (a, b) => {
    assert.equal(run(`${lit(a)} == ${lit(b)}`), run(`${lit(b)} == ${lit(a)}`));
    assert.equal(run(`${lit(a)} != ${lit(b)}`), !run(`${lit(a)} == ${lit(b)}`));
    assert.equal(run(`!${lit(a)}`), !isTruthy(a));
  }), { numRuns: 500 });
});
