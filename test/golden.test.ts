import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CODES } from '../core/src/index.ts';
import { runGolden } from './support/golden.ts';

const folder = join(import.meta.dirname, 'golden');
const fixtures = readdirSync(folder).filter((f) => f.endsWith('.golden.yaml')).sort();

for (const fixture of fixtures) {
  test(`golden: ${fixture}`, () => {
    const { expected, actual } = runGolden(join(folder, fixture));
    assert.deepEqual(actual, expected);
  });
}

test('golden fixtures cover every diagnostic code', () => {
  const covered = new Set<string>();
  for (const fixture of fixtures) {
    for (const line of runGolden(join(folder, fixture)).expected) {
      const code = /^\d+:\d+ \w+ ([a-z-]+):/.exec(line)?.[1];
      if (code !== undefined) covered.add(code);
    }
  }
  const missing = DIAGNOSTIC_CODES.filter((c) => !covered.has(c));
  assert.deepEqual(missing, [], `codes without a golden fixture: ${missing.join(', ')}`);
});
