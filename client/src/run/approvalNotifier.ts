import * as vscode from 'vscode';
import { APPROVE_BLOCK } from '../commands/approveBlock.ts';
import { REJECT_BLOCK } from '../commands/rejectBlock.ts';
import type { RunProgress } from './activeRun.ts';
import { plainText } from './approvalPrompt.ts';
import type { RunController } from './runController.ts';

/**
 * A notification with Approve / Reject when a block of a run this window follows reaches its
 * approval gate; either button then asks for an optional comment (Approve Block / Reject Block do
 * the rest). Once per gate: a block that waits again (a retried run is a new run) notifies again.
 */
export function registerApprovalNotifier(controller: RunController): vscode.Disposable {
  const notified = new Set<string>();
  return controller.onDidChangeRun((progress: RunProgress) => {
    for (const [block, prompt] of progress.waiting) {
      const key = `${progress.key}#${block}`;
      if (notified.has(key)) continue;
      notified.add(key);
      void notify(progress, block, prompt);
    }
    if (progress.finished !== undefined) for (const key of [...notified]) if (key.startsWith(`${progress.key}#`)) notified.delete(key);
  });
}

async function notify(progress: RunProgress, block: string, prompt: string): Promise<void> {
  const ref = { runId: progress.runId, storePath: progress.store, block };
  const message = `${progress.pipelineName} #${progress.runId}: '${block}' waits for approval${prompt === '' ? '.' : `: ${plainText(prompt)}`}`;
  const choice = await vscode.window.showInformationMessage(message, 'Approve', 'Reject');
  if (choice === undefined || !progress.waiting.has(block)) return;
  await vscode.commands.executeCommand(choice === 'Approve' ? APPROVE_BLOCK : REJECT_BLOCK, ref, block);
}
