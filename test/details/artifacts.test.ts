import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detailsViewOf } from '../../client/src/details/viewModel.ts';
import { compareRuns } from '../../core/src/details/compare.ts';
import { DetailsStore } from '../../core/src/details/detailsStore.ts';
import { loadRunDetails, type RunDetails } from '../../core/src/details/model.ts';
import type { ArtifactRecord } from '../../core/src/details/types.ts';
import { openStore } from '../../core/src/store/index.ts';
import { CLI, pipelineDir, tempDir } from '../runner/support.ts';
import { recordRun } from './support.ts';

// extract writes out/raw/ (two files); transform reads out/raw/*.txt and data/*.csv, writes out/result.txt.
const PIPELINE = `blocks:
  extract:
    cache:
      inputs: []
      outputs: [out/raw]
    run: |
      mkdir -p out/raw
      printf one > out/raw/1.txt
      printf two > out/raw/2.txt
  transform:
    depends_on: extract
    cache:
      inputs: ["out/raw/*.txt", "data/*.csv"]
      outputs: [out/result.txt]
    run: cat out/raw/*.txt data/*.csv > out/result.txt
`;

test('artifacts: every declared file with size, hash and mtime; unchanged files are not hashed again; lineage', async () => {
  const { dir, file } = pipelineDir(PIPELINE);
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'a.csv'), 'x,y\n');
  const store = openStore(join(tempDir('ps-details-'), 'runs.sqlite'));

  const first = await recordRun(file, { store, noCache: true });
  const run1 = first.details.artifacts(first.result.runId);
  // extract: 2 outputs; transform: 3 inputs + 1 output.
  assert.deepEqual(run1.map((a) => `${a.block} ${a.direction} ${a.path.slice(dir.length + 1)}`), [
    'extract output out/raw/1.txt', 'extract output out/raw/2.txt',
    'transform input out/raw/1.txt', 'transform input out/raw/2.txt', 'transform input data/a.csv', 'transform output out/result.txt',
  ]);
  const one = run1[0];
  assert.equal(one?.size, 3);
  assert.equal(one?.sha256, '7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed');
  assert.ok((one?.mtimeMs ?? 0) > 0);
  assert.ok(run1.every((a) => a.changed === undefined), 'no previous run to compare with');
  const extractRow = first.store.blockRuns(first.result.runId).find((b) => b.block === 'extract');
  const lineage = run1.filter((a) => a.block === 'transform' && a.direction === 'input');
  assert.deepEqual(lineage.map((a) => a.lineageBlockRunId), [extractRow?.id, extractRow?.id, undefined]);
  assert.equal(lineage[0]?.lineageBlock, 'extract');
  // 6 records, 4 distinct files: transform's inputs out/raw/* match the records extract just made.
  assert.equal(first.recorder.hasher.hashCalls, 4);

  // transform's inputs are untouched; extract rewrites out/raw with the same bytes (new mtimes).
  const second = await recordRun(file, { store, noCache: true, recorder: {} });
  const run2 = second.details.artifacts(second.result.runId);
  assert.ok(run2.every((a) => a.changed === false), JSON.stringify(run2.map((a) => [a.path, a.changed])));
  // Rewritten outputs (new mtime) are hashed again, and so is result.txt; data/a.csv is not.
  assert.equal(second.recorder.hasher.hashCalls, 3);

  writeFileSync(join(dir, 'data', 'a.csv'), 'x,y\n1,2\n');
  const third = await recordRun(file, { store, noCache: true });
  const changed = third.details.artifacts(third.result.runId).filter((a) => a.changed === true).map((a) => a.path.slice(dir.length + 1));
  assert.deepEqual(changed, ['data/a.csv', 'out/result.txt']);
});

test('a file over the size limit (a 2 GiB sparse file) is recorded without reading it', async () => {
  const { file } = pipelineDir(`blocks:
  big:
    cache:
      inputs: []
      outputs: [out]
    run: |
      mkdir -p out
      truncate -s 2G out/big.bin
      printf small > out/small.txt
`);
  const r = await recordRun(file);
  const [big, small] = r.details.artifacts(r.result.runId);
  assert.equal(big?.size, 2 * 1024 ** 3);
  assert.equal(big?.sha256, undefined);
  assert.match(big?.hashNote ?? '', /over size limit/);
  assert.equal(small?.size, 5);
  assert.ok(small?.sha256 !== undefined);
  assert.equal(r.recorder.hasher.hashCalls, 1, 'only the small file was read');
  // Nor did the engine read it for the cache: the output folder's hash stands for the big file's size and mtime.
  const row = r.store.blockRuns(r.result.runId).find((b) => b.block === 'big');
  assert.match(row?.outputHashes?.out ?? '', /^dir:/);
});

