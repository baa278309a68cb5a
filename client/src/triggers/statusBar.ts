import * as vscode from 'vscode';
import { formatRelative, formatWhen } from './format.ts';
import { TRIGGER_MENU } from './ids.ts';
import type { TriggerController } from './triggerController.ts';

/** "$(clock) 4 triggers · next 03:00 (in 7 h)", or "$(clock) Triggers off"; a click opens the menu. */
export function registerTriggerStatusBar(controller: TriggerController): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('pipelineStudio.triggers', vscode.StatusBarAlignment.Left, 9);
  item.name = 'Pipeline Studio Triggers';
  item.command = TRIGGER_MENU;
  const update = (): void => {
    const states = controller.allStates;
    const triggers = states.flatMap((s) => s.triggers).filter((t) => !t.disabled);
    if (!controller.isActive) {
      item.text = vscode.l10n.t('$(clock) Triggers off');
      item.tooltip = vscode.l10n.t('Pipeline Studio triggers are off in this workspace. Click for the menu.');
      return;
    }
    const now = Date.now();
    const next = triggers.filter((t) => t.next !== undefined).sort((a, b) => (a.next ?? 0) - (b.next ?? 0))[0];
    const follower = states.length > 0 && states.every((s) => !s.leader);
    item.text = vscode.l10n.t('$(clock) {0} trigger{1}{2}', triggers.length, triggers.length === 1 ? '' : 's', next?.next !== undefined ? ` · next ${formatWhen(next.next, now)} (${formatRelative(next.next, now)})` : '');
    item.tooltip = [
      'Pipeline Studio triggers are on.',
      next !== undefined ? `Next: ${next.trigger} of ${next.pipeline}.` : 'No clock trigger fires.',
      follower ? 'Another scheduler of this store (another window, or a headless `pipeline-studio schedule`) fires them.' : '',
      'Click for the menu.',
    ].filter((l) => l !== '').join('\n');
  };
  update();
  item.show();
  const timer = setInterval(update, 30_000);
  const listener = controller.onDidChange(update);
  return vscode.Disposable.from(item, listener, { dispose: () => clearInterval(timer) });
}
