import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BLOCK_STATUSES, FINISHED_BLOCK_STATUSES as TABLE_FINISHED_BLOCKS, RUN_STATUSES, statusLabel, statusStyle,
} from '../core/src/model/status.ts';
import { FINISHED_BLOCK_STATUSES, FINISHED_RUN_STATUSES, type BlockRunRecord, type BlockStatus, type RunSummary } from '../core/src/store/types.ts';
import { formatCounts } from '../core/src/cli/runsCommand.ts';
import { runCommand } from '../core/src/cli/runCommand.ts';
import { blockScopes } from '../core/src/debug/scopes.ts';
import type { BlockGate } from '../core/src/runner/gate.ts';
import { blockRunDescription, countsText, runLabel, statusIcon } from '../client/src/history/format.ts';
import { BLOCK_STATUSES as GRAPH_BLOCK_STATUSES, RUN_STATUSES as GRAPH_RUN_STATUSES } from '../webview/src/protocol.ts';
import { statusColor, statusGlyph, statusWord } from '../webview/src/view/statusStyle.ts';

// One table of statuses (core/src/model/status.ts) for the CLI, the Runs tree, the graph and the
// debugger: every status has a complete entry, and each of them shows what the table says.

const ALL = [...new Set<RunSummary['status'] | BlockStatus>([...RUN_STATUSES, ...BLOCK_STATUSES])];

test('every run and block-run status has a label, a codicon, a theme colour, its CSS variable, a glyph and finality', () => {
  assert.equal(ALL.length, 13);
  for (const status of ALL) {
    const s = statusStyle(status);
    assert.ok(s.label !== '' && !s.label.includes('_'), `${status}: label '${s.label}'`);
    assert.match(s.codicon, /^[a-z-]+(~spin)?$/, status);
    assert.ok(s.codicon !== 'question', `${status} falls back to the unknown icon`);
    assert.match(s.themeColor ?? '', /^[a-zA-Z]+(\.[a-zA-Z]+)?$/, status);
    assert.equal(s.cssColor, `var(--vscode-${(s.themeColor ?? '').replace('.', '-')})`, status);
    assert.ok(s.glyph.length > 0, status);
    assert.equal(s.final, !['initial', 'queued', 'running', 'paused', 'waiting'].includes(status), status);
  }
  // The store's lists of final statuses are the table's.
  assert.deepEqual([...FINISHED_RUN_STATUSES].sort(), ['cancelled', 'completed', 'failed', 'interrupted']);
  assert.deepEqual([...FINISHED_BLOCK_STATUSES], [...TABLE_FINISHED_BLOCKS]);
  assert.deepEqual([...FINISHED_BLOCK_STATUSES].sort(), ['cached', 'cancelled', 'completed', 'condition_failed', 'failed', 'skipped', 'upstream_failed']);
  // A status from a newer engine still renders, as itself.
  assert.deepEqual({ ...statusStyle('frozen' as BlockStatus), cssColor: '' }, { label: 'frozen', codicon: 'question', themeColor: undefined, cssColor: '', glyph: '?', final: true });
});

test('the Runs tree shows the table: icon and colour, run label, block description, counts', () => {
  for (const status of ALL) {
    assert.deepEqual(statusIcon(status), { id: statusStyle(status).codicon, color: statusStyle(status).themeColor });
  }
  for (const status of RUN_STATUSES) assert.equal(runLabel({ id: 3, status }), `#3 ${statusLabel(status)}`);
  const record: BlockRunRecord = {
    id: 1, runId: 3, block: 'b', status: 'completed', attempt: 1, exitCode: undefined, signal: undefined, reason: undefined, startedAt: undefined, finishedAt: undefined,
    outputs: {}, fingerprint: undefined, outputHashes: undefined, logDroppedBytes: 0,
  };
  for (const status of BLOCK_STATUSES) assert.equal(blockRunDescription({ ...record, status }, 0), statusLabel(status));
  const every = Object.fromEntries(BLOCK_STATUSES.map((s) => [s, 1]));
  assert.equal(countsText(every), BLOCK_STATUSES.map((s) => `1 ${statusLabel(s)}`).join(', '));
});

test('the graph shows the table: statuses, words, glyphs and colours', () => {
  assert.deepEqual([...GRAPH_BLOCK_STATUSES], [...BLOCK_STATUSES]);
  assert.deepEqual([...GRAPH_RUN_STATUSES], [...RUN_STATUSES]);
  for (const status of BLOCK_STATUSES) {
    assert.equal(statusWord(status), statusLabel(status));
    assert.equal(statusGlyph(status), statusStyle(status).glyph);
    assert.equal(statusColor(status), statusStyle(status).cssColor);
  }
});

test('the debugger\'s Run scope counts blocks by the table\'s labels, in its order', () => {
  const gate = {
    runId: 1, pipelineName: 'p', block: 'b', attempt: 1, shell: 'bash', cwd: '/', command: 'true', definedEnv: {}, env: {}, variables: {},
    upstream: { a: { status: 'upstream_failed', outputs: {} } }, timeoutMs: undefined, attempts: 1, git: undefined,
  } satisfies BlockGate;
  const statuses = new Map<string, BlockStatus>(BLOCK_STATUSES.map((s, i) => [`b${i}`, s]));
  const run = blockScopes(gate, 'paused', { runId: 1, pipelineFile: '/p.pipeline.yaml', statuses }).find((s) => s.name === 'Run');
  const blocks = run?.variables.find((v) => v.name === 'blocks');
  assert.deepEqual(blocks?.children?.map((c) => c.name), BLOCK_STATUSES.map(statusLabel));
  const upstream = blockScopes(gate, 'paused', { runId: 1, pipelineFile: '/p.pipeline.yaml', statuses }).find((s) => s.name === 'Upstream outputs');
  assert.equal(upstream?.variables[0]?.value, 'upstream failed, 0 outputs');
  assert.deepEqual(upstream?.variables[0]?.children?.[0], { name: 'status', value: 'upstream_failed' }, 'the value an expression reads stays the id');
});

test('the CLI prints the table\'s glyphs and labels: live lines, the summary, counts', async () => {
  const every = Object.fromEntries(BLOCK_STATUSES.map((s) => [s, 2]));
  assert.equal(formatCounts(every), BLOCK_STATUSES.map((s) => `2 ${statusLabel(s)}`).join(', '));
  const dir = mkdtempSync(join(tmpdir(), 'ps-status-'));
  try {
    const file = join(dir, 'p.pipeline.yaml');
    writeFileSync(file, 'blocks:\n  a:\n    run: exit 3\n  b:\n    depends_on: a\n    run: echo b\n  c:\n    run: echo c\n');
    const out: string[] = [];
    const code = await runCommand([file, '--store', join(dir, 'runs.sqlite')], { out: (l) => out.push(l), err: (l) => out.push(l) });
    assert.equal(code, 1);
    const text = out.join('\n');
    assert.match(text, new RegExp(`^a +\\| ${statusStyle('failed').glyph} failed \\(exit code 3\\)$`, 'm'));
    assert.match(text, new RegExp(`^b +\\| ${statusStyle('upstream_failed').glyph} upstream failed \\(upstream 'a' failed\\)$`, 'm'));
    assert.match(text, new RegExp(`^c +\\| ${statusStyle('completed').glyph} completed$`, 'm'));
    assert.match(text, /^b +upstream failed +0 +- +upstream 'a' failed$/m);
    assert.match(text, /^Run #1 failed\.$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
