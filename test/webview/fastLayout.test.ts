import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateNoopDag } from '../../bench/generate.ts';
import { graphModelOf } from '../../client/src/graph/graphModel.ts';
import { fastLayout } from '../../webview/src/layout/fastLayout.ts';
import { isotonicPlace } from '../../webview/src/layout/isotonic.ts';
import type { Direction, GraphLayout, GraphModel } from '../../webview/src/protocol.ts';
import { distanceToBorder, isOrthogonal, overlappingPairs, type Box } from './lib/geometry.ts';
import { ROOT } from './lib/graphPage.ts';

// The preliminary layout is DOM-free, so its geometry is checked here on many graphs; the
// Chromium tests check what is painted.

function boxes(layout: GraphLayout, model: GraphModel): Map<string, Box> {
  return new Map(model.nodes.map((n, i) => [n.id, { x: layout.boxes[i * 4] ?? NaN, y: layout.boxes[i * 4 + 1] ?? NaN, width: layout.boxes[i * 4 + 2] ?? NaN, height: layout.boxes[i * 4 + 3] ?? NaN }]));
}

function assertWellFormed(model: GraphModel, direction: Direction, acyclic: boolean): void {
  const layout = fastLayout(model, direction, 'h');
  const placed = boxes(layout, model);
  assert.deepEqual(overlappingPairs(placed), []);
  for (const box of placed.values()) assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= layout.width && box.y + box.height <= layout.height, 'inside the drawing');
  model.edges.forEach(([a, b], e) => {
    const route = layout.routes[e] ?? [];
    const from = placed.get(model.nodes[a]?.id ?? '');
    const to = placed.get(model.nodes[b]?.id ?? '');
    assert.ok(from !== undefined && to !== undefined && route.length >= 4);
    assert.ok(distanceToBorder(route[0] ?? NaN, route[1] ?? NaN, from) < 0.01, `edge ${e} starts on its source`);
    assert.ok(distanceToBorder(route.at(-2) ?? NaN, route.at(-1) ?? NaN, to) < 0.01, `edge ${e} ends on its target`);
    assert.ok(isOrthogonal(route), `edge ${e} is orthogonal`);
    if (acyclic) {
      const along = direction === 'RIGHT' ? (box: Box): number => box.x : (box: Box): number => box.y;
      assert.ok(along(to) > along(from), `edge ${e} points along the flow`);
    }
  });
}

function generated(blocks: number): GraphModel {
  const dag = generateNoopDag(blocks);
  return { pipelineName: 'g', nodes: dag.ids.map((id) => ({ id })), edges: dag.deps.flatMap((deps, i) => deps.map((d): [number, number] => [d, i])) };
}

test('the examples, both directions', () => {
  for (const name of ['etl', 'fan-out', 'ml-train']) {
    const file = join(ROOT, 'examples', `${name}.pipeline.yaml`);
    const { model } = graphModelOf(readFileSync(file, 'utf8'), file);
    assertWellFormed(model, 'RIGHT', true);
    assertWellFormed(model, 'DOWN', true);
  }
});

test('generated DAGs of 50 to 3,000 blocks, in linear-ish time', () => {
  for (const size of [50, 200, 1000, 3000]) assertWellFormed(generated(size), 'RIGHT', true);
  const big = generated(3000);
  // CPU time of this process: a busy machine delays the layout but does not make it use more CPU.
  const t0 = process.cpuUsage();
  fastLayout(big, 'RIGHT', 'h');
  const { user, system } = process.cpuUsage(t0);
  const ms = (user + system) / 1000;
  assert.ok(ms < 1500, `3,000 blocks in ${ms.toFixed(0)} ms of CPU`);
});

test('long edges, fan-in, isolated blocks and a cycle (an invalid file shown as it is)', () => {
  const model: GraphModel = {
    pipelineName: 'odd',
    nodes: ['a', 'b', 'c', 'd', 'e', 'lonely', 'x', 'y'].map((id) => ({ id })),
    edges: [[0, 1], [1, 2], [2, 3], [0, 3], [0, 4], [1, 4], [2, 4], [6, 7], [7, 6]],
  };
  assertWellFormed({ ...model, edges: model.edges.slice(0, 7) }, 'RIGHT', true);
  assertWellFormed(model, 'RIGHT', false);
  assertWellFormed(model, 'DOWN', false);
  assertWellFormed({ pipelineName: 'empty', nodes: [], edges: [] }, 'RIGHT', true);
});

test('isotonic placement keeps order and gaps, as close to the wishes as possible', () => {
  assert.deepEqual(isotonicPlace([0, 0, 0], [0, 10, 10]), [-10, 0, 10]);
  assert.deepEqual(isotonicPlace([5, 100, 50], [0, 10, 10]), [5, 70, 80]);
  assert.deepEqual(isotonicPlace([], []), []);
});
