import * as vscode from 'vscode';
import type { TriggerFeatures } from '../features.ts';
import { DISABLE_TRIGGER } from '../ids.ts';
import { triggerArgument } from './triggerArgument.ts';

/** Disable: the trigger stops firing in this workspace; kept in the workspace state, the file is untouched. */
export function registerDisableTrigger(features: TriggerFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(DISABLE_TRIGGER, async (arg: unknown) => {
    const ref = triggerArgument(arg);
    if (ref !== undefined) await features.controller.setDisabled(ref.file, ref.trigger, true);
  });
}
