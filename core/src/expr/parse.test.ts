import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Expr } from './ast.ts';
import { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_OPERATORS, parseExpression } from './parse.ts';
import { formatExpression } from './print.ts';

/** Fully parenthesised, so a table row shows exactly how the parser grouped the operators. */
function shape(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return typeof e.value === 'string' ? `'${e.value}'` : String(e.value);
    case 'ref':
      return e.segments.map((s) => s.name).join('.');
    case 'unary':
      return `!${shape(e.operand)}`;
    case 'group':
      return shape(e.inner);
    case 'binary':
      return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
  }
}

function parsed(src: string): Expr {
  const r = parseExpression(src);
  assert.equal(r.error, undefined, `${JSON.stringify(src)}: ${r.error?.message ?? ''}`);
  assert.ok(r.expr);
  return r.expr;
}

test('parses literals', () => {
  const cases: [string, string | number | boolean | null][] = [
    ["'prod'", 'prod'],
    ["''", ''],
    ["'it''s'", "it's"],
    ["''''", "'"],
    ["'a}}b'", 'a}}b'],
    ['42', 42],
    ['0', 0],
    ['-7', -7],
    ['3.25', 3.25],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['1.', 1],
    ['1e3', 1000],
    ['2.5E-1', 0.25],
    ['0x1F', 31],
    ['0xff', 255],
    ['-0x10', -16],
    ['true', true],
    ['false', false],
    ['null', null],
    ['  42  ', 42],
  ];
  for (const [src, value] of cases) {
    const e = parsed(src);
    assert.equal(e.kind, 'literal', src);
    if (e.kind === 'literal') assert.equal(e.value, value, src);
  }
});

test('parses references with their segment spans', () => {
  const e = parsed(' blocks.build-x.outputs.image_tag ');
  assert.equal(e.kind, 'ref');
  if (e.kind !== 'ref') return;
  assert.deepEqual({ start: e.start, end: e.end }, { start: 1, end: 33 });
  assert.deepEqual(e.segments, [
    { name: 'blocks', start: 1, end: 7 },
    { name: 'build-x', start: 8, end: 15 },
    { name: 'outputs', start: 16, end: 23 },
    { name: 'image_tag', start: 24, end: 33 },
  ]);
  // Keywords are ordinary names after a dot.
  assert.equal(shape(parsed('vars.null')), 'vars.null');
  assert.equal(shape(parsed('vars.true == true')), '(vars.true == true)');
});

test('operator precedence and associativity', () => {
  const cases: [string, string][] = [
    ['a || b && c', '(a || (b && c))'],
    ['a && b || c', '((a && b) || c)'],
    ['a == b && c != d', '((a == b) && (c != d))'],
    ['a < b == c >= d', '((a < b) == (c >= d))'],
    ['!a == b', '(!a == b)'],
    ['!(a == b)', '!(a == b)'],
    ['!!a', '!!a'],
    ['a && b && c', '((a && b) && c)'],
    ['a || b || c', '((a || b) || c)'],
    ['a == b == c', '((a == b) == c)'],
    ['(a || b) && c', '((a || b) && c)'],
    ['a<=b', '(a <= b)'],
    ['a>b', '(a > b)'],
    ["vars.env=='prod'&&!blocks.t.status", "((vars.env == 'prod') && !blocks.t.status)"],
    ['1 == -1', '(1 == -1)'],
    ['a-b', 'a-b'],
    ['x\n&&\ty', '(x && y)'],
  ];
  for (const [src, expected] of cases) assert.equal(shape(parsed(src)), expected, src);
});

test('node spans cover what they parsed', () => {
  const e = parsed("!(vars.a == 'x') || b");
  assert.equal(e.kind, 'binary');
  if (e.kind !== 'binary') return;
  assert.deepEqual([e.start, e.end], [0, 21]);
  assert.deepEqual([e.left.start, e.left.end], [0, 16]);
  assert.equal(e.left.kind, 'unary');
  if (e.left.kind === 'unary') {
    assert.equal(e.left.operand.kind, 'group');
    assert.deepEqual([e.left.operand.start, e.left.operand.end], [1, 16]);
  }
  assert.deepEqual([e.right.start, e.right.end], [20, 21]);
});

