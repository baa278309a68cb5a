import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../core/src/cli/cli.ts';
import { tempDir } from '../runner/support.ts';

function folder(files: Record<string, string>): string {
  const dir = tempDir('ps-chain-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function validate(args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await main(['validate', ...args], { out: (l) => out.push(l), err: (l) => out.push(l) });
  return { code, out };
}

const after = (file: string): string => `triggers:\n  chained:\n    after: ${file}\nblocks:\n  a:\n    run: echo a\n`;

test('validate of a folder reports a chaining cycle across files on every after: of the loop', async () => {
  const dir = folder({ 'a.pipeline.yaml': after('b.pipeline.yaml'), 'b.pipeline.yaml': after('./c.pipeline.yaml'), 'c.pipeline.yaml': after('a.pipeline.yaml') });
  const { code, out } = await validate([dir]);
  assert.equal(code, 1);
  assert.deepEqual(out.filter((l) => l.includes('chaining-cycle')).map((l) => l.slice(dir.length + 1)), [
    'a.pipeline.yaml:3:12: error chaining-cycle: Chaining cycle: a.pipeline.yaml → b.pipeline.yaml → c.pipeline.yaml → a.pipeline.yaml (→ reads "runs after"); each run would start the next, forever.',
    'b.pipeline.yaml:3:12: error chaining-cycle: Chaining cycle: b.pipeline.yaml → c.pipeline.yaml → a.pipeline.yaml → b.pipeline.yaml (→ reads "runs after"); each run would start the next, forever.',
    'c.pipeline.yaml:3:12: error chaining-cycle: Chaining cycle: c.pipeline.yaml → a.pipeline.yaml → b.pipeline.yaml → c.pipeline.yaml (→ reads "runs after"); each run would start the next, forever.',
  ]);
});

test('a chain without a loop is clean, and a missing upstream file is unknown-pipeline', async () => {
  const dir = folder({ 'a.pipeline.yaml': after('b.pipeline.yaml'), 'b.pipeline.yaml': 'blocks:\n  b:\n    run: echo b\n', 'c.pipeline.yaml': after('gone.pipeline.yaml') });
  const { code, out } = await validate([dir]);
  assert.equal(code, 1);
  assert.deepEqual(out.filter((l) => l.includes(': error ')).map((l) => l.slice(dir.length + 1)), [
    "c.pipeline.yaml:3:12: error unknown-pipeline: Trigger 'chained' waits for 'gone.pipeline.yaml', and there is no such pipeline file next to this one.",
  ]);
});
