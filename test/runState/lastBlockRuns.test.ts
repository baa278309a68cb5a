import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LastBlockRuns } from '../../client/src/codeLens/lastBlockRuns.ts';
import { RunStateHub } from '../../client/src/runState/runStateHub.ts';
import { newRun, tempStore, writableStore } from '../client/history/helpers.ts';

test('the "Last:" lenses are redrawn only when a block\'s last result changes, not at every write of the store', () => {
  const { path, cleanup } = tempStore();
  const writer = writableStore(path);
  const hub = new RunStateHub({ watch: () => ({ dispose: () => undefined }) });
  const lenses = new LastBlockRuns((p) => hub.hold(p));
  const file = newRun().pipelineFile;
  const open = new Set([file]);
  try {
    const run = writer.createRun(newRun());
    const block = writer.createBlockRun({ runId: run.id, block: 'extract', status: 'running' });
    assert.equal(lenses.read(path, file).get('extract')?.record.status, 'running');
    const log = writer.openLog(block.id);
    log.write('stdout', 'a line of output\n');
    log.flush();
    assert.equal(lenses.changed(path, open), false, 'output alone changes no lens');
    assert.equal(lenses.changed('/elsewhere/runs.sqlite', open), false, 'another store changes no lens');
    log.close();
    writer.updateBlockRun(block.id, { status: 'completed', exitCode: 0 });
    assert.equal(lenses.changed(path, open), true, 'a finished block changes its lens');
    assert.equal(lenses.read(path, file).get('extract')?.record.status, 'completed');
    writer.updateBlockRun(block.id, { status: 'failed', exitCode: 1 });
    assert.equal(lenses.changed(path, new Set()), false, 'a closed document has no lenses to redraw');
  } finally {
    lenses.dispose();
    hub.dispose();
    writer.close();
    cleanup();
  }
});
