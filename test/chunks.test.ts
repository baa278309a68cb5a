import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { readWhole, readYaml } from '../core/src/yaml/readYaml.ts';
import { CstCache, splitChunks } from '../core/src/yaml/chunks.ts';
import { generatePipeline } from '../bench/generate.ts';

const examples = readdirSync(join(import.meta.dirname, '..', 'examples'))
  .filter((f) => f.endsWith('.pipeline.yaml'))
  .map((f) => readFileSync(join(import.meta.dirname, '..', 'examples', f), 'utf8'));

test('plain pipelines are split into one piece per top-level key and per block', () => {
  const chunks = splitChunks(generatePipeline(20));
  assert.ok(chunks);
  assert.equal(chunks.filter((c) => c.role === 'block').length, 20);
  assert.deepEqual(chunks.filter((c) => c.role !== 'block').map((c) => c.role), ['top', 'top', 'blocks-head']);
});

test('irregular layouts are not split', () => {
  for (const text of ['- a\n', 'blocks: {a: {run: x}}\n', '%YAML 1.2\n---\na: 1\n', 'blocks:\n    a:\n      run: x\n  b:\n    run: y\n', 'a:\tb\n']) {
    assert.equal(splitChunks(text), undefined, JSON.stringify(text));
  }
});

test('the examples are split', () => {
  for (const text of examples) assert.ok(splitChunks(text), text.slice(0, 80));
});

test('reading piece by piece gives the same tree as reading the whole text', () => {
  const seeds = [...examples, generatePipeline(30)];
  fc.assert(fc.property(fc.nat(seeds.length - 1), fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat(6), insert: fc.constantFrom('', 'x', ' ', '\n', '\n  ', ': ', '#', '- ', "'", '"', 'a: b\n', '\n  c:\n    run: z\n') }), { maxLength: 3 }), (seed, edits) => {
    let text = seeds[seed] ?? '';
    for (const e of edits) {
      const at = Math.floor(e.at * text.length);
      text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
    }
    const whole = readWhole(text);
    const pieces = readYaml(text, false, new CstCache());
    if (whole.diagnostics.some((d) => d.code === 'yaml-syntax')) return; // trees of broken YAML may differ
    assert.deepEqual(pieces.root, whole.root);
    assert.deepEqual(pieces.diagnostics, whole.diagnostics);
  }), { numRuns: 800 });
});

test('the cache re-parses only edited pieces and keeps offsets right', () => {
  const cache = new CstCache();
  const text = generatePipeline(40);
  const before = readYaml(text, false, cache);
  const edited = text.replace('b5:\n    run: echo', 'b5:\n    run: echo extra');
  const after = readYaml(edited, false, cache);
  assert.deepEqual(after.root, readWhole(edited).root);
  assert.notDeepEqual(after.root, before.root);
  // and back again: pieces cached at shifted offsets must be moved back
  assert.deepEqual(readYaml(text, false, cache).root, readWhole(text).root);
});
