import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { graphModelOf } from '../../client/src/graph/graphModel.ts';
import type { WebviewMessage } from '../../webview/src/protocol.ts';
import { directionForShape, fitTransform, READABLE_SCALE } from '../../webview/src/view/fitting.ts';
import { GraphPage, ROOT } from '../webview/lib/graphPage.ts';

const ARTIFACTS = join(import.meta.dirname, '..', 'webview', '.artifacts');

describe('readable layout: direction from the panel shape, fit keeps small graphs readable', () => {
  test('a tall panel lays out top to bottom, a wide one left to right', () => {
    assert.equal(directionForShape(500, 900), 'DOWN');
    assert.equal(directionForShape(1200, 700), 'RIGHT');
    assert.equal(directionForShape(0, 0), 'RIGHT');
  });

  test('a small graph that would shrink below readable size is shown at 100%, centred where it fits', () => {
    // Four blocks left to right (about 960 px) in a 480 px wide panel: fitting would need ~0.47.
    const t = fitTransform({ width: 480, height: 900 }, { width: 960, height: 84 }, 4, 0.02);
    assert.equal(t.scale, 1);
    assert.equal(t.x, 12, 'overflowing axis starts at the first block');
    assert.equal(t.y, (900 - 84) / 2, 'fitting axis is centred');
  });

  test('a small graph that fits is centred at no more than 100%, a large one is fitted whole', () => {
    const small = fitTransform({ width: 1000, height: 800 }, { width: 300, height: 400 }, 4, 0.02);
    assert.deepEqual(small, { scale: 1, x: 350, y: 200 });
    const large = fitTransform({ width: 1000, height: 800 }, { width: 20_000, height: 4000 }, 3000, 0.02);
    assert.ok(large.scale < READABLE_SCALE && large.scale > 0.02, `overview scale ${large.scale}`);
  });

  test('in Chromium, the ETL example in a tall panel is drawn top to bottom at a readable size', { timeout: 600_000 }, async () => {
    const page = await GraphPage.open('dark', { width: 460, height: 900 });
    try {
      const ready = (await page.posted()).find((m): m is Extract<WebviewMessage, { type: 'ready' }> => m.type === 'ready');
      assert.equal(ready?.direction, 'DOWN', 'the webview asks for top to bottom in a tall panel');
      const file = join(ROOT, 'examples', 'etl.pipeline.yaml');
      const model = graphModelOf(readFileSync(file, 'utf8'), file).model;
      await page.send({ type: 'model', model, errorCount: 0, direction: ready?.direction ?? 'RIGHT' });
      await page.waitRendered(['final']);
      const sizes = await page.page.evaluate(() => [...document.querySelectorAll('g.node rect.box')].map((r) => r.getBoundingClientRect()).map((b) => ({ w: b.width, top: b.top, bottom: b.bottom, left: b.left, right: b.right })), undefined);
      assert.equal(sizes.length, 4);
      for (const s of sizes) assert.ok(s.w >= 184 * READABLE_SCALE, `node ${s.w}px wide`);
      const inView = sizes.filter((s) => s.left >= 0 && s.right <= 460 && s.top >= 0 && s.bottom <= 900);
      assert.equal(inView.length, 4, 'the whole chain is in view');
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.page.screenshot({ path: join(ARTIFACTS, 'designer-readable-tall.png') });
      assert.deepEqual(page.errors, []);
    } finally {
      await page.close();
    }
  });
});
