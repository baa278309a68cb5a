import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { OPEN_PIPELINE_FILE } from '../history/commandIds.ts';
import { fileOf } from '../history/targets.ts';

/** Opens the pipeline file of a pipeline, run or block-run item; for a block run, at the block. */
export function registerOpenPipelineFile(): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_PIPELINE_FILE, async (arg: unknown) => {
    const target = fileOf(arg);
    if (target === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Choose a pipeline or a run in the Runs view to open its file.'));
      return;
    }
    if (!existsSync(target.file)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The pipeline file {0} no longer exists; its runs are still in the history.', target.file));
      return;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(target.file));
    const line = target.block === undefined ? undefined : blockLine(document, target.block);
    const position = new vscode.Position(line ?? 0, 0);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
  });
}

/** The line of `  <block>:` inside the top-level `blocks:` mapping. */
function blockLine(document: vscode.TextDocument, block: string): number | undefined {
  let inBlocks = false;
  let indent: number | undefined;
  for (let line = 0; line < document.lineCount; line++) {
    const text = document.lineAt(line).text;
    if (/^\S/.test(text)) inBlocks = /^blocks\s*:/.test(text);
    if (!inBlocks || text.trim() === '' || text.trimStart().startsWith('#')) continue;
    const match = /^(\s+)(["']?)([^"':#]+)\2\s*:/.exec(text);
    if (match === null) continue;
    const width = match[1]?.length ?? 0;
    indent ??= width;
    if (width === indent && match[3] === block) return line;
  }
  return undefined;
}
