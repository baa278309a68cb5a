import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseExpression } from './parse.ts';
import { allReferences, hasExpressions, parseTemplate, shiftExpr, type TemplatePart } from './template.ts';

/** A compact view of the parts: text as is, expressions as [source, error?]. */
function outline(parts: TemplatePart[]): unknown[] {
  return parts.map((p) => (p.kind === 'text' ? p.text : p.error === undefined ? { expr: p.source } : { expr: p.source, error: p.error.message }));
}

test('splits text and expressions', () => {
  const cases: [string, unknown[]][] = [
    ['', []],
    ['plain', ['plain']],
    ['${{ a }}', [{ expr: ' a ' }]],
    ['echo ${{ vars.a }}!', ['echo ', { expr: ' vars.a ' }, '!']],
    ['${{a}}${{b}}', [{ expr: 'a' }, { expr: 'b' }]],
    ['x ${{ a }} y ${{ b }} z', ['x ', { expr: ' a ' }, ' y ', { expr: ' b ' }, ' z']],
    ["${{ 'a}}b' }}", [{ expr: " 'a}}b' " }]],
    ["${{ 'it''s}}' == a }} tail", [{ expr: " 'it''s}}' == a " }, ' tail']],
    ["it's ${{ a }} it's", ["it's ", { expr: ' a ' }, " it's"]],
    ['${ { a }} ${a} {{ a }} $${{ a }}', ['${ { a }} ${a} {{ a }} $', { expr: ' a ' }]],
    ['}} ${{ a }}}', ['}} ', { expr: ' a ' }, '}']],
  ];
  for (const [text, expected] of cases) assert.deepEqual(outline(parseTemplate(text)), expected, text);
});

test('parts cover the text without gaps, with absolute offsets', () => {
  const text = "run ${{ vars.a == 'x' }} then ${{ blocks.b.status }}";
  const parts = parseTemplate(text);
  let at = 0;
  for (const p of parts) {
    assert.equal(p.start, at);
    at = p.end;
  }
  assert.equal(at, text.length);
  const second = parts[3];
  assert.ok(second?.kind === 'expr');
  assert.deepEqual([second.start, second.end, second.innerStart, second.innerEnd], [30, 52, 33, 50]);
  assert.equal(text.slice(second.innerStart, second.innerEnd), second.source);
  assert.ok(second.expr?.kind === 'ref');
  assert.deepEqual([second.expr.start, second.expr.end], [34, 49]);
  assert.deepEqual(second.expr.segments.map((s) => text.slice(s.start, s.end)), ['blocks', 'b', 'status']);
});

test('errors inside an expression have absolute spans', () => {
  const text = 'echo ${{ vars.a = 1 }}';
  const part = parseTemplate(text)[1];
  assert.ok(part?.kind === 'expr');
  assert.equal(part.expr, undefined);
  assert.deepEqual(part.error, { start: 16, end: 17, message: "'=' is not an operator; use '==' to compare." });
  assert.equal(text.slice(16, 17), '=');
});

test('an unterminated ${{ is an error on the opening braces', () => {
  const cases: [string, number][] = [
    ['echo ${{ vars.a', 5],
    ['${{', 0],
    ['a ${{ b }} c ${{ d } e', 13],
  ];
  for (const [text, open] of cases) {
    const parts = parseTemplate(text);
    const last = parts[parts.length - 1];
    assert.ok(last?.kind === 'expr', text);
    assert.deepEqual(last.error, { start: open, end: open + 3, message: "Unterminated expression: missing '}}'." }, text);
    assert.deepEqual([last.start, last.end, last.innerStart, last.innerEnd], [open, text.length, open + 3, text.length]);
    assert.equal(last.source, text.slice(open + 3));
  }
});

test('an unterminated string is reported inside its expression, not as a missing }}', () => {
  const text = "echo ${{ 'oops }} and more";
  const parts = parseTemplate(text);
  assert.deepEqual(outline(parts), ['echo ', { expr: " 'oops ", error: "Unterminated string: a closing ' is missing." }, ' and more']);
  const part = parts[1];
  assert.ok(part?.kind === 'expr');
  assert.deepEqual([part.error?.start, part.error?.end], [9, 15]);
  // The next ${{ is not swallowed by the open quote.
  assert.deepEqual(outline(parseTemplate("${{ 'a }} ${{ b }}")), [{ expr: " 'a ", error: "Unterminated string: a closing ' is missing." }, ' ', { expr: ' b ' }]);
});

