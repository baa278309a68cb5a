import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareTexts } from '../../client/src/graph/compare/compareModels.ts';
import { STORE_FILE, STORE_FOLDER } from '../../core/src/store/index.ts';
import { recordedDefinition, recordedRuns } from '../../client/src/graph/compare/runDefinitions.ts';
import { CLI, pipelineDir } from '../runner/support.ts';

const FIRST = `name: p
blocks:
  a:
    run: echo a
  b:
    depends_on: a
    run: echo b
`;
const SECOND = `name: p
blocks:
  a:
    run: echo a
  b:
    depends_on: a
    run: echo B
  c:
    depends_on: b
    run: echo c
`;
// The working copy: b unchanged since run 2, c removed, d added.
const CURRENT = `name: p
blocks:
  a:
    run: echo a
  b:
    depends_on: a
    run: echo B
  d:
    depends_on: a
    run: echo d
`;

function run(dir: string, file: string): void {
  const r = spawnSync(process.execPath, [CLI, 'run', file], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
}

test('compare with a run: the runs with a recorded definition, newest first; each run is compared with the text it ran', () => {
  const { dir, file } = pipelineDir(FIRST);
  const store = join(dir, STORE_FOLDER, STORE_FILE);
  assert.deepEqual(recordedRuns(store, file), [], 'no store yet: no runs, no error');
  run(dir, file);
  writeFileSync(file, SECOND);
  run(dir, file);
  writeFileSync(file, CURRENT);

  const runs = recordedRuns(store, file);
  assert.deepEqual(runs.map((r) => r.runId), [2, 1]);
  assert.match(runs[0]?.label ?? '', /^#2 /);
  assert.equal(recordedDefinition(store, 1), FIRST);
  assert.equal(recordedDefinition(store, 2), SECOND);
  assert.equal(recordedDefinition(store, 99), undefined);
  assert.deepEqual(recordedRuns(store, join(dir, 'other.pipeline.yaml')), [], 'runs of another file are not offered');

  // Against run 2: c removed, d added, b as it ran; against run 1: b changed, c never was.
  assert.deepEqual(compareTexts(recordedDefinition(store, 2) ?? '', CURRENT, file).nodes, { a: 'unchanged', b: 'unchanged', d: 'added', c: 'removed' });
  assert.deepEqual(compareTexts(recordedDefinition(store, 1) ?? '', CURRENT, file).nodes, { a: 'unchanged', b: 'changed', d: 'added' });
});

test('the webview asks for a run base with { type: compare, base: run }; any other base is the git picker', async () => {
  const { parseWebviewMessage } = await import('../../client/src/graph/messageValidation.ts');
  const known = new Set<string>();
  assert.deepEqual(parseWebviewMessage({ type: 'compare', base: 'run' }, known), { type: 'compare', base: 'run' });
  assert.deepEqual(parseWebviewMessage({ type: 'compare', base: 'rm -rf' }, known), { type: 'compare' });
  assert.deepEqual(parseWebviewMessage({ type: 'compare', base: 'run', stop: true }, known), { type: 'compare', stop: true });
});
