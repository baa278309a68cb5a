import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceSampler } from '../../core/src/details/resourceSampler.ts';
import { pipelineDir } from '../runner/support.ts';
import { recordRun } from './support.ts';

const MB = 1024 * 1024;

// heavy: node holding 200 MB (written, so resident) while it burns 1 s of CPU; base: node alone, the
// footprint to subtract. Both run as a child of the block's shell, so the tree is what is measured.
const PIPELINE = `concurrency: 1
blocks:
  base:
    run: node -e "const t = Date.now(); while (Date.now() - t < 1000) {}"
  heavy:
    depends_on: base
    run: |
      node -e "
        const b = Buffer.alloc(200 * 1024 * 1024, 1);
        while (true) { const u = process.cpuUsage(); if (u.user + u.system >= 1e6) break; }
        console.log(b[12345]);
      "
      times > times.txt
      echo done
`;

/** The CPU bash says its reaped children and itself used (`times`): what the tree really cost, exit included. */
function bashTimesMs(text: string): number {
  const seconds = [...text.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  assert.equal(seconds.length, 4, `times printed: ${text}`);
  return Math.round(seconds.reduce((a, b) => a + b, 0) * 1000);
}

test('resources: a block allocating 200 MB and burning 1 s of CPU is measured within 25%', { skip: process.platform !== 'linux' ? 'measured through /proc on Linux only' : false }, async () => {
  const { dir, file } = pipelineDir(PIPELINE);
  const r = await recordRun(file);
  assert.equal(r.result.status, 'completed');
  const rows = new Map(r.store.blockRuns(r.result.runId).map((b) => [b.id, b.block]));
  const figures = new Map(r.details.resources(r.result.runId).map((f) => [rows.get(f.blockRunId), f]));
  const heavy = figures.get('heavy');
  const base = figures.get('base');
  assert.ok(heavy !== undefined && base !== undefined);
  assert.equal(heavy.method, 'proc');
  assert.ok(heavy.samples >= 2, `samples ${heavy.samples}`);
  const cpu = (heavy.cpuUserMs ?? 0) + (heavy.cpuSystemMs ?? 0);
  // Against what the shell measured, not a fixed 1 s: on a loaded machine node's start and exit
  // (freeing 200 MB) add a few hundred ms to the tree's real cost.
  const truth = bashTimesMs(readFileSync(join(dir, 'times.txt'), 'utf8'));
  assert.ok(truth >= 1000, `the block burned ${truth} ms`);
  assert.ok(Math.abs(cpu - truth) <= truth * 0.25, `cpu ${cpu} ms measured, ${truth} ms used`);
  const allocated = (heavy.peakRssBytes ?? 0) - (base.peakRssBytes ?? 0);
  assert.ok(allocated >= 150 * MB && allocated <= 250 * MB, `peak ${(heavy.peakRssBytes ?? 0) / MB} MB, base ${(base.peakRssBytes ?? 0) / MB} MB`);
});

test('the sampling interval grows with the cost of a sweep, to stay within its budget', async () => {
  let reads = 0;
  // Each read costs ~2 ms of CPU: with a 1% budget the next sweep waits ~200 ms x trees.
  const sampler = new ResourceSampler({
    budget: 0.01, minIntervalMs: 10, maxIntervalMs: 10_000,
    read: () => {
      reads++;
      const end = process.cpuUsage().user + 2000;
      while (process.cpuUsage().user < end) { /* burn */ }
      return { cpuUserMs: reads, cpuSystemMs: 0, rssBytes: reads * 10, readBytes: 0, writeBytes: 0, processes: 1 };
    },
  });
  for (let key = 1; key <= 5; key++) sampler.watch(key, key);
  await new Promise((resolve) => setTimeout(resolve, 600));
  const figures = sampler.finish(1);
  for (let key = 2; key <= 5; key++) sampler.finish(key);
  // The first sweep comes after 10 ms and costs ~10 ms, so the next waits ~1 s: one sweep in 600 ms
  // (and none at finish: the attempt's process has exited by then).
  assert.equal(sampler.sweeps, 1);
  assert.ok(figures !== undefined && figures.samples === 1, `samples ${figures?.samples}`);
  assert.equal(reads, 5, 'one reading per tree in the one sweep, none when an attempt finishes');
  assert.ok(sampler.costMs >= 5, `cost ${sampler.costMs}`);
});
