import * as vscode from 'vscode';

const CHANNEL_NAME = 'Pipeline Studio Language Server';
const SHOW_LOGS = 'Show Logs';

let channel: vscode.LogOutputChannel | undefined;

/**
 * The output channel shared by the extension and its language server (the client hands it to
 * vscode-languageclient), so one "Show Logs" shows both sides of a failure. Created on first use,
 * which lets a failure early in activation still be logged.
 */
export function serverLog(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel(CHANNEL_NAME, { log: true });
  return channel;
}

export function disposeServerLog(): void {
  channel?.dispose();
  channel = undefined;
}

export function showServerLog(): void {
  serverLog().show(true);
}

/** Logs an error and shows it with a "Show Logs" action; settles when the message is dismissed. */
export async function showErrorWithLogs(message: string, error?: unknown): Promise<void> {
  serverLog().error(error === undefined ? message : `${message}\n${describeError(error)}`);
  const choice = await vscode.window.showErrorMessage(error === undefined ? message : `${message}: ${firstLine(error)}`, SHOW_LOGS);
  if (choice === SHOW_LOGS) showServerLog();
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
