import { test } from 'node:test';
import assert from 'node:assert/strict';
import { criticalPath, median, slowRatio, type BlockSpan } from '../../core/src/details/criticalPath.ts';

const span = (block: string, startedAt: number | undefined, finishedAt: number | undefined, ...dependsOn: string[]): BlockSpan => ({ block, startedAt, finishedAt, dependsOn });

test('a diamond: the path goes through the longer side', () => {
  // a → (b 10..20, c 10..50) → d 50..60
  assert.deepEqual(criticalPath([span('a', 0, 10), span('b', 10, 20, 'a'), span('c', 10, 50, 'a'), span('d', 50, 60, 'b', 'c')]), ['a', 'c', 'd']);
  // The same diamond with b the longer side.
  assert.deepEqual(criticalPath([span('a', 0, 10), span('b', 10, 70, 'a'), span('c', 10, 50, 'a'), span('d', 70, 80, 'b', 'c')]), ['a', 'b', 'd']);
});

test('parallel chains of different lengths: the chain that ends last', () => {
  const spans = [
    span('x1', 0, 10), span('x2', 10, 20, 'x1'), span('x3', 20, 30, 'x2'),
    span('y1', 0, 5), span('y2', 5, 40, 'y1'),
    span('z1', 0, 35),
  ];
  assert.deepEqual(criticalPath(spans), ['y1', 'y2']);
  assert.deepEqual(criticalPath(spans.filter((s) => !s.block.startsWith('y'))), ['z1']);
});

test('retries on the path: a block whose span includes its retries and waits makes the path', () => {
  // b's first attempt failed at 15, it waited and its second attempt ran 30..45: its span is 10..45.
  const spans = [span('a', 0, 10), span('b', 10, 45, 'a'), span('c', 10, 30, 'a'), span('d', 45, 50, 'b', 'c')];
  assert.deepEqual(criticalPath(spans), ['a', 'b', 'd']);
});

test('blocks that never ran are not on the path; an upstream that ended after the start is not its cause', () => {
  assert.deepEqual(criticalPath([span('a', undefined, undefined), span('b', 0, 10, 'a')]), ['b']);
  assert.deepEqual(criticalPath([]), []);
  // c started at 5 (before b ended at 20): b cannot have held it back; a did.
  assert.deepEqual(criticalPath([span('a', 0, 5), span('b', 0, 20), span('c', 5, 30, 'a', 'b')]), ['a', 'c']);
});

test('a cached block in the middle passes the path on to its own upstream', () => {
  // extract 0..350 → transform (cached, no times) → check 355..430 → load 433..510
  const spans = [span('extract', 0, 350), span('transform', undefined, undefined, 'extract'), span('check', 355, 430, 'transform'), span('load', 433, 510, 'check')];
  assert.deepEqual(criticalPath(spans), ['extract', 'check', 'load']);
  // Two cached links in a row, and a cycle-safe walk over a diamond of cached blocks.
  assert.deepEqual(criticalPath([span('a', 0, 10), span('b', undefined, undefined, 'a'), span('c', undefined, undefined, 'b', 'a'), span('d', 12, 20, 'c', 'b')]), ['a', 'd']);
});

test('median and the slow-block flag', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), undefined);
  assert.deepEqual(slowRatio(10_000, [1000, 1100, 900, 1000]), { ratio: 10, medianMs: 1000 });
  assert.equal(slowRatio(1500, [1000, 1000, 1000]), undefined, 'under 2x');
  assert.equal(slowRatio(10_000, [1000, 1000]), undefined, 'too few earlier runs');
  assert.equal(slowRatio(90, [20, 20, 20]), undefined, 'excess too small to matter');
  assert.equal(slowRatio(undefined, [20, 20, 20]), undefined);
});