test('reports errors with the exact span', () => {
  const cases: [string, number, number, string][] = [
    ['', 0, 0, 'Empty expression.'],
    ['   ', 0, 3, 'Empty expression.'],
    ['a # b', 2, 3, "Unexpected character '#'."],
    ['a @', 2, 3, "Unexpected character '@'."],
    ['a \u0000', 2, 3, 'Unexpected character U+0000.'],
    ['a\u00a0', 1, 2, 'Unexpected character U+00A0.'],
    ['a \u{1F600}', 2, 4, "Unexpected character '\u{1F600}'."],
    ["a == 'prod", 5, 10, "Unterminated string: a closing ' is missing."],
    ["'it''s", 0, 6, "Unterminated string: a closing ' is missing."],
    ['a == "prod"', 5, 6, "Strings use single quotes: 'text'."],
    ['a &&', 2, 4, "Expected an expression after '&&'."],
    ['a ||  ', 2, 4, "Expected an expression after '||'."],
    ['a == ', 2, 4, "Expected an expression after '=='."],
    ['!', 0, 1, "Expected an expression after '!'."],
    ['(', 0, 1, "Expected an expression after '('."],
    ['a && || b', 5, 7, "Expected an expression after '&&', found '||'."],
    ['a && )', 5, 6, "Expected an expression after '&&', found ')'."],
    ['()', 1, 2, "Expected an expression after '(', found ')'."],
    [')', 0, 1, "Unexpected ')'."],
    ['a)', 1, 2, "Unexpected ')' without a matching '('."],
    ['(a))', 3, 4, "Unexpected ')' without a matching '('."],
    ['(a', 0, 1, "Missing ')' to close this '('."],
    ['((a) && (b)', 0, 1, "Missing ')' to close this '('."],
    ['(a b)', 3, 4, "Expected ')' or an operator, found 'b'."],
    ['&& a', 0, 2, "Expected a value before '&&'."],
    ['== 1', 0, 2, "Expected a value before '=='."],
    ['.', 0, 1, "Unexpected '.'."],
    ['a = 1', 2, 3, "'=' is not an operator; use '==' to compare."],
    ['a === 1', 2, 5, "'===' is not an operator; use '=='."],
    ['a !== 1', 2, 5, "'!==' is not an operator; use '!='."],
    ['a & b', 2, 3, "'&' is not an operator; use '&&'."],
    ['a | b', 2, 3, "'|' is not an operator; use '||'."],
    ['a foo', 2, 5, "Unexpected token 'foo' after the end of the expression."],
    ['a and b', 2, 5, "Unexpected token 'and' after the end of the expression; use '&&'."],
    ["a 'x'", 2, 5, "Unexpected token ''x'' after the end of the expression."],
    ['1 -1', 2, 3, "Unexpected character '-'."],
    ['vars.', 4, 5, "Expected a name after '.'."],
    ["vars.'x'", 4, 5, "Expected a name after '.'."],
    ['vars .x', 4, 6, "Unexpected space before '.' in a reference."],
    ['vars. x', 4, 6, "Unexpected space after '.' in a reference."],
    ['vars..x', 4, 5, "Expected a name after '.'."],
    ['1_000', 0, 5, "Invalid number '1_000'."],
    ['1st', 0, 3, "Invalid number '1st'."],
    ['1.2.3 == a', 0, 5, "Invalid number '1.2.3'."],
    ['0x', 0, 2, "Invalid number '0x'."],
  ];
  for (const [src, start, end, message] of cases) {
    const r = parseExpression(src);
    assert.equal(r.expr, undefined, JSON.stringify(src));
    assert.deepEqual(r.error, { start, end, message }, JSON.stringify(src));
  }
});

test('base offsets every span, errors included', () => {
  const e = parseExpression('!(vars.a)', 100).expr;
  assert.ok(e?.kind === 'unary' && e.operand.kind === 'group' && e.operand.inner.kind === 'ref');
  assert.deepEqual([e.start, e.end, e.operand.start, e.operand.end], [100, 109, 101, 109]);
  assert.deepEqual(e.operand.inner.segments, [{ name: 'vars', start: 102, end: 106 }, { name: 'a', start: 107, end: 108 }]);
  const cases: [string, number, number, string][] = [
    ['', 50, 50, 'Empty expression.'],
    ['a #', 52, 53, "Unexpected character '#'."],
    ['a &&', 52, 54, "Expected an expression after '&&'."],
    ['a foo', 52, 55, "Unexpected token 'foo' after the end of the expression."],
    ['(a', 50, 51, "Missing ')' to close this '('."],
  ];
  for (const [src, start, end, message] of cases) assert.deepEqual(parseExpression(src, 50).error, { start, end, message }, src);
});

test('a long token is shortened in messages', () => {
  const r = parseExpression(`a '${'x'.repeat(50)}'`);
  assert.equal(r.error?.message, `Unexpected token ''${'x'.repeat(26)}…' after the end of the expression.`);
  assert.deepEqual([r.error?.start, r.error?.end], [2, 54]);
});

