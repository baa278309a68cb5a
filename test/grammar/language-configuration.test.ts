import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LanguageConfiguration {
  comments: { lineComment: string };
  autoClosingPairs: { open: string; close: string }[];
  folding: { offSide: boolean };
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  wordPattern: string;
}

const config = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'language-configuration.json'), 'utf8')) as LanguageConfiguration;

test('comments, folding by indentation and the ${{ }} pair', () => {
  assert.equal(config.comments.lineComment, '#');
  assert.equal(config.folding.offSide, true);
  assert.deepEqual(config.autoClosingPairs.find((p) => p.open === '${{'), { open: '${{', close: ' }}' });
});

test('the indentation grows after a key that opens a mapping, a list or a block scalar', () => {
  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  for (const line of ['blocks:', '  extract:', '    run: |', '    run: >-', '    env:  # why', '  - name:', '-', '  -', '"quoted key":', '    run: &cmd |']) {
    assert.ok(increase.test(line), `should indent after ${JSON.stringify(line)}`);
  }
  for (const line of ['name: hello', '    run: echo a:b', '  - item', '# comment:', '    run: echo "x:"', '    depends_on: [a]']) {
    assert.ok(!increase.test(line), `should not indent after ${JSON.stringify(line)}`);
  }
  const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
  assert.ok(decrease.test('  ]') && decrease.test('},') && !decrease.test('  a: ]'));
});

test('block ids with dashes are one word; references split at dots', () => {
  const words = (text: string): string[] => [...text.matchAll(new RegExp(config.wordPattern, 'g'))].map((m) => m[0]);
  assert.deepEqual(words('  load-db:'), ['load-db']);
  assert.deepEqual(words('${{ blocks.load-db.outputs.rows }}'), ['blocks', 'load-db', 'outputs', 'rows']);
  assert.deepEqual(words('- extract'), ['extract']);
  assert.deepEqual(words('echo $PIPELINE_OUTPUT'), ['echo', 'PIPELINE_OUTPUT']);
});
