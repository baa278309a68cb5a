import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { validatePipeline } from '../core/src/index.ts';

// Bounded work: a generous ceiling that only a hang or a blow-up would cross (not a speed test). It is
// CPU time of this process, which other processes competing for the cores do not stretch.
const CEILING_MS = 2000;

function check(text: string): void {
  const started = process.cpuUsage();
  const result = validatePipeline(text, { fileName: 'fuzz.pipeline.yaml' });
  const { user, system } = process.cpuUsage(started);
  const elapsed = (user + system) / 1000;
  assert.ok(Array.isArray(result.diagnostics));
  assert.ok(elapsed < CEILING_MS, `validate took ${elapsed.toFixed(0)} ms of CPU`);
  for (const d of result.diagnostics) {
    assert.ok(d.span.start >= 0 && d.span.end >= d.span.start && d.span.end <= text.length + 1, `span out of range: ${JSON.stringify(d)}`);
    assert.ok(d.message.length > 0);
  }
}

const seeds = [
  ...readdirSync(join(import.meta.dirname, '..', 'examples')).filter((f) => f.endsWith('.pipeline.yaml')).map((f) => join(import.meta.dirname, '..', 'examples', f)),
  join(import.meta.dirname, 'golden', 'valid-complete.golden.yaml'),
].map((path) => readFileSync(path, 'utf8'));

test('validate never throws on arbitrary text', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => check(text)), { numRuns: 400 });
});

test('validate never throws on text built from YAML and expression characters', () => {
  const alphabet = fc.constantFrom(...'ab-_: \n\t[]{},&*!|>\'"#?${}.=<>()%@`'.split(''), 'blocks:', 'run:', 'depends_on:', '${{', '}}', '  ', '\n  ', '- ', 'vars.', '\r\n');
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 300, size: 'medium' }).map((a) => a.join('')), (text) => check(text)), { numRuns: 500 });
});

test('validate never throws on mutated real pipelines', () => {
  const mutation = fc.record({
    seed: fc.nat(seeds.length - 1),
    edits: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat(12), insert: fc.string({ maxLength: 8 }) }), { minLength: 1, maxLength: 6 }),
  });
  fc.assert(fc.property(mutation, ({ seed, edits }) => {
    let text = seeds[seed] ?? '';
    for (const e of edits) {
      const at = Math.floor(e.at * text.length);
      text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
    }
    check(text);
  }), { numRuns: 600 });
});

test('every YAML error the yaml package finds is reported (the fast path misses none)', () => {
  const alphabet = fc.constantFrom('a', 'b', ': ', ':', ' ', '  ', '\n', '\n  ', '\n    ', '- ', '[', ']', '{', '}', ', ', "'", '"', '#', '|', '>', '&x ', '*x', '!t ', '? ', '\t', '---\n', 'run: ', 'blocks:\n');
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 60, size: 'medium' }).map((a) => a.join('')), (text) => {
    const expected = parseAllDocuments(text, { uniqueKeys: false });
    const docs = Array.isArray(expected) ? expected : [expected];
    const libraryErrors = docs.flatMap((d) => d.errors);
    if (libraryErrors.length === 0) return;
    const ours = validatePipeline(text).diagnostics.filter((d) => d.code === 'yaml-syntax' || d.code === 'nesting-too-deep' || d.code === 'invalid-character');
    assert.ok(ours.length > 0, `missed: ${libraryErrors.map((e) => e.message).join(' | ')}`);
  }), { numRuns: 3000 });
});

test('hostile inputs end in diagnostics, not crashes', () => {
  const cases: Record<string, string> = {
    deepFlow: `blocks:\n  a:\n    run: ${'['.repeat(5000)}`,
    deepBlock: Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'),
    compactSeq: `x: ${'- '.repeat(3000)}a`,
    longLine: `blocks:\n  a:\n    run: ${'x'.repeat(1_000_000)}`,
    manyKeys: `blocks:\n${Array.from({ length: 20000 }, (_, i) => `  b${i % 500}:\n    run: x`).join('\n')}`,
    nul: '\u0000'.repeat(10000),
  };
  for (const [name, text] of Object.entries(cases)) {
    const result = validatePipeline(text);
    assert.ok(result.diagnostics.length > 0 || name === 'longLine', `${name}: expected diagnostics`);
  }
});
