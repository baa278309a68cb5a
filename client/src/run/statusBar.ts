import * as vscode from 'vscode';
import type { RunController } from './runController.ts';

export const REVEAL_RUN = 'pipelineStudio.run.revealActive';

/** "$(sync~spin) etl 3/10" while runs are going; a click shows the newest run's terminal. */
export function registerRunStatusBar(controller: RunController): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('pipelineStudio.runs', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Pipeline Studio Runs';
  item.command = REVEAL_RUN;
  const update = (): void => {
    const active = controller.activeRuns;
    const newest = active.at(-1);
    if (newest === undefined) {
      item.hide();
      return;
    }
    const others = active.length > 1 ? ` (+${active.length - 1} more)` : '';
    item.text = `$(sync~spin) ${newest.pipelineName} ${newest.done}/${newest.total}${others}`;
    item.tooltip = active.map((r) => `${r.pipelineName} #${r.runId}: ${r.done}/${r.total} blocks done${r.running.length > 0 ? `, running ${r.running.join(', ')}` : ''}`).join('\n');
    item.show();
  };
  // Block statuses can change hundreds of times a second; the bar is redrawn at most every 100 ms.
  let timer: NodeJS.Timeout | undefined;
  const listener = controller.onDidChangeRun(() => {
    timer ??= setTimeout(() => {
      timer = undefined;
      update();
    }, 100);
  });
  const command = vscode.commands.registerCommand(REVEAL_RUN, () => controller.reveal());
  return vscode.Disposable.from(item, listener, command, { dispose: () => clearTimeout(timer) });
}
