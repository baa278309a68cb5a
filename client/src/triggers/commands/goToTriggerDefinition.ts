import * as vscode from 'vscode';
import { GO_TO_TRIGGER } from '../ids.ts';
import { triggerArgument } from './triggerArgument.ts';

/** Go to Definition: opens the pipeline file at the trigger's name. */
export function registerGoToTriggerDefinition(): vscode.Disposable {
  return vscode.commands.registerCommand(GO_TO_TRIGGER, async (arg: unknown) => {
    const ref = triggerArgument(arg);
    if (ref === undefined) return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(ref.file));
    const start = document.positionAt(ref.offset ?? Math.max(0, document.getText().search(new RegExp(`^\\s*${ref.trigger.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`, 'm'))));
    const end = start.translate(0, ref.trigger.length);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(start, end) });
  });
}
