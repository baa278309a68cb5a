import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { graphModelOf } from '../../client/src/graph/graphModel.ts';
import { GraphPage, ROOT } from '../webview/lib/graphPage.ts';

const ARTIFACTS = join(import.meta.dirname, '..', 'webview', '.artifacts');

test('in Chromium, a live run shows the progress bar: done/total, failed, elapsed, time left; a finished run hides it', { timeout: 600_000 }, async () => {
  const page = await GraphPage.open('dark', { width: 1100, height: 600 });
  try {
    const file = join(ROOT, 'examples', 'etl.pipeline.yaml');
    const model = graphModelOf(readFileSync(file, 'utf8'), file).model;
    await page.send({ type: 'model', model, errorCount: 0, direction: 'RIGHT' });
    await page.waitRendered(['final', 'preliminary']);
    const startedAt = Date.now() - 65_000;
    await page.send({ type: 'run', run: { runId: 7, status: 'running', startedAt, done: 2, total: 4 }, blocks: { extract: { status: 'completed' }, transform: { status: 'failed' }, check: { status: 'running' } } });
    await page.send({ type: 'estimates', runId: 7, medians: { check: 120_000, load: 30_000 } });
    const text = (): Promise<string> => page.page.evaluate(() => document.querySelector('.progress-text')?.textContent ?? '', undefined);
    await page.page.waitForFunction(() => /left/.test(document.querySelector('.progress-text')?.textContent ?? ''), undefined, { timeout: 60_000 });
    const shown = await text();
    assert.match(shown, /^2\/4 done · 1 failed · 1m ?5s elapsed · about 2m ?30s left$|^2\/4 done · 1 failed · .* elapsed · about .* left$/);
    const aria = await page.page.evaluate(() => document.querySelector('.progress')?.getAttribute('aria-valuenow'), undefined);
    assert.equal(aria, '2');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.page.screenshot({ path: join(ARTIFACTS, 'designer-progress.png') });
    await page.send({ type: 'status', runId: 7, block: 'check', state: { status: 'completed' }, header: { runId: 7, status: 'failed', startedAt, finishedAt: Date.now(), done: 4, total: 4 } });
    await page.page.waitForFunction(() => document.querySelector<HTMLElement>('.progress')?.hidden === true, undefined, { timeout: 60_000 });
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});
