import type * as vscode from 'vscode';
import { RunStateModel } from './runStateModel.ts';

export type { LiveRuns, RunStateChange, RunStateSource, StoreHold } from './runStateModel.ts';
export type { RunStateModel } from './runStateModel.ts';

let model: RunStateModel | undefined;

/**
 * Creates the window's run-state model; activate() calls it before any feature that shows runs.
 * Views reach the model through `runState()` rather than constructor arguments, as they reach the
 * output channels, so that a new view needs no change in the features that create it.
 */
export function registerRunState(context: vscode.ExtensionContext): RunStateModel {
  const created = new RunStateModel();
  model = created;
  context.subscriptions.push(created, { dispose: () => (model = model === created ? undefined : model) });
  return created;
}

/** The window's run-state model (see registerRunState). */
export function runState(): RunStateModel {
  if (model === undefined) throw new Error('The run-state model is used before activate() created it.');
  return model;
}