test('the hash limit is a run option: the engine and the recorder read no file over it, and the cache compares such files by size and mtime', async () => {
  const { dir, file } = pipelineDir(`blocks:
  make:
    cache:
      inputs: [in.txt]
      outputs: [out.txt]
    run: cp in.txt out.txt
`);
  writeFileSync(join(dir, 'in.txt'), 'twelve bytes');
  const store = openStore(join(tempDir('ps-details-'), 'runs.sqlite'));
  const first = await recordRun(file, { store, hashLimitBytes: 4, recorder: { hashLimitBytes: 4 } });
  assert.equal(first.recorder.hasher.hashCalls, 0);
  assert.ok(first.details.artifacts(first.result.runId).every((a) => a.sha256 === undefined && /over size limit \(4 bytes\)/.test(a.hashNote ?? '')));
  const row = first.store.blockRuns(first.result.runId)[0];
  assert.match(row?.outputHashes?.['out.txt'] ?? '', /^unhashed:12:/);
  // Unchanged: a cache hit without reading either file.
  const second = await recordRun(file, { store, hashLimitBytes: 4 });
  assert.equal(second.block('make').status, 'cached');
  // Same size, new mtime: a miss, as make would decide.
  writeFileSync(join(dir, 'in.txt'), 'twelve BYTES');
  const third = await recordRun(file, { store, hashLimitBytes: 4 });
  assert.equal(third.block('make').status, 'completed');
});

test('a cached block records the files it reused: same paths, sizes and hashes as the run that wrote them, marked, and unchanged in compare', async () => {
  const { dir, file } = pipelineDir(PIPELINE);
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'a.csv'), 'x,y\n');
  const store = openStore(join(tempDir('ps-details-'), 'runs.sqlite'));
  const first = await recordRun(file, { store });
  const second = await recordRun(file, { store });
  assert.equal(second.block('extract').status, 'cached');
  assert.equal(second.block('transform').status, 'cached');
  const key = (a: ArtifactRecord): string => `${a.block} ${a.direction} ${a.path.slice(dir.length + 1)} ${String(a.size)} ${String(a.sha256)}`;
  const run1 = first.details.artifacts(first.result.runId);
  const run2 = second.details.artifacts(second.result.runId);
  assert.equal(run1.length, 6);
  assert.deepEqual(run2.map(key), run1.map(key));
  assert.ok(run2.every((a) => a.reusedFromRunId === first.result.runId && a.changed === false), JSON.stringify(run2.map((a) => [a.path, a.reusedFromRunId, a.changed])));
  const rows2 = new Map(second.store.blockRuns(second.result.runId).map((b) => [b.block, b.id]));
  assert.deepEqual(run2.map((a) => a.blockRunId), run2.map((a) => rows2.get(a.block)), 'recorded against this run\'s block rows');
  assert.equal(second.recorder.hasher.hashCalls, 0, 'copied from the records, no file read');
  // transform's inputs were written by run 1's extract (the cached one in run 2 wrote nothing).
  const extract1 = first.store.blockRuns(first.result.runId).find((b) => b.block === 'extract')?.id;
  assert.deepEqual(run2.filter((a) => a.direction === 'input').map((a) => a.lineageBlockRunId), [extract1, extract1, undefined]);
  // A cache hit on a cached run still names the run that wrote the files.
  const third = await recordRun(file, { store });
  assert.ok(third.details.artifacts(third.result.runId).every((a) => a.reusedFromRunId === first.result.runId));

  const details = DetailsStore.open(store);
  const models = [first, second].map((r) => loadRunDetails(store, details, r.result.runId)).filter((m): m is RunDetails => m !== undefined);
  assert.deepEqual(compareRuns(models).artifacts, [], 'no artifact differs between the run and the one reusing it');
  const view = detailsViewOf(models[1] as RunDetails, false);
  assert.deepEqual(view.artifacts.map((a) => a.reused), Array<string>(6).fill(`cached from run #${first.result.runId}`));
  details.close();
  store.close();
  const compare = spawnSync(process.execPath, [CLI, 'compare', String(first.result.runId), String(second.result.runId), '--json', '--store', store.path], { encoding: 'utf8' });
  assert.equal(compare.status, 0, compare.stderr);
  assert.deepEqual((JSON.parse(compare.stdout) as { artifacts: unknown[] }).artifacts, []);
  // `show` marks them too, in its Artifacts table's "vs previous" column.
  const show = spawnSync(process.execPath, [CLI, 'show', String(second.result.runId), '--store', store.path], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(show.status, 0, show.stderr);
  assert.equal(show.stdout.split('\n').filter((line) => line.includes(`same · cached from #${first.result.runId}`)).length, 6, show.stdout);
});

test('a cache hit on a run recorded without details copies the records of the earlier run with the same fingerprint and output files', async () => {
  const { dir, file } = pipelineDir(PIPELINE);
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'a.csv'), 'x,y\n');
  const store = openStore(join(tempDir('ps-details-'), 'runs.sqlite'));
  const first = await recordRun(file, { store });
  process.env.PIPELINE_STUDIO_DETAILS = 'off';
  try {
    const bare = await recordRun(file, { store });
    assert.equal(bare.block('extract').status, 'cached');
    assert.deepEqual(bare.details.artifacts(bare.result.runId), []);
  } finally {
    delete process.env.PIPELINE_STUDIO_DETAILS;
  }
  // The hits name the bare run's rows, which have no records: run 1's stand in (same files).
  const third = await recordRun(file, { store });
  const run3 = third.details.artifacts(third.result.runId);
  assert.deepEqual(run3.map((a) => `${a.path} ${String(a.sha256)}`), first.details.artifacts(first.result.runId).map((a) => `${a.path} ${String(a.sha256)}`));
  assert.ok(run3.every((a) => a.reusedFromRunId === first.result.runId));
  assert.equal(third.recorder.hasher.hashCalls, 0);
  store.close();
});
