import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, pipelineDir } from '../runner/support.ts';
import { comparisonStore } from './fixtures.ts';

function cli(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DIAMOND = `blocks:
  a:
    outputs: [n]
    cache:
      inputs: []
      outputs: [out/a.txt]
    run: |
      mkdir -p out && printf hello > out/a.txt
      echo "n=1" >> "$PIPELINE_OUTPUT"
  b:
    depends_on: a
    run: sleep 0.1
  c:
    depends_on: a
    cache:
      inputs: [out/a.txt]
      outputs: []
    run: sleep 0.6
  d:
    depends_on: [b, c]
    run: "true"
`;

test('show: host, queue time and resources, artifacts with lineage; --json has it all; --timeline fits the width and marks the critical path', () => {
  const { dir, file } = pipelineDir(DIAMOND);
  assert.equal(cli(['run', file, '--concurrency', '4', '--no-cache'], dir).code, 0);
  const text = cli(['show', 'latest'], dir);
  assert.equal(text.code, 0, text.stderr);
  for (const section of ['Host and git', 'Queue time and resources', 'Artifacts', 'critical path (*): a → c → d', 'out/a.txt']) assert.ok(text.stdout.includes(section), `${section} in\n${text.stdout}`);
  assert.match(text.stdout, /c\s+input\s+out\/a\.txt .* from #1 a/);

  const json = JSON.parse(cli(['show', 'latest', '--json'], dir).stdout) as { run: { id: number }; details: { criticalPath: string[]; blocks: { block: string; cpuMs: number | undefined; readyAt: number; startedAt: number; finishedAt: number }[]; detail: { definition: string; host: { cpus: number } }; artifacts: unknown[] } };
  assert.deepEqual(json.details.criticalPath, ['a', 'c', 'd']);
  assert.equal(json.details.detail.definition, DIAMOND);
  assert.equal(json.details.artifacts.length, 2);
  assert.ok(json.details.blocks.every((b) => typeof b.readyAt === 'number'));

  const timeline = cli(['show', 'latest', '--timeline', '--width', '60'], dir);
  assert.equal(timeline.code, 0, timeline.stderr);
  const lanes = timeline.stdout.split('\n').filter((l) => /^[* ] [a-d] /.test(l));
  assert.deepEqual(lanes.map((l) => l.slice(0, 3)), ['* a', '  b', '* c', '* d']);
  assert.ok(timeline.stdout.split('\n').every((l) => [...l].length <= 60), timeline.stdout);
  assert.ok(lanes[2]?.includes('▓') === true && lanes[1]?.includes('█') === true);
  // Each lane is drawn to scale: its bar covers the block's recorded run time within the two columns
  // that rounding its ends may cost. Its recorded time, not its sleep: under load b's 0.1 s sleep can
  // take as long as c's 0.6 s.
  const bars = (l: string | undefined): number => [...(l ?? '')].filter((ch) => ch === '▓' || ch === '█').length;
  const blocks = json.details.blocks;
  const t0 = Math.min(...blocks.map((b) => b.readyAt));
  const span = Math.max(...blocks.map((b) => b.finishedAt)) - t0;
  const columns = 60 - 5 - 10 - 4;
  for (const [i, name] of ['a', 'b', 'c', 'd'].entries()) {
    const block = blocks.find((b) => b.block === name);
    const scaled = block === undefined ? Number.NaN : ((block.finishedAt - block.startedAt) / span) * columns;
    assert.ok(Math.abs(bars(lanes[i]) - scaled) <= 2, `${name}: ${bars(lanes[i])} columns for ${scaled.toFixed(1)} in\n${timeline.stdout}`);
  }
  assert.equal(cli(['show', 'latest', '--timeline', '--json'], dir).code, 2);
});

for (const count of [2, 5]) {
  test(`compare ${count} runs: JSON golden`, () => {
    const { store, runIds } = comparisonStore();
    store.close();
    const golden = join(import.meta.dirname, 'golden', `compare-${count}.json`);
    const r = cli(['compare', ...runIds.slice(0, count).map(String), '--json', '--store', store.path], import.meta.dirname);
    assert.equal(r.code, 0, r.stderr);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, r.stdout);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(readFileSync(golden, 'utf8')));
    const text = cli(['compare', ...runIds.slice(0, count).map(String), '--store', store.path], import.meta.dirname);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /train/);
  });
}

