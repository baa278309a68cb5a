import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LogSanitizer, sanitizeLog } from '../../core/src/runner/sanitize.ts';
import { parseOutputs } from '../../core/src/runner/outputs.ts';
import { ReadyQueue } from '../../core/src/runner/readyQueue.ts';

test('sanitizer: SGR kept; OSC, CSI cursor/screen, other escapes, C0/C1 controls and bidi controls dropped', () => {
  assert.equal(sanitizeLog('a\x1b[31;1mb\x1b[0m\x1b[38;5;208mc\x1b[m'), 'a\x1b[31;1mb\x1b[0m\x1b[38;5;208mc\x1b[m');
  assert.equal(sanitizeLog('x\x1b]0;title\x07y\x1b]8;;https://e.x\x1b\\link\x1b]8;;\x1b\\z'), 'xylinkz');
  assert.equal(sanitizeLog('\x1b[2J\x1b[H\x1b[10;20H\x1b[?25l\x1b[6n\x1b[K\x1b7\x1b8\x1bc\x1b(Bok'), 'ok');
  assert.equal(sanitizeLog('bell\x07 bs\x08 nul\x00 del\x7f c1\u009b31m \u0085end'), 'bell bs nul del c131m end');
  assert.equal(sanitizeLog('a\u202eb\u2066c\u2069d\u200fe\u061cf'), 'abcdef');
  assert.equal(sanitizeLog('crlf\r\nprogress 1\rprogress 2\n\ttab'), 'crlf\nprogress 1\nprogress 2\n\ttab');
  assert.equal(sanitizeLog('unicode ✓ 漢字 😀 stays'), 'unicode ✓ 漢字 😀 stays');
});

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;:]*m/g;

test('sanitizer: any split of the stream into chunks gives the same result as the whole', () => {
  const pieces = fc.constantFrom('\x1b[31m', '\x1b[0m', '\x1b]0;t\x07', '\x1b]8;;u\x1b\\', '\x1b[2J', '\r\n', '\r', '\n', 'text', '\u202e', '\x1b', '[', ']', '\\', 'é', '\x07');
  fc.assert(fc.property(fc.array(pieces, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), (parts, cuts) => {
    const whole = parts.join('');
    const sanitizer = new LogSanitizer();
    let at = 0;
    let out = '';
    for (const cut of [...cuts.map((c) => c % (whole.length + 1))].sort((a, b) => a - b)) {
      out += sanitizer.write(whole.slice(at, cut));
      at = Math.max(at, cut);
    }
    out += sanitizer.write(whole.slice(at)) + sanitizer.end();
    assert.equal(out, sanitizeLog(whole));
    // Nothing that drives a terminal survives, except SGR.
    assert.ok(!out.replace(SGR, '').includes('\u001b'), JSON.stringify(out));
  }), { numRuns: 500 });
});

test('outputs file: name=value, heredoc values, blank lines, errors quoting the line', () => {
  assert.deepEqual(parseOutputs('a=1\nb=x=y\r\n\nc<<EOF\nline 1\n\nline 3\nEOF\nd=\n'), { outputs: { a: '1', b: 'x=y', c: 'line 1\n\nline 3', d: '' } });
  assert.deepEqual(parseOutputs('a=1\na=2\n'), { outputs: { a: '2' } });
  assert.deepEqual(parseOutputs('url=https://x?a<<b\n'), { outputs: { url: 'https://x?a<<b' } });
  assert.match((parseOutputs('just text\n') as { error: string }).error, /line 1 is neither name=value nor name<<DELIMITER: "just text"/);
  assert.match((parseOutputs('x<<EOF\nno end\n') as { error: string }).error, /no line 'EOF' ends the value/);
  assert.match((parseOutputs('9bad=1\n') as { error: string }).error, /'9bad' is not a valid output name/);
});

test('ready queue: lowest file index first, removal respected', () => {
  const q = new ReadyQueue(10);
  for (const i of [5, 2, 8, 1, 9]) q.push(i);
  q.remove(2);
  const out: number[] = [];
  for (let i = q.pop(); i !== undefined; i = q.pop()) out.push(i);
  assert.deepEqual(out, [1, 5, 8, 9]);
});
