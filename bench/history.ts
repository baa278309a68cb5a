// bench/history: the Runs view's reads over a store of 100,000 runs (the issue: "100,000 runs stay fast").
// Run: scripts/node24.sh node bench/history.ts
// Each step is what the view does on a user action or a store change, through the real model and a
// read-only connection, as the extension host runs it. Target: <= 16 ms (one frame) a step; a text filter,
// typed once, may scan every run: <= 100 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryModel } from '../client/src/history/historyModel.ts';
import { LogFollower } from '../client/src/history/logFollower.ts';
import type { PipelineNode, RunNode } from '../client/src/history/nodes.ts';
import { openDriver } from '../core/src/store/openDriver.ts';
import { medianOfIterationsMs } from './generate.ts';
import { openStore } from '../core/src/store/index.ts';

const RUNS = 100_000;
const PIPELINES = 20;
const BLOCKS_PER_RUN = 5;
const TARGET_MS = 16;

const dir = mkdtempSync(join(tmpdir(), 'ps-bench-history-'));
const path = join(dir, 'runs.sqlite');
try {
  const built = buildHistory(path);
  const writer = openStore(path);
  const model = new HistoryModel({ pageSize: 50 });
  model.setStores([{ name: 'bench', folderPath: dir, storePath: path }]);
  const rows: [string, number, number][] = [];
  const measure = (name: string, fn: () => unknown, iterations = 50, target = TARGET_MS): void => void rows.push([name, medianOfIterationsMs(fn, iterations, 3), target]);

  measure(`top level: ${PIPELINES} pipelines`, () => {
    model.reset();
    return model.children();
  });
  const pipeline = (model.children() as PipelineNode[])[0];
  if (pipeline === undefined) throw new Error('no pipeline');
  measure('first page of a pipeline (50 runs with counts)', () => {
    pipeline.runs = [];
    pipeline.loaded = false;
    return model.children(pipeline);
  });
  measure('"Load more" at page 20 (runs 951-1000)', () => {
    pipeline.runs = pipeline.runs.slice(0, 950);
    model.loadMore(pipeline);
  }, 20);
  const run = pipeline.runs[0] as RunNode;
  measure('expand a run (its 5 block runs)', () => model.children(run));
  measure('refresh, nothing changed (3 pipelines loaded)', () => {
    const others = model.children() as PipelineNode[];
    for (const p of others.slice(1, 3)) model.children(p);
    return model.refresh();
  });
  // A live run: its block changes state between refreshes.
  const live = writer.createRun({ pipelineName: pipeline.name, pipelineFile: pipeline.file, trigger: 'manual', mode: 'all', selection: [], sourceRunId: undefined, variables: {}, git: undefined });
  writer.updateRun(live.id, { status: 'running' });
  const block = writer.createBlockRun({ runId: live.id, block: 'b0', status: 'running' });
  model.refresh();
  const liveNode = model.findRun(path, live.id);
  if (liveNode !== undefined) model.children(liveNode);
  let flip = false;
  measure('refresh after a block of a live run changed', () => {
    flip = !flip;
    writer.updateBlockRun(block.id, { reason: flip ? 'a' : 'b' });
    return model.refresh();
  });
  measure('filter: status failed, first page', () => {
    model.setFilter({ status: 'failed' });
    return model.children(model.children()[0]);
  }, 20);
  // Typing a filter is a one-off action, not a frame: it may scan every run once.
  measure('filter: text matching 1 run in 100,000 (full scan)', () => {
    model.setFilter({ text: 'needle-42' });
    return model.children();
  }, 10, 100);
  model.setFilter({});
  const log = writer.openLog(block.id);
  for (let i = 0; i < 10_000; i++) {
    log.write('stdout', `\x1b[32mline ${i}\x1b[0m\n`);
    if (i % 10 === 0) log.flush();
  }
  log.flush();
  const reader = openStore(path, { readonly: true });
  const follower = new LogFollower(block.id);
  measure('log document: first read of 1,000 chunks (10,000 lines)', () => new LogFollower(block.id).update(reader), 10);
  follower.update(reader);
  measure('log document: follow one new chunk', () => {
    log.write('stdout', 'one more line\n');
    log.flush();
    return follower.update(reader);
  });
  log.close();
  reader.close();
  writer.close();
  model.dispose();

  console.log(`node ${process.version}; ${RUNS.toLocaleString('en')} runs x ${BLOCKS_PER_RUN} blocks over ${PIPELINES} pipelines, built in ${built.toFixed(1)} s`);
  console.log('| step | median | target |');
  console.log('| --- | ---: | --- |');
  for (const [name, ms, target] of rows) console.log(`| ${name} | ${ms.toFixed(2)} ms | ${ms <= target ? 'ok' : 'SLOW'} (<= ${target} ms) |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Written in bulk: the API's one transaction per call would only slow the setup down. */
function buildHistory(file: string): number {
  const started = performance.now();
  openStore(file).close();
  const db = openDriver(file, 'better-sqlite3', { readonly: false, busyTimeoutMs: 5000 });
  const runStmt = db.prepare(`INSERT INTO pipeline_run (id, pipeline_name, pipeline_file, status, trigger, mode, variables, git_commit, git_branch, git_dirty,
    created_at, started_at, finished_at, owner_pid, owner_host, heartbeat_at) VALUES (?, ?, ?, ?, 'cli', 'all', ?, 'a3f9e2b', 'main', 0, ?, ?, ?, 1, 'bench-host', ?)`);
  const blockStmt = db.prepare(`INSERT INTO block_run (run_id, pipeline_file, block, status, attempt, exit_code, started_at, finished_at, outputs)
    VALUES (?, ?, ?, ?, 1, 0, ?, ?, '{}')`);
  const t0 = Date.now() - RUNS * 60_000;
  db.transaction(() => {
    for (let id = 1; id <= RUNS; id++) {
      const p = id % PIPELINES;
      const failed = id % 7 === 0;
      const at = t0 + id * 60_000;
      const variables = JSON.stringify({ batch: id === 4242 ? 'needle-42' : `batch-${id}` });
      runStmt.run(id, `p${String(p).padStart(2, '0')}`, `/bench/p${p}.pipeline.yaml`, failed ? 'failed' : 'completed', variables, at, at, at + 30_000, at + 30_000);
      for (let b = 0; b < BLOCKS_PER_RUN; b++) blockStmt.run(id, `/bench/p${p}.pipeline.yaml`, `b${b}`, failed && b === 4 ? 'failed' : 'completed', at, at + 5000);
    }
  });
  db.exec('ANALYZE');
  db.close();
  return (performance.now() - started) / 1000;
}