test('compare refuses fewer than 2 or more than 5 runs, and unknown runs', () => {
  const { store, runIds } = comparisonStore();
  store.close();
  assert.equal(cli(['compare', '1', '--store', store.path], import.meta.dirname).code, 2);
  assert.equal(cli(['compare', '1', '2', '3', '4', '5', '1', '--store', store.path], import.meta.dirname).code, 2);
  const missing = cli(['compare', String(runIds[0]), '99', '--store', store.path], import.meta.dirname);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /run 99 not found/);
});

test('export-outputs: one CSV row per run with the block outputs; a formula-like value stays text', () => {
  const { store } = comparisonStore();
  store.close();
  const r = cli(['export-outputs', 'train', '--format', 'csv', '--store', store.path], import.meta.dirname);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'run,pipeline,status,finished,accuracy,model');
  assert.equal(lines.length, 6);
  assert.match(lines[1] ?? '', /^5,\/work\/demo\/etl\.pipeline\.yaml,completed,2026-01-05T13:\d\d:\d\d\.\d{3}Z,0\.84,m4\.pkl$/);
  const two = cli(['export-outputs', 'train', '--runs', '1,3', '--format', 'csv', '--store', store.path], import.meta.dirname);
  assert.deepEqual(two.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[0]), ['3', '1']);
  assert.equal(cli(['export-outputs', 'train', '--format', 'xlsx', '--store', store.path], import.meta.dirname).code, 2);
  // --query is the runs query language (run 3 failed); --runs narrows it further.
  const completed = cli(['export-outputs', 'train', '--query', 'status:completed', '--format', 'csv', '--store', store.path], import.meta.dirname);
  assert.equal(completed.code, 0, completed.stderr);
  assert.deepEqual(completed.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[0]), ['5', '4', '2', '1']);
  const both = cli(['export-outputs', 'train', '--query', 'status:completed', '--runs', '1,3', '--format', 'csv', '--store', store.path], import.meta.dirname);
  assert.deepEqual(both.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[0]), ['1']);
  const bad = cli(['export-outputs', 'train', '--query', 'status:', '--format', 'csv', '--store', store.path], import.meta.dirname);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad --query/);

  const { dir, file } = pipelineDir('blocks:\n  x:\n    run: echo "v==HYPERLINK(1)" >> "$PIPELINE_OUTPUT"\n');
  assert.equal(cli(['run', file], dir).code, 0);
  const csv = cli(['export-outputs', 'x', '--format', 'csv'], dir).stdout.trim().split('\n');
  assert.match(csv[1] ?? '', /,'=HYPERLINK\(1\)$/);
});

test('run --hash-limit (or PIPELINE_STUDIO_HASH_LIMIT): files over it are recorded without a hash; a bad size is a usage error', () => {
  const { dir, file } = pipelineDir(`blocks:
  write:
    cache:
      inputs: []
      outputs: [out.txt]
    run: printf 'more than 1K of text %.0s' $(seq 1 100) > out.txt
`);
  assert.equal(cli(['run', file, '--hash-limit', '1K'], dir).code, 0);
  const json = JSON.parse(cli(['show', 'latest', '--json'], dir).stdout) as { details: { artifacts: { sha256?: string; hashNote?: string }[] } };
  assert.match(json.details.artifacts[0]?.hashNote ?? '', /over size limit \(1024 bytes\)/);
  assert.equal(json.details.artifacts[0]?.sha256, undefined);
  const bad = cli(['run', file, '--hash-limit', 'lots'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--hash-limit: 'lots' is not a size/);
  const fromEnv = spawnSync(process.execPath, [CLI, 'run', file], { cwd: dir, encoding: 'utf8', env: { ...process.env, PIPELINE_STUDIO_HASH_LIMIT: '2X' } });
  assert.equal(fromEnv.status, 2);
  assert.match(fromEnv.stderr, /PIPELINE_STUDIO_HASH_LIMIT: '2X' is not a size/);
});
