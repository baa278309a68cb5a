import { userInfo } from 'node:os';
import * as vscode from 'vscode';
import type { ControlAction, ControlAnswer } from '../../../core/src/runner/control.ts';
import { sendControl } from '../../../core/src/runner/controlSocket.ts';
import { openStore } from '../../../core/src/store/index.ts';
import type { RunFeatures } from '../run/launch.ts';
import { runArgument } from '../run/runArguments.ts';
import { storePathForReading } from '../runState/storeLocation.ts';

// Shared by Pause / Pause Now / Resume / Approve / Reject: which run a command is about, and how the
// request reaches the process that owns it. Nothing here decides anything: the owner answers.

export interface RunRefWithBlock {
  runId: number;
  store: string;
  block: string | undefined;
}

/**
 * The run an argument names (a tree node, `{ runId, storePath, block }`, a bare number); without
 * one, this window's live run, picked when there are several and `filter` leaves more than one.
 */
export async function controlTarget(
  features: RunFeatures, arg: unknown, placeHolder: string, filter: (paused: boolean) => boolean = () => true,
): Promise<RunRefWithBlock | undefined> {
  const ref = runArgument(arg);
  if (ref !== undefined) {
    const live = features.controller.activeRuns.find((r) => r.runId === ref.runId && (ref.storePath === undefined || r.store === ref.storePath));
    const store = ref.storePath ?? live?.store ?? (ref.pipelineFile !== undefined ? storePathForReading(vscode.Uri.file(ref.pipelineFile)) : undefined);
    if (store === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Run #{0} is not going in this window; name its store to control it.', ref.runId));
      return undefined;
    }
    return { runId: ref.runId, store, block: ref.block };
  }
  const active = (await features.controller.settledActiveRuns()).filter((r) => filter(r.paused));
  if (active.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No pipeline run of this window is in a state for that.'));
    return undefined;
  }
  const only = active.length === 1 ? active[0] : undefined;
  if (only !== undefined) return { runId: only.runId, store: only.store, block: undefined };
  const picked = await vscode.window.showQuickPick(
    active.map((r) => ({ label: `${r.pipelineName} #${r.runId}`, description: r.paused ? 'paused' : `${r.done}/${r.total} blocks`, ref: { runId: r.runId, store: r.store, block: undefined } })),
    { placeHolder },
  );
  return picked?.ref;
}

/**
 * Sends the request to the run's owner: this window's runner service when it has the run, else the
 * process that recorded it (another window's service, a CLI run's control socket), found through
 * the store's record of the run, as `pipeline-studio pause` does.
 */
export async function sendRunControl(features: RunFeatures, ref: { runId: number; store: string }, action: ControlAction): Promise<ControlAnswer> {
  const answer = await features.controller.controlRun(ref, action).catch(() => undefined);
  if (answer !== undefined && (answer.ok || !/is not running in this service/.test(answer.message))) return answer;
  let record;
  try {
    const store = openStore(ref.store, { readonly: true });
    try {
      record = store.getRun(ref.runId);
    } finally {
      store.close();
    }
  } catch (error) {
    return { ok: false, message: `Cannot read run #${ref.runId} from ${ref.store}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (record === undefined) return { ok: false, message: `Run #${ref.runId} is not in ${ref.store}.` };
  return sendControl(ref.store, record, action);
}

/** Who decides at a gate: the OS user, as the CLI records it. */
export function deciderName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Shows the owner's answer: information when it did what was asked, a warning with the reason when not. */
export function reportAnswer(answer: ControlAnswer): boolean {
  if (answer.ok) void vscode.window.setStatusBarMessage(answer.message, 5000);
  else void vscode.window.showWarningMessage(answer.message);
  return answer.ok;
}

/**
 * Approve or Reject: the block (asked for among this window's waiting gates when not given), an
 * optional comment (an input box unless the caller passed `{ comment }`), then the owner decides.
 */
export async function decideGate(features: RunFeatures, approved: boolean, args: readonly unknown[]): Promise<boolean> {
  const verb = approved ? 'Approve' : 'Reject';
  const gates = features.controller.activeRuns.flatMap((r) => [...r.waiting.keys()].map((block) => ({ runId: r.runId, store: r.store, block, prompt: r.waiting.get(block) ?? '', name: r.pipelineName })));
  let target: RunRefWithBlock | undefined;
  if (args[0] === undefined) {
    const only = gates.length === 1 ? gates[0] : undefined;
    if (gates.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No block of a run in this window is waiting for approval.'));
      return false;
    }
    target = only ?? (await vscode.window.showQuickPick(
      gates.map((g) => ({ label: g.block, description: `${g.name} #${g.runId}`, detail: g.prompt, gate: g })),
      { placeHolder: vscode.l10n.t('Block to {0}', verb.toLowerCase()) },
    ))?.gate;
  } else {
    target = await controlTarget(features, args[0], `Run to ${verb.toLowerCase()} in`);
    const block = typeof args[1] === 'string' ? args[1] : undefined;
    if (target !== undefined && block !== undefined) target.block = block;
  }
  if (target?.block === undefined) return false;
  const options = args.find((a): a is { comment?: unknown } => typeof a === 'object' && a !== null && 'comment' in a);
  let comment: string | undefined;
  if (options !== undefined) comment = typeof options.comment === 'string' ? options.comment : undefined;
  else {
    comment = await vscode.window.showInputBox({
      title: vscode.l10n.t('{0} \'{1}\' of run #{2}', verb, target.block, target.runId),
      prompt: vscode.l10n.t('Comment (optional), recorded with your decision'),
      placeHolder: vscode.l10n.t('Enter to confirm without a comment, Escape to cancel'),
    });
    if (comment === undefined) return false;
  }
  const answer = await sendRunControl(features, target, {
    action: approved ? 'approve' : 'reject', block: target.block, user: deciderName(), ...(comment === undefined || comment === '' ? {} : { comment }),
  });
  return reportAnswer(answer);
}
