import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { validatePipeline } from '../../core/src/index.ts';
import { computeGraphEdit } from '../../server/src/graphEdit/computeEdit.ts';
import type { GraphGesture } from '../../server/src/graphEdit/gesture.ts';
import { applyEdits } from '../../server/src/graphEdit/textRegions.ts';

// Golden cases of the designer's edits as pure functions: each file in edits/ is a gesture (JSON on
// its first line), the input document, and the expected document (or the refusal). UPDATE_GOLDEN=1
// rewrites the expectations.
const DIR = join(import.meta.dirname, 'edits');
const INPUT = '=== input ===\n';
const EXPECTED = '=== expected ===\n';

interface Case {
  gesture: GraphGesture;
  input: string;
  expected: string;
}

function read(file: string): Case {
  const raw = readFileSync(join(DIR, file), 'utf8');
  const firstLine = raw.slice(0, raw.indexOf('\n'));
  const input = raw.slice(raw.indexOf(INPUT) + INPUT.length, raw.indexOf(EXPECTED));
  const expected = raw.slice(raw.indexOf(EXPECTED) + EXPECTED.length);
  return { gesture: JSON.parse(firstLine.replace(/^# gesture: /, '')) as GraphGesture, input, expected };
}

function outcome(c: Case): string {
  const result = computeGraphEdit(c.input, c.gesture);
  if ('error' in result) return `refused: ${result.error}\n`;
  return result.problems.length === 0 ? result.text : `${result.text}${PROBLEMS}${result.problems.join('\n')}\n`;
}

const PROBLEMS = '=== problems ===\n';

describe('designer edits (golden)', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort();
  test('there are cases for every gesture', () => {
    const kinds = new Set(files.map((f) => read(f).gesture.kind));
    for (const kind of ['addDependency', 'removeDependency', 'addBlock', 'addSnippet', 'addSubPipeline', 'duplicateBlock', 'setDisabled', 'deleteBlock', 'setField']) assert.ok(kinds.has(kind as GraphGesture['kind']), `a case for ${kind}`);
  });
  for (const file of files) {
    test(file.replace(/\.txt$/, ''), () => {
      const c = read(file);
      const actual = outcome(c);
      if (process.env.UPDATE_GOLDEN === '1') {
        const raw = readFileSync(join(DIR, file), 'utf8');
        writeFileSync(join(DIR, file), raw.slice(0, raw.indexOf(EXPECTED) + EXPECTED.length) + actual);
        return;
      }
      assert.equal(actual, c.expected);
      if (!actual.startsWith('refused: ') && !actual.includes(PROBLEMS)) {
        // The result is a valid pipeline whenever the input was, and keeps every comment line.
        const before = validatePipeline(c.input).diagnostics.filter((d) => d.severity === 'error').length;
        if (before === 0 && c.gesture.kind !== 'setField') assert.deepEqual(validatePipeline(actual).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
        const comments = (t: string): string[] => t.split('\n').filter((l) => l.trimStart().startsWith('#'));
        if (c.gesture.kind !== 'deleteBlock') for (const comment of comments(c.input)) assert.ok(comments(actual).includes(comment), `comment kept: ${comment}`);
        // The edits are what turns the input into the output.
        const result = computeGraphEdit(c.input, c.gesture);
        if (!('error' in result)) assert.equal(applyEdits(c.input, result.edits), actual);
      }
    });
  }
});
