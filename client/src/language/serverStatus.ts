import * as vscode from 'vscode';

export type ServerHealth = 'starting' | 'ready' | 'stopped' | 'failed';

const SHOW_LOGS: vscode.Command = { title: 'Show Logs', command: 'pipelineStudio.showServerLogs' };
const RESTART: vscode.Command = { title: 'Restart', command: 'pipelineStudio.restartServer' };

/**
 * The server's health in the language status of pipeline files. A language status item holds one
 * command, so it offers the next useful one: the logs while the server works, a restart once it
 * does not. The other is always in the command palette.
 */
export class ServerStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly changed = new vscode.EventEmitter<ServerHealth>();
  private current: ServerHealth = 'starting';

  /** Fires on every change of health; the end-to-end tests wait on it instead of sleeping. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('pipelineStudio.server', [
      { language: 'pipeline', scheme: 'file' },
      { language: 'pipeline', scheme: 'untitled' },
    ]);
    this.item.name = 'Pipeline Studio Language Server';
    this.set('starting');
  }

  get health(): ServerHealth {
    return this.current;
  }

  set(health: ServerHealth, detail?: string): void {
    const item = this.item;
    item.busy = health === 'starting';
    switch (health) {
      case 'starting':
        item.text = 'Pipeline Studio';
        item.detail = detail ?? 'language server starting';
        item.severity = vscode.LanguageStatusSeverity.Information;
        item.command = SHOW_LOGS;
        break;
      case 'ready':
        item.text = 'Pipeline Studio';
        item.detail = detail ?? 'language server ready';
        item.severity = vscode.LanguageStatusSeverity.Information;
        item.command = SHOW_LOGS;
        break;
      case 'stopped':
        item.text = vscode.l10n.t('Pipeline Studio: stopped');
        item.detail = detail ?? 'the language server is not running';
        item.severity = vscode.LanguageStatusSeverity.Warning;
        item.command = RESTART;
        break;
      case 'failed':
        item.text = vscode.l10n.t('Pipeline Studio: failed');
        item.detail = detail ?? 'the language server failed; see the logs, then restart it';
        item.severity = vscode.LanguageStatusSeverity.Error;
        item.command = RESTART;
        break;
    }
    if (health !== this.current) {
      this.current = health;
      this.changed.fire(health);
    }
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
  }
}
