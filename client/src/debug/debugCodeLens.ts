import * as vscode from 'vscode';
import { validatePipeline } from '../../../core/src/validate/validate.ts';
import { DEBUG_PIPELINE } from '../commands/debugPipeline.ts';

/** "Debug block" above each block: runs what the block needs, then pauses before it starts. */
export class DebugBlockCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    // Debugging runs commands; in Restricted Mode the lens would only lead to a refusal.
    if (!vscode.workspace.isTrusted) return [];
    const { pipeline } = validatePipeline(document.getText(), { fileName: document.uri.fsPath });
    return pipeline.blocks.map((block) => {
      const start = document.positionAt(block.idSpan.start);
      return new vscode.CodeLens(new vscode.Range(start, start), {
        title: vscode.l10n.t('Debug block'), command: DEBUG_PIPELINE, arguments: [document.uri, block.id],
        tooltip: vscode.l10n.t('Run what \'{0}\' needs under the debugger and pause before it starts', block.id),
      });
    });
  }
}
