import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore } from '../../../core/src/store/index.ts';

import { RunProgress } from '../../../client/src/run/activeRun.ts';
import { plainText } from '../../../client/src/run/approvalPrompt.ts';
import { ServiceProcess, type ServiceRunEvent } from '../../../client/src/run/serviceProcess.ts';
import { CLI, pipelineDir, tempDir } from '../../runner/support.ts';

// The editor's controls go through its runner service (a real process) to the run: what the
// notification, the graph's buttons and the Runs tree's actions send.

function until(events: ServiceRunEvent[], wanted: (e: ServiceRunEvent) => boolean, listeners: (() => void)[]): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (events.some(wanted)) resolve();
      else listeners.push(check);
    };
    check();
  });
}

/** A real runner service whose run events feed a RunProgress (as the window's does); `waitFor` waits for an event. */
function serviceFixture(): { service: ServiceProcess; progress: RunProgress; store: string; waitFor: (wanted: (e: ServiceRunEvent) => boolean) => Promise<void> } {
  const events: ServiceRunEvent[] = [];
  const listeners: (() => void)[] = [];
  const progress = new RunProgress(0, '', 'p', '');
  const service = new ServiceProcess({
    cliPath: CLI, onLogChunk: () => undefined,
    onRunEvent: (e) => {
      events.push(e);
      progress.apply(e);
      for (const listener of listeners.splice(0)) listener();
    },
  });
  const store = join(tempDir('ps-store-'), 'runs.sqlite');
  return { service, progress, store, waitFor: (wanted) => until(events, wanted, listeners) };
}

test('approve from the editor: the window learns the gate and its prompt, and the decision with who and comment is recorded', async () => {
  const { service, progress, store, waitFor } = serviceFixture();
  try {
    const { file } = pipelineDir('blocks:\n  deploy:\n    approval:\n      prompt: "Ship [it](command:workbench.action.quit)?"\n    run: echo shipped\n');
    const { runId } = await service.startRun({ file, store });
    await waitFor((e) => e.type === 'block-status' && e.status === 'waiting');
    assert.equal(progress.waiting.get('deploy'), 'Ship [it](command:workbench.action.quit)?');
    assert.equal(plainText(progress.waiting.get('deploy') ?? ''), 'Ship [it]\u2060(command:workbench.action.quit)?', 'no link survives');

    const wrong = await service.controlRun({ runId, store }, { action: 'approve', block: 'nope', user: 'tester' });
    assert.equal(wrong?.ok, false);
    const answer = await service.controlRun({ runId, store }, { action: 'approve', block: 'deploy', user: 'tester', comment: 'looks good' });
    assert.equal(answer?.ok, true, answer?.message);
    await waitFor((e) => e.type === 'run-finished');
    assert.equal(progress.waiting.size, 0);
    const reader = openStore(store, { readonly: true });
    try {
      const [row] = reader.blockRuns(runId);
      assert.equal(row?.status, 'completed');
      assert.match(row?.reason ?? '', /^approved by tester at \d{4}-\d\d-\d\dT.*: looks good$/);
    } finally {
      reader.close();
    }
  } finally {
    await service.dispose();
  }
});

test('pause and resume from the editor: the run reports paused, nothing new starts, then it goes on', async () => {
  const { service, progress, store, waitFor } = serviceFixture();
  const dir = tempDir('ps-flag-');
  try {
    // `first` waits for a flag file, so the pause certainly comes while it runs and before `second` starts.
    const flag = join(dir, 'go');
    const { file } = pipelineDir(`blocks:\n  first:\n    run: while [ ! -e '${flag}' ]; do sleep 0.05; done\n  second:\n    depends_on: first\n    run: echo two\n`);
    const { runId } = await service.startRun({ file, store });
    await waitFor((e) => e.type === 'block-status' && e.block === 'first' && e.status === 'running');
    const paused = await service.controlRun({ runId, store }, { action: 'pause' });
    assert.equal(paused?.ok, true, paused?.message);
    await waitFor((e) => e.type === 'run-status' && e.status === 'paused');
    assert.equal(progress.paused, true);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(flag, '');
    await waitFor((e) => e.type === 'block-status' && e.block === 'first' && e.status === 'completed');
    const reader = openStore(store, { readonly: true });
    try {
      assert.equal(reader.getRun(runId)?.status, 'paused');
      assert.equal(reader.blockRuns(runId).find((b) => b.block === 'second')?.status === 'running', false, 'a paused run starts nothing new');
    } finally {
      reader.close();
    }
    const resumed = await service.controlRun({ runId, store }, { action: 'resume' });
    assert.equal(resumed?.ok, true, resumed?.message);
    await waitFor((e) => e.type === 'run-finished');
    assert.equal(progress.paused, false);
    assert.equal(progress.finished?.status, 'completed');
  } finally {
    await service.dispose();
  }
});
