import * as vscode from 'vscode';

export type ServerHealth = 'starting' | 'running' | 'stopped' | 'error';

const SHOW_LOGS: vscode.Command = { title: 'Show Logs', command: 'pipelineStudio.showServerLogs' };
const RESTART: vscode.Command = { title: 'Restart', command: 'pipelineStudio.restartServer' };

/** The server's health in the language status bar of pipeline files, with the next useful action. */
export class ServerStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private current: ServerHealth = 'starting';

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('pipelineStudio.server', { language: 'pipeline' });
    this.item.name = 'Pipeline Studio Language Server';
    this.set('starting');
  }

  get health(): ServerHealth {
    return this.current;
  }

  set(health: ServerHealth, detail?: string): void {
    this.current = health;
    const item = this.item;
    item.busy = health === 'starting';
    switch (health) {
      case 'starting':
        item.text = 'Pipeline Studio';
        item.detail = detail ?? 'Language server starting';
        item.severity = vscode.LanguageStatusSeverity.Information;
        item.command = SHOW_LOGS;
        break;
      case 'running':
        item.text = 'Pipeline Studio';
        item.detail = detail ?? 'Language server running';
        item.severity = vscode.LanguageStatusSeverity.Information;
        item.command = SHOW_LOGS;
        break;
      case 'stopped':
        item.text = 'Pipeline Studio: stopped';
        item.detail = detail ?? 'The language server is not running';
        item.severity = vscode.LanguageStatusSeverity.Warning;
        item.command = RESTART;
        break;
      case 'error':
        item.text = 'Pipeline Studio: error';
        item.detail = detail ?? 'The language server failed; see the logs, then restart it';
        item.severity = vscode.LanguageStatusSeverity.Error;
        item.command = SHOW_LOGS;
        break;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
