import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore } from '../../../core/src/store/index.ts';
import { ServiceProcess } from '../../../client/src/run/serviceProcess.ts';
import { planMarkdown } from '../../../client/src/run/planText.ts';
import { CLI, pipelineDir, tempDir } from '../../runner/support.ts';

// The dry-run document and the log-cap setting, through a real service process and a real store.

test('a dry run through the service renders every block, why, and the commands that would run', async () => {
  const service = new ServiceProcess({ cliPath: CLI, onRunEvent: () => undefined, onLogChunk: () => undefined });
  try {
    const { file } = pipelineDir("variables:\n  who: { default: 'a|b' }\nblocks:\n  greet:\n    run: echo ${{ vars.who }}\n  off:\n    disabled: true\n    run: echo never\n  later:\n    depends_on: off\n    run: echo later\n");
    const plan = await service.plan({ file, store: join(tempDir('ps-store-'), 'runs.sqlite'), selection: { mode: 'all' } });
    const text = planMarkdown(plan);
    assert.match(text, /^# Dry run of p\n/);
    assert.ok(text.includes('| greet | would run |  |'), text);
    assert.match(text, /\| off \| skipped \| disabled \|/);
    assert.match(text, /\| later \| skipped \| an upstream block is disabled \|/);
    assert.match(text, /`who` = `"a\|b"`/);
    assert.match(text, /### greet\n\n```\necho 'a\|b'\n```/);
    assert.ok(!text.includes('### off'), 'no command for a block that does not run');
  } finally {
    await service.dispose();
  }
});

test('the log cap sent with a run bounds the stored log', async () => {
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const service = new ServiceProcess({ cliPath: CLI, onRunEvent: (e) => e.type === 'run-finished' && done(), onLogChunk: () => undefined });
  const store = join(tempDir('ps-store-'), 'runs.sqlite');
  try {
    const { file } = pipelineDir('blocks:\n  loud:\n    run: head -c 300000 /dev/zero | tr "\\0" x\n');
    const { runId } = await service.startRun({ file, store, logCapBytes: 64 * 1024 });
    await finished;
    const reader = openStore(store, { readonly: true });
    try {
      const [record] = reader.blockRuns(runId);
      assert.ok(record !== undefined);
      const stored = reader.readLogs(record.id).map((c) => c.text).join('');
      assert.ok(stored.length <= 70 * 1024, `stored ${stored.length} characters`);
      assert.ok(record.logDroppedBytes >= 300000 - 70 * 1024, `dropped ${record.logDroppedBytes}`);
    } finally {
      reader.close();
    }
  } finally {
    await service.dispose();
  }
});