test('refuses deep nesting and overlong chains instead of overflowing the stack', () => {
  const ok = `${'('.repeat(MAX_EXPRESSION_DEPTH)}a${')'.repeat(MAX_EXPRESSION_DEPTH)}`;
  assert.equal(parseExpression(ok).error, undefined);
  assert.equal(parseExpression(`${'!'.repeat(MAX_EXPRESSION_DEPTH)}a`).error, undefined);

  const parens = `${'('.repeat(100_000)}a${')'.repeat(100_000)}`;
  assert.deepEqual(parseExpression(parens).error, {
    start: MAX_EXPRESSION_DEPTH + 1, end: MAX_EXPRESSION_DEPTH + 2, message: `Expression nests too deeply (more than ${MAX_EXPRESSION_DEPTH} levels).`,
  });
  assert.equal(parseExpression(`${'!'.repeat(100_000)}a`).error?.message, `Expression nests too deeply (more than ${MAX_EXPRESSION_DEPTH} levels).`);

  assert.equal(parseExpression(Array(MAX_EXPRESSION_OPERATORS + 1).fill('a').join(' && ')).error, undefined);
  const chain = parseExpression(Array(200_000).fill('a').join('&&'));
  const at = MAX_EXPRESSION_OPERATORS * 3 + 1;
  assert.deepEqual(chain.error, { start: at, end: at + 2, message: `Expression is too long: more than ${MAX_EXPRESSION_OPERATORS} operators.` });
});

test('long inputs are handled in linear time', () => {
  // CPU time, not wall-clock: other processes on a busy machine do not count against it.
  const started = process.cpuUsage();
  parseExpression(Array(1000).fill("vars.x == 'y'").join(' || '));
  parseExpression(`'${'x'.repeat(1_000_000)}`);
  parseExpression(`${'1 '.repeat(500_000)}`);
  parseExpression(`${"''".repeat(500_000)}`);
  const { user, system } = process.cpuUsage(started);
  assert.ok((user + system) / 1000 < 2000, `${((user + system) / 1000).toFixed(0)} ms of CPU`);
});

// Valid expressions built from the grammar, with random spacing and parentheses.
const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,6}$/);
const space = fc.constantFrom('', ' ', '  ', '\n', '\t');
const literal = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => `'${s.replaceAll("'", "''")}'`),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
  fc.nat(0xffff).map((n) => `0x${n.toString(16)}`),
  fc.constantFrom('true', 'false', 'null'),
);
const reference = fc.array(name, { minLength: 1, maxLength: 4 }).map((a) => a.filter((n, i) => i > 0 || !['true', 'false', 'null'].includes(n)).join('.') || 'vars.x');
const { expression } = fc.letrec<{ expression: string; operand: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('operand'),
    fc.tuple(tie('expression'), space, fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '&&', '||'), space, tie('operand'))
      .map(([l, s1, op, s2, r]) => `${l}${s1 === '' && /[0-9.]$/.test(l) ? ' ' : s1}${op}${s2}${r}`),
  ),
  operand: fc.oneof(
    { depthSize: 'small' },
    literal,
    reference,
    tie('operand').map((e) => `!${e}`),
    fc.tuple(space, tie('expression'), space).map(([a, e, b]) => `(${a}${e}${b})`),
  ),
}));

test('property: generated valid expressions parse, and printing then re-parsing is stable', () => {
  fc.assert(
    fc.property(expression, (src) => {
      const first = parseExpression(src);
      assert.equal(first.error, undefined, `${JSON.stringify(src)}: ${first.error?.message ?? ''}`);
      assert.ok(first.expr);
      const printed = formatExpression(first.expr);
      const second = parseExpression(printed);
      assert.equal(second.error, undefined, printed);
      assert.ok(second.expr);
      assert.equal(shape(second.expr), shape(first.expr));
      assert.equal(formatExpression(second.expr), printed);
    }),
    { numRuns: 500 },
  );
});

function checkNeverThrows(src: string): void {
  const r = parseExpression(src);
  assert.ok((r.expr === undefined) !== (r.error === undefined), 'exactly one of expr and error');
  if (r.error) {
    assert.ok(r.error.start >= 0 && r.error.start <= r.error.end && r.error.end <= src.length, JSON.stringify({ src, error: r.error }));
    assert.ok(r.error.message.length > 0);
  }
  if (r.expr) assert.ok(r.expr.start >= 0 && r.expr.end <= src.length);
}

test('property: parseExpression never throws on arbitrary strings', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), checkNeverThrows), { numRuns: 1000 });
});

test('property: parseExpression never throws on strings of the expression alphabet', () => {
  const token = fc.constantFrom(...'ab_-.0x19 \'()!=<>&|$"#\n'.split(''), 'vars', 'blocks', '==', '&&', '||', '!=', "''", '0x', 'true', 'null', '((', '))');
  fc.assert(fc.property(fc.array(token, { maxLength: 60 }).map((a) => a.join('')), checkNeverThrows), { numRuns: 2000 });
});
