import * as vscode from 'vscode';
import { OPEN_BLOCK_LOG } from '../history/commandIds.ts';
import { logUriParts } from '../history/logUri.ts';
import { blockTargetOf, resolveBlockRunId, withReadStore } from '../history/targets.ts';

/**
 * Opens a block run's log as a read-only `pipeline-log:` document that follows the block while it
 * runs. Takes a block-run item, or `{ storePath, blockRunId }`, or `{ storePath, runId, block }`
 * (the latest attempt of that block), as code lenses and notifications pass.
 */
export function registerOpenBlockLog(): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_BLOCK_LOG, async (arg: unknown) => {
    const target = blockTargetOf(arg);
    if (target === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Choose a block run in the Runs view to open its log.'));
      return;
    }
    const found = withReadStore(target.storePath, (store) => {
      const id = resolveBlockRunId(store, target);
      const blockRun = id === undefined ? undefined : store.getBlockRun(id);
      const run = blockRun === undefined ? undefined : store.getRun(blockRun.runId);
      return blockRun === undefined ? undefined : { blockRun, pipeline: run?.pipelineName ?? 'pipeline' };
    });
    if ('error' in found) {
      void vscode.window.showErrorMessage(found.error);
      return;
    }
    if (found.value === undefined) {
      const what = target.block === undefined ? `block run ${target.blockRunId ?? '?'}` : `block '${target.block}' of run #${target.runId ?? '?'}`;
      void vscode.window.showWarningMessage(vscode.l10n.t('There is no log for {0} in {1}: it has not run, or the run was deleted.', what, target.storePath));
      return;
    }
    const { blockRun, pipeline } = found.value;
    const uri = vscode.Uri.from(logUriParts({ storePath: target.storePath, blockRunId: blockRun.id }, { pipeline, block: blockRun.block, runId: blockRun.runId, attempt: blockRun.attempt }));
    const document = await vscode.workspace.openTextDocument(uri);
    // The built-in Log language colours levels, dates and paths in plain output.
    const shown = document.languageId === 'log' ? document : await vscode.languages.setTextDocumentLanguage(document, 'log');
    const editor = await vscode.window.showTextDocument(shown, { preview: true });
    // The walkthrough's "open a block's log" step completes on this: its `onCommand:` event never sees
    // a Runs view click, which reaches this command through VS Code's internal command delegation.
    void vscode.commands.executeCommand('setContext', 'pipelineStudio.blockLogOpened', true);
    // Start at the end: with a running block, that is where the output arrives.
    const end = shown.lineAt(shown.lineCount - 1).range.end;
    editor.revealRange(new vscode.Range(end, end));
  });
}
