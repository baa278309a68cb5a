import * as vscode from 'vscode';
import type { TriggerFeatures } from '../features.ts';
import { ENABLE_TRIGGER } from '../ids.ts';
import { triggerArgument } from './triggerArgument.ts';

/** Enable: a trigger disabled in this workspace fires again from its next tick. */
export function registerEnableTrigger(features: TriggerFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(ENABLE_TRIGGER, async (arg: unknown) => {
    const ref = triggerArgument(arg);
    if (ref !== undefined) await features.controller.setDisabled(ref.file, ref.trigger, false);
  });
}