test('base offsets parts, expressions and errors', () => {
  const parts = parseTemplate('x ${{ a }} ${{ b = }} ${{ c', 1000);
  assert.deepEqual(parts.map((p) => [p.kind, p.start, p.end]), [
    ['text', 1000, 1002], ['expr', 1002, 1010], ['text', 1010, 1011], ['expr', 1011, 1021], ['text', 1021, 1022], ['expr', 1022, 1027],
  ]);
  const [, first, , second, , third] = parts;
  assert.ok(first?.kind === 'expr' && second?.kind === 'expr' && third?.kind === 'expr');
  assert.deepEqual([first.innerStart, first.innerEnd, first.expr?.start, first.expr?.end], [1005, 1008, 1006, 1007]);
  assert.deepEqual(second.error, { start: 1017, end: 1018, message: "'=' is not an operator; use '==' to compare." });
  assert.deepEqual(third.error, { start: 1022, end: 1025, message: "Unterminated expression: missing '}}'." });
  assert.deepEqual([third.innerStart, third.innerEnd], [1025, 1027]);
});

test('hasExpressions', () => {
  assert.equal(hasExpressions('echo ${{ a }}'), true);
  assert.equal(hasExpressions('echo ${{'), true);
  assert.equal(hasExpressions('echo ${a} {{ b }}'), false);
});

test('allReferences lists references in source order', () => {
  const { expr } = parseExpression("!(vars.a == env.B) && (blocks.c.status || 'x' < run.id) || pipeline.name");
  assert.ok(expr);
  assert.deepEqual(allReferences(expr).map((r) => r.segments.map((s) => s.name).join('.')), ['vars.a', 'env.B', 'blocks.c.status', 'run.id', 'pipeline.name']);
  const literal = parseExpression('1 == 2').expr;
  assert.ok(literal);
  assert.deepEqual(allReferences(literal), []);
});

test('shiftExpr moves every offset', () => {
  const { expr } = parseExpression('!(a.b == 1)');
  assert.ok(expr);
  const moved = shiftExpr(expr, 10);
  assert.ok(moved.kind === 'unary' && moved.operand.kind === 'group' && moved.operand.inner.kind === 'binary');
  const inner = moved.operand.inner;
  assert.deepEqual([moved.start, moved.end, inner.start, inner.end], [10, 21, 12, 20]);
  assert.ok(inner.left.kind === 'ref');
  assert.deepEqual(inner.left.segments, [{ name: 'a', start: 12, end: 13 }, { name: 'b', start: 14, end: 15 }]);
  assert.equal(shiftExpr(expr, 0), expr);
});

test('splitting is linear even on hostile text', () => {
  // CPU time, not wall-clock: other processes on a busy machine do not count against it.
  const started = process.cpuUsage();
  parseTemplate("${{ '}}' ".repeat(100_000));
  parseTemplate('${{ a }}'.repeat(100_000));
  parseTemplate('${{ '.repeat(100_000));
  parseTemplate("${{ ' }}".repeat(100_000));
  parseTemplate(`\${{ '${'}}'.repeat(100_000)}`);
  const { user, system } = process.cpuUsage(started);
  assert.ok((user + system) / 1000 < 3000, `took ${((user + system) / 1000).toFixed(0)} ms of CPU`);
});

function checkTemplate(text: string): void {
  const parts = parseTemplate(text);
  let at = 0;
  for (const p of parts) {
    assert.equal(p.start, at, JSON.stringify(text));
    assert.ok(p.end > p.start);
    at = p.end;
    if (p.kind === 'text') {
      assert.equal(p.text, text.slice(p.start, p.end));
      continue;
    }
    assert.equal(p.source, text.slice(p.innerStart, p.innerEnd));
    assert.ok((p.expr === undefined) !== (p.error === undefined));
    const span = p.expr ?? p.error;
    assert.ok(span !== undefined && span.start >= p.start && span.end <= p.end && span.start <= span.end, JSON.stringify({ text, p }));
  }
  assert.equal(at, text.length);
}

test('property: parseTemplate never throws on arbitrary strings and covers them exactly', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkTemplate), { numRuns: 1000 });
});

test('property: parseTemplate never throws on strings of template pieces', () => {
  const piece = fc.constantFrom('${{', '}}', '}', '$', '{', "'", "''", ' ', 'a', 'vars.x', '==', '&&', '(', ')', '!', '\n', '1', '#');
  fc.assert(fc.property(fc.array(piece, { maxLength: 80 }).map((a) => a.join('')), checkTemplate), { numRuns: 2000 });
});
