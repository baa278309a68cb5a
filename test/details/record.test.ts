import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { stripCredentials } from '../../core/src/details/gitExtras.ts';
import { blockTimings } from '../../core/src/details/timings.ts';
import { pipelineDir } from '../runner/support.ts';
import { recordRun } from './support.ts';

test('a remote URL is stored without its credentials, with the author, commit time and subject', async () => {
  assert.equal(stripCredentials('https://user:token@example.com/team/repo.git'), 'https://example.com/team/repo.git');
  assert.equal(stripCredentials('https://ghp_secret@example.com/r.git?sig=abc'), 'https://example.com/r.git');
  assert.equal(stripCredentials('git@example.com:team/repo.git'), 'git@example.com:team/repo.git');
  const { dir, file } = pipelineDir('blocks:\n  a:\n    run: "true"\n');
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  git('-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com', 'commit', '-q', '--allow-empty', '-m', 'Add the engine', '--date=2024-01-02T03:04:05Z');
  git('remote', 'add', 'origin', 'https://user:s3cr3t-token@example.com/team/repo.git');
  const r = await recordRun(file, { git: true });
  const detail = r.details.runDetail(r.result.runId);
  assert.equal(detail?.git?.remote, 'https://example.com/team/repo.git');
  assert.equal(detail?.git?.author, 'Ada Lovelace <ada@example.com>');
  assert.equal(detail?.git?.subject, 'Add the engine');
  assert.ok(detail?.git?.commitTime !== undefined && detail.git.commitTime > 1_600_000_000_000);
  r.details.close();
  r.store.close();
  // Nowhere in the store's files (database, WAL), not just not in the column.
  const folder = join(r.store.path, '..');
  for (const name of readdirSync(folder)) assert.ok(!readFileSync(join(folder, name)).includes('s3cr3t-token'), `${name} holds the token`);
});

test('the definition is kept as it was when the run started, with its hash, and the host', async () => {
  const yaml = 'blocks:\n  a:\n    run: "true"\n';
  const { file } = pipelineDir(yaml);
  const r = await recordRun(file);
  writeFileSync(file, 'blocks:\n  changed:\n    run: "false"\n');
  const detail = r.details.runDetail(r.result.runId);
  assert.equal(detail?.definition, yaml);
  assert.equal(detail?.definitionSha256, createHash('sha256').update(yaml).digest('hex'));
  assert.equal(detail?.host?.name, hostname());
  assert.ok((detail?.host?.cpus ?? 0) >= 1);
  assert.equal(detail?.host?.runtime, `node ${process.version}`);
  assert.match(detail?.host?.tool ?? '', /^pipeline-studio \d+\.\d+\.\d+/);
});

test('queue time: when each block became ready, each attempt and each retry wait', async () => {
  // One slot: b is ready with a but waits for it; c fails once and retries after 300 ms.
  const { file } = pipelineDir(`concurrency: 1
blocks:
  a:
    run: sleep 0.3
  b:
    run: "true"
  c:
    depends_on: b
    retry: { attempts: 2, delay: 300ms }
    run: |
      if [ ! -f marker ]; then touch marker; exit 1; fi
`);
  const r = await recordRun(file);
  const timings = new Map(blockTimings(r.store.blockRuns(r.result.runId), r.details.readyTimes(r.result.runId)).map((t) => [t.block, t]));
  const a = timings.get('a');
  const b = timings.get('b');
  const c = timings.get('c');
  assert.ok(a !== undefined && b !== undefined && c !== undefined);
  assert.ok(b.readyAt !== undefined && a.attempts[0]?.finishedAt !== undefined && b.attempts[0]?.startedAt !== undefined);
  // b was ready before a ended and started after it: its queue wait covers a's run.
  assert.ok(b.readyAt <= (a.attempts[0]?.startedAt ?? 0) + 50, 'b ready with a');
  assert.ok((b.queueWaitMs ?? 0) >= 250, `b waited for a (${b.queueWaitMs} ms)`);
  assert.equal(c.attempts.length, 2);
  assert.equal(c.attempts[0]?.status, 'failed');
  assert.equal(c.attempts[1]?.status, 'completed');
  assert.equal(c.retryWaitsMs.length, 1);
  assert.ok((c.retryWaitsMs[0] ?? 0) >= 290, `retry wait ${c.retryWaitsMs[0]} ms`);
});

test('PIPELINE_STUDIO_DETAILS=off records no artifacts or resources (the benchmark\'s baseline), the definition still', async () => {
  const yaml = 'blocks:\n  a:\n    run: "sleep 0.3; echo x > a.txt"\n    cache:\n      outputs: [a.txt]\n';
  const { file } = pipelineDir(yaml);
  const on = await recordRun(file);
  assert.equal(on.details.artifacts(on.result.runId).length, 1);
  assert.equal(on.details.resources(on.result.runId).length, 1);
  process.env.PIPELINE_STUDIO_DETAILS = 'off';
  try {
    const off = await recordRun(file);
    assert.equal(off.recorder.sampler, undefined);
    assert.deepEqual(off.details.artifacts(off.result.runId), []);
    assert.deepEqual(off.details.resources(off.result.runId), []);
    assert.equal(off.details.runDetail(off.result.runId)?.definition, yaml);
  } finally {
    delete process.env.PIPELINE_STUDIO_DETAILS;
  }
});
