import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareTexts } from '../../client/src/graph/compare/compareModels.ts';
import { repositoryOf, revisionsOf, textAt } from '../../client/src/graph/compare/gitRevisions.ts';

const BASE = `name: p
blocks:
  a:
    run: echo a
  b:
    depends_on: a
    run: echo b
  c:
    depends_on: b
    run: echo c
`;
// a: comment only (unchanged); b: command changed; c: removed; d: added, depends on b.
const CURRENT = `name: p
blocks:
  # a comment is not a change
  a:
    run: echo a   # nor is this one
  b:
    depends_on: a
    run: echo B
  d:
    depends_on: b
    run: echo d
`;

test('compare: added, removed and changed blocks and edges; comments are not changes', () => {
  const c = compareTexts(BASE, CURRENT, 'p.pipeline.yaml');
  assert.deepEqual(c.nodes, { a: 'unchanged', b: 'changed', d: 'added', c: 'removed' });
  assert.deepEqual(c.model.nodes.map((n) => n.id), ['a', 'b', 'd', 'c']);
  const edge = (i: number): string => `${c.model.nodes[c.model.edges[i]?.[0] ?? -1]?.id}->${c.model.nodes[c.model.edges[i]?.[1] ?? -1]?.id}`;
  assert.deepEqual(c.addedEdges.map(edge), ['b->d']);
  assert.deepEqual(c.removedEdges.map(edge), ['b->c']);
  assert.deepEqual(c.changes.map((x) => `${x.change} ${x.block}`), ['changed b', 'added d', 'removed c']);
});

test('git revisions: HEAD first, then the commits that touched the file; the text at each', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-compare-'));
  try {
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    const file = join(dir, 'p.pipeline.yaml');
    writeFileSync(file, BASE);
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    writeFileSync(file, CURRENT);
    git('commit', '-q', '-am', 'second');
    return (async () => {
      const root = await repositoryOf(file);
      assert.ok(root !== undefined);
      const revisions = await revisionsOf(root, file);
      assert.equal(revisions[0]?.rev, 'HEAD');
      assert.deepEqual(revisions.slice(1, 3).map((r) => r.detail.split(' · ')[0]), ['second', 'first']);
      assert.ok(revisions.some((r) => r.rev === 'main' && r.detail === 'branch'));
      assert.equal(await textAt(root, file, 'HEAD'), CURRENT);
      assert.equal(await textAt(root, file, 'HEAD~1'), BASE);
      await assert.rejects(textAt(root, file, '--output=/tmp/x'), /not a git revision/);
      assert.equal(await repositoryOf(tmpdir()), undefined);
    })().finally(() => rmSync(dir, { recursive: true, force: true }));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
});
