import * as vscode from 'vscode';
import { openStore } from '../../../core/src/store/index.ts';
import { runArgument } from './runArguments.ts';
import type { ReadOnlyDocuments } from './readOnlyDocuments.ts';
import { showRunError } from './runsLog.ts';

export const OPEN_STORED_LOG = 'pipelineStudio.run.openStoredLog';
const HISTORY_OPEN_BLOCK_LOG = 'pipelineStudio.openBlockLog';
// Colours and other escapes make no sense in a text document.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/**
 * Opens a block run's stored log: through the run history's own log view when it is there (it
 * follows a live block), else as a read-only snapshot. Args: `{ runId, storePath, block, blockRunId? }`.
 */
export function registerOpenStoredLog(views: ReadOnlyDocuments): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_STORED_LOG, async (arg: unknown) => {
    const ref = runArgument(arg);
    const blockRunId = typeof arg === 'object' && arg !== null && typeof (arg as { blockRunId?: unknown }).blockRunId === 'number' ? (arg as { blockRunId: number }).blockRunId : undefined;
    if (ref?.storePath === undefined || ref.block === undefined) {
      showRunError('Open Block Log needs a run, its store and a block.');
      return;
    }
    if ((await vscode.commands.getCommands(true)).includes(HISTORY_OPEN_BLOCK_LOG)) {
      await vscode.commands.executeCommand(HISTORY_OPEN_BLOCK_LOG, { runId: ref.runId, storePath: ref.storePath, block: ref.block, blockRunId });
      return;
    }
    try {
      const store = openStore(ref.storePath, { readonly: true });
      try {
        const attempts = store.blockRuns(ref.runId).filter((b) => b.block === ref.block);
        const record = attempts.find((b) => b.id === blockRunId) ?? attempts.at(-1);
        if (record === undefined) throw new Error(`run #${ref.runId} has no block '${ref.block}'`);
        const text = store.readLogs(record.id).map((c) => c.text).join('').replace(ANSI, '');
        const dropped = record.logDroppedBytes > 0 ? `\n[${record.logDroppedBytes} bytes were dropped from the middle of this log by the log cap]\n` : '';
        await views.show(`${ref.block} #${ref.runId} attempt ${record.attempt}.log`, text + dropped);
      } finally {
        store.close();
      }
    } catch (error) {
      showRunError(`Cannot open the log of '${ref.block}' in run #${ref.runId}`, error);
    }
  });
}
