import * as vscode from 'vscode';

/**
 * The extension's settings, as contributed in package.json (`contributes.configuration`). The
 * language client's id is this section, so vscode-languageclient reads `trace.server` from it.
 */
export const SETTINGS_SECTION = 'pipelineStudio';

export const VALIDATE_ENABLE = 'validate.enable';
export const TRACE_SERVER = 'trace.server';

export type TraceSetting = 'off' | 'messages' | 'verbose';

/** `pipelineStudio.validate.enable` for a document (it may differ per folder). */
export function validateEnabled(uri: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION, uri).get<boolean>(VALIDATE_ENABLE, true);
}

export function traceSetting(): TraceSetting {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>(TRACE_SERVER, 'off');
  return value === 'messages' || value === 'verbose' ? value : 'off';
}

export function affects(event: vscode.ConfigurationChangeEvent, setting: string): boolean {
  return event.affectsConfiguration(`${SETTINGS_SECTION}.${setting}`);
}
