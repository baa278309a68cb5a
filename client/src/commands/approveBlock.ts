import * as vscode from 'vscode';
import { reportCommandError, type RunFeatures } from '../run/launch.ts';
import { decideGate } from './runControlRequest.ts';

export const APPROVE_BLOCK = 'pipelineStudio.approveBlock';

/**
 * Approve Block: decides a block waiting at its approval gate; your OS user name, the time and an optional
 * comment are recorded with it. Args: (run?, block?, { comment }?) — a Runs tree node of the waiting
 * block, or a run and a block name; without them, this window's waiting gate (picked when several).
 * Without `{ comment }` an input box asks for one. Resolves true when the owner recorded the decision.
 */
export function registerApproveBlock(features: RunFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(APPROVE_BLOCK, async (...args: unknown[]): Promise<boolean> => {
    try {
      return await decideGate(features, true, args);
    } catch (error) {
      reportCommandError('Approve Block', error);
      return false;
    }
  });
}
