import * as vscode from 'vscode';
import type { TriggerFeatures } from '../features.ts';
import { GET_UPCOMING } from '../ids.ts';

/** For the end-to-end tests: the Upcoming view's rows as the user sees them, and whether triggers run. */
export function registerGetUpcoming(features: TriggerFeatures): vscode.Disposable {
  return vscode.commands.registerCommand(GET_UPCOMING, () => {
    const now = Date.now();
    return {
      active: features.controller.isActive,
      leader: features.controller.allStates.map((s) => s.leader),
      rows: features.upcoming.rows().map((node) => {
        const item = node.toTreeItem(now);
        return { label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''), description: typeof item.description === 'string' ? item.description : '', contextValue: item.contextValue ?? '' };
      }),
      triggers: features.controller.allStates.flatMap((s) => s.triggers),
    };
  });
}
