import type * as vscode from 'vscode';
import { registerRestartServer } from './commands/restartServer.ts';
import { registerShowServerLogs } from './commands/showServerLogs.ts';
import { LanguageServer } from './language/languageServer.ts';
import type { ServerHealth } from './language/serverStatus.ts';
import { disposeServerLog, serverLog, showErrorWithLogs } from './log.ts';
import { registerHistoryFeatures } from './history/index.ts';
import { registerGraphFeatures } from './graph/index.ts';
import { registerTemplateFeatures } from './templates/index.ts';
import { registerDashboardFeatures } from './dashboard/index.ts';
import { registerDebugFeatures } from './debug/index.ts';
import { registerRunFeatures } from './run/index.ts';
import { registerRunState } from './runState/index.ts';
import { registerTriggerFeatures } from './triggers/index.ts';
import { registerDetailsFeatures } from './details/index.ts';
import { registerExecutorsFileDiagnostics } from './executors/index.ts';
import { registerWalkthroughContext } from './walkthroughContext.ts';

/** What activate() returns: read by the end-to-end tests to wait on the server instead of sleeping. */
export interface PipelineStudioApi {
  readonly languageServer: {
    readonly health: ServerHealth;
    readonly onDidChangeHealth: vscode.Event<ServerHealth>;
  };
  /** Milliseconds from activate() being called to the language client's first 'ready'; undefined until then. */
  readonly activationMs: () => number | undefined;
}

let languageServer: LanguageServer | undefined;

export function activate(context: vscode.ExtensionContext): PipelineStudioApi {
  const activateCalledAt = performance.now();
  let activationMs: number | undefined;
  serverLog().info(`Pipeline Studio ${String((context.extension.packageJSON as { version?: unknown }).version)} activating`);
  const server = new LanguageServer(context.asAbsolutePath('dist/server.cjs'));
  languageServer = server;
  context.subscriptions.push(server, registerRestartServer(server), registerShowServerLogs(), { dispose: disposeServerLog });
  // Started first and not awaited: editing works even if a feature below fails to register, and
  // running pipelines or browsing history never waits for the language server. A failed start is
  // shown (status item, error message with "Show Logs"), never thrown.
  void server.start().then(() => {
    if (server.health !== 'ready') return;
    activationMs = performance.now() - activateCalledAt;
    serverLog().info(`Activated: language client ready ${activationMs.toFixed(0)} ms after activate was called`);
  });

  // Features of other issues register here, one line each. Each is isolated: one that fails to
  // register is reported (with "Show Logs") and the others still come up.
  const features: [string, () => unknown][] = [
    ['run state', () => registerRunState(context)], // first: every feature that shows runs subscribes to it
    ['runs', () => registerRunFeatures(context)],
    ['triggers', () => registerTriggerFeatures(context)],
    ['history', () => registerHistoryFeatures(context)],
    ['graph', () => registerGraphFeatures(context, (method, params) => server.request(method, params))],
    ['executions dashboard', () => registerDashboardFeatures(context)],
    ['run details', () => registerDetailsFeatures(context)],
    ['debugger', () => registerDebugFeatures(context)],
    ['templates', () => registerTemplateFeatures(context)],
    ['executors file', () => registerExecutorsFileDiagnostics(context)],
    ['walkthrough', () => registerWalkthroughContext(context)],
  ];
  for (const [name, register] of features) {
    try {
      register();
    } catch (error) {
      void showErrorWithLogs(`Pipeline Studio could not start its ${name} feature`, error);
    }
  }

  return {
    languageServer: {
      get health() {
        return server.health;
      },
      onDidChangeHealth: server.status.onDidChange,
    },
    activationMs: () => activationMs,
  };
}

/** Lets VS Code wait until the server has shut down, so no server process outlives the window. */
export function deactivate(): Promise<void> | undefined {
  const server = languageServer;
  languageServer = undefined;
  return server?.stop();
}
