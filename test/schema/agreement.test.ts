import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { compare, explain } from './compare.ts';
import { COMPLETE, NEAR_MISSES, mutatedPipeline, validPipeline, type Data } from './arbitraries.ts';

const root = join(import.meta.dirname, '..', '..');

function filesIn(folder: string, suffix: string): string[] {
  return readdirSync(join(root, folder)).filter((f) => f.endsWith(suffix)).sort().map((f) => join(folder, f));
}

test('the schema accepts exactly the golden fixtures and examples without shape errors', () => {
  const files = [...filesIn('test/golden', '.golden.yaml'), ...filesIn('examples', '.pipeline.yaml')];
  const compared: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const result = compare(text);
    if (result.kind === 'skipped') continue;
    compared.push(file);
    assert.equal(result.schemaAccepts, result.validatorAccepts, `${file}: ${explain(text, result)}`);
  }
  // Files that the YAML layer refuses are skipped; the rest must really have been compared.
  for (const must of ['examples/etl.pipeline.yaml', 'test/golden/valid-complete.golden.yaml', 'test/golden/unknown-key.golden.yaml', 'test/golden/invalid-value.golden.yaml', 'test/golden/invalid-retry.golden.yaml', 'test/golden/invalid-duration.golden.yaml']) {
    assert.ok(compared.includes(must), `${must} was not compared`);
  }
  assert.ok(compared.length >= 20, `only ${compared.length} of ${files.length} files compared`);
});

test('every near miss, at every place its key appears in a complete pipeline, is judged alike', () => {
  assert.ok(compare(stringify(COMPLETE)).kind === 'compared');
  let cases = 0;
  for (const [key, misses] of Object.entries(NEAR_MISSES)) {
    const places = placesOf(COMPLETE, key);
    assert.ok(places.length > 0, `COMPLETE has no key '${key}'`);
    for (const place of places) {
      for (const miss of misses) {
        const data = structuredClone(COMPLETE);
        place(data, miss);
        const text = stringify(data);
        const result = compare(text);
        if (result.kind === 'skipped') continue;
        assert.equal(result.schemaAccepts, result.validatorAccepts, explain(text, result));
        cases++;
      }
    }
  }
  assert.ok(cases > 300, `${cases} cases`);
});

/** Setters for each entry named `key` anywhere in `root` (paths found on the original, replayed on copies). */
function placesOf(root: Data, key: string): ((copy: Data, value: Data) => void)[] {
  const out: ((copy: Data, value: Data) => void)[] = [];
  const walk = (node: Data, path: string[]): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    for (const [k, child] of Object.entries(node)) {
      if (k === key) {
        out.push((copy, value) => {
          let at = copy;
          for (const step of path) at = (at as { [key: string]: Data })[step] ?? null;
          (at as { [key: string]: Data })[k] = structuredClone(value);
        });
      }
      walk(child, [...path, k]);
    }
  };
  walk(root, []);
  return out;
}

test('the schema accepts every generated valid pipeline, as the validator does', () => {
  fc.assert(fc.property(validPipeline, (data) => {
    const text = stringify(data);
    const result = compare(text);
    assert.ok(result.kind === 'compared' && result.validatorAccepts && result.schemaAccepts, explain(text, result));
  }), { numRuns: 300 });
});

test('on generated pipelines with shape mistakes, the schema rejects exactly when the validator does', () => {
  const seen = { accepted: 0, rejected: 0 };
  fc.assert(fc.property(mutatedPipeline, (data) => {
    const text = stringify(data);
    const result = compare(text);
    if (result.kind === 'skipped') return;
    assert.equal(result.schemaAccepts, result.validatorAccepts, explain(text, result));
    seen[result.validatorAccepts ? 'accepted' : 'rejected']++;
  }), { numRuns: 2000 });
  // The mutations must produce both outcomes often, or the comparison proves little.
  assert.ok(seen.rejected > 600 && seen.accepted > 300, JSON.stringify(seen));
});
