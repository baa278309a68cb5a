import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockRunRecord, RunSummary } from '../../../core/src/store/index.ts';
import {
  blockRunDescription, escapeMarkdown, formatAgo, runDescription, runLabel, runTooltip, statusIcon,
} from '../../../client/src/history/format.ts';
import { formatElapsed } from '../../../core/src/util/duration.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 42, pipelineName: 'etl', pipelineFile: '/w/etl.pipeline.yaml', status: 'completed', trigger: 'cli', mode: 'all', selection: [], sourceRunId: undefined,
    variables: { region: 'eu' }, git: { commit: 'a3f9e2b1c0d4', branch: 'main', dirty: false }, createdAt: NOW - 300_000, startedAt: NOW - 300_000,
    finishedAt: NOW - 300_000 + 123_000, error: undefined, ownerPid: 1, ownerHost: 'h', heartbeatAt: NOW, counts: { completed: 4, failed: 1 }, ...overrides,
  };
}

test('durations read like 2m 03s, with stable widths', () => {
  assert.equal(formatElapsed(350), '350ms');
  assert.equal(formatElapsed(4_280), '4.2s');
  assert.equal(formatElapsed(42_900), '42s');
  assert.equal(formatElapsed(123_000), '2m 03s');
  assert.equal(formatElapsed(3_720_000), '1h 02m');
  assert.equal(formatElapsed(-5), '0ms');
});

test('relative times', () => {
  assert.equal(formatAgo(NOW - 10_000, NOW), 'just now');
  assert.equal(formatAgo(NOW - 300_000, NOW), '5 min ago');
  assert.equal(formatAgo(NOW - 3 * 3_600_000, NOW), '3 h ago');
  assert.equal(formatAgo(NOW - 26 * 3_600_000, NOW), 'yesterday');
  assert.equal(formatAgo(NOW - 5 * 86_400_000, NOW), '5 days ago');
  assert.equal(formatAgo(Date.UTC(2026, 0, 2), NOW), '2026-01-02');
});

test('a run reads #42 completed, 2m 03s · 5 min ago · main@a3f9e2b', () => {
  assert.equal(runLabel(summary()), '#42 completed');
  assert.equal(runDescription(summary(), NOW), '2m 03s · 5 min ago · main@a3f9e2b');
  assert.equal(runDescription(summary({ git: { commit: 'a3f9e2b1', branch: undefined, dirty: true } }), NOW), '2m 03s · 5 min ago · a3f9e2b*');
  // Not started yet: no duration; no git: nothing about git.
  assert.equal(runDescription(summary({ status: 'initial', startedAt: undefined, finishedAt: undefined, git: undefined }), NOW), '5 min ago');
  // Running: counts up to now.
  assert.equal(runDescription(summary({ status: 'running', finishedAt: undefined }), NOW), '5m 00s · 5 min ago · main@a3f9e2b');
});

test('the tooltip has trigger, variables, git and counts, with stored text escaped', () => {
  const tooltip = runTooltip(summary({ trigger: 'retry', sourceRunId: 41, variables: { q: '<img src=x onerror=alert(1)> **bold**' }, error: 'boom [x](http://evil)' }), NOW);
  assert.match(tooltip, /Trigger: retry of \\#41/);
  assert.match(tooltip, /Git: main @ a3f9e2b1c0d4/);
  assert.match(tooltip, /Blocks: 4 completed, 1 failed/);
  assert.match(tooltip, /q = /);
  assert.ok(!tooltip.includes('<img'), tooltip);
  assert.ok(!tooltip.includes('**bold**'), tooltip);
  assert.ok(tooltip.includes('&lt;img'), tooltip);
  assert.ok(tooltip.includes('boom \\[x\\]\\(http://evil\\)'), tooltip);
  assert.equal(escapeMarkdown('a\nb'), 'a b');
});

test('block runs show status, duration, attempt, exit code and reason', () => {
  const record: BlockRunRecord = {
    id: 1, runId: 42, block: 'load', status: 'failed', attempt: 2, exitCode: 137, signal: 'SIGKILL', reason: 'timeout', startedAt: NOW - 3_200, finishedAt: NOW,
    outputs: {}, fingerprint: undefined, outputHashes: undefined, logDroppedBytes: 0,
  };
  assert.equal(blockRunDescription(record, NOW), 'failed · 3.2s · attempt 2 · exit 137 · SIGKILL · timeout');
  assert.equal(blockRunDescription({ ...record, signal: undefined, reason: 'exit code 137' }, NOW), 'failed · 3.2s · attempt 2 · exit 137');
  assert.equal(blockRunDescription({ ...record, status: 'upstream_failed', attempt: 1, exitCode: undefined, signal: undefined, reason: undefined, startedAt: undefined }, NOW), 'upstream failed');
});

test('every status has a themed icon; an unknown one still renders', () => {
  assert.deepEqual(statusIcon('failed'), { id: 'error', color: 'testing.iconFailed' });
  assert.equal(statusIcon('running').id, 'sync~spin');
  assert.equal(statusIcon('bogus' as 'failed').id, 'question');
});
