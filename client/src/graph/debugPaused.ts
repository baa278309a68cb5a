import * as vscode from 'vscode';
import type { GraphPanels } from './graphPanels.ts';
import { PAUSED_EVENT, parsePausedBody } from './pausedEvent.ts';

const DEBUG_TYPE = 'pipeline';

/**
 * Shows the blocks each pipeline debug session holds in the graph of its file; a session that ends
 * clears them (its last event may never arrive when the adapter goes away first).
 */
export function followDebugPauses(panels: GraphPanels): vscode.Disposable {
  const fileOf = new Map<string, string>();
  return vscode.Disposable.from(
    vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
      if (event.session.type !== DEBUG_TYPE || event.event !== PAUSED_EVENT) return;
      const body = parsePausedBody(event.body);
      if (body === undefined) return;
      fileOf.set(event.session.id, body.file);
      panels.setPaused(vscode.Uri.file(body.file), body.blocks);
    }),
    vscode.debug.onDidTerminateDebugSession((session) => {
      const file = fileOf.get(session.id);
      fileOf.delete(session.id);
      if (file !== undefined) panels.setPaused(vscode.Uri.file(file), []);
    }),
  );
}
