import * as vscode from 'vscode';
import type { TriggerFeatures } from '../features.ts';
import { DISABLE_TRIGGER } from '../ids.ts';
import { triggerArgument } from './triggerArgument.ts';

/** Disable: the trigger stops firing for every window and scheduler on its store; kept in the store, the file is untouched. */
export function registerDisableTrigger(features: TriggerFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(DISABLE_TRIGGER, async (arg: unknown) => {
    const ref = triggerArgument(arg);
    if (ref !== undefined) await features.controller.setDisabled(ref.file, ref.trigger, true);
  });
}
