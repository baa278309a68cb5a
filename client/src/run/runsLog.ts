import * as vscode from 'vscode';

const SHOW_LOGS = 'Show Logs';
let channel: vscode.LogOutputChannel | undefined;

/** "Pipeline Studio Runs": the runner service's messages and every run error, in full. */
export function runsLog(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Pipeline Studio Runs', { log: true });
  return channel;
}

export function disposeRunsLog(): void {
  channel?.dispose();
  channel = undefined;
}

/** Logs the error in full and shows its first line with "Show Logs"; does not wait for the user. */
export function showRunError(message: string, error?: unknown): void {
  const detail = error === undefined ? '' : error instanceof Error ? (error.stack ?? error.message) : describe(error);
  runsLog().error(detail === '' ? message : `${message}\n${detail}`);
  const first = error === undefined ? undefined : (error instanceof Error ? error.message : describe(error)).split('\n')[0];
  void vscode.window.showErrorMessage(first === undefined || first === '' ? message : `${message}: ${first}`, SHOW_LOGS).then((choice) => {
    if (choice === SHOW_LOGS) runsLog().show(true);
  });
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? typeof value;
}
