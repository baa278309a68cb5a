import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { serverLog, showErrorWithLogs } from '../log.ts';
import { VALIDATE_ENABLE, affects } from '../settings/settings.ts';
import { createClient } from './createClient.ts';
import { DiagnosticsGate } from './diagnosticsGate.ts';
import { RestartingErrorHandler } from './errorHandler.ts';
import { ServerStatus, type ServerHealth } from './serverStatus.ts';
import { createTraceChannel } from './traceChannel.ts';

/** How long a stop waits for the server to shut down before its process is terminated. */
const STOP_TIMEOUT_MS = 2000;

/**
 * Owns the language client: starts it, restarts it on request, and keeps the status item and the
 * user informed. Starts, restarts and stops run one after another, so a restart clicked while the
 * server is still starting waits for that start instead of racing it.
 */
export class LanguageServer implements vscode.Disposable {
  readonly status = new ServerStatus();
  private readonly serverModule: string;
  private readonly trace = createTraceChannel();
  private readonly gate = new DiagnosticsGate();
  private readonly errorHandler = new RestartingErrorHandler({
    onRestart: () => this.status.set('starting', 'language server restarting after a crash'),
    onGiveUp: (message) => this.fail(message),
    isStarting: () => this.starting,
  });
  private readonly listeners: vscode.Disposable[] = [];
  private client: LanguageClient | undefined;
  private clientState: vscode.Disposable | undefined;
  /** True while startNow() waits for the client: it reports a failed start itself. */
  private starting = false;
  private queue: Promise<void> = Promise.resolve();
  /** One failure message per start: the client may report the same failure more than once. */
  private failureShown = false;

  constructor(serverModule: string) {
    this.serverModule = serverModule;
    this.listeners.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affects(event, VALIDATE_ENABLE)) this.gate.reapply(this.client?.diagnostics);
      }),
    );
  }

  get health(): ServerHealth {
    return this.status.health;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.startNow());
  }

  /** A custom request (server/src/protocol.ts) to the running server; undefined when it is not running. */
  request<P, R>(method: string, params: P): Promise<R> | undefined {
    const client = this.client;
    return client?.isRunning() === true ? client.sendRequest<R>(method, params) : undefined;
  }

  /** A restart the user asked for: a fresh process, a fresh crash budget, the failure forgotten. */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      this.errorHandler.budget.reset();
      await this.stopNow();
      await this.startNow();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopNow();
      this.status.set('stopped');
    });
  }

  dispose(): void {
    for (const listener of this.listeners.splice(0)) listener.dispose();
    // The channels stay until the server is down, so that what it says on the way out is kept.
    void this.enqueue(() => this.stopNow()).finally(() => {
      this.trace.dispose();
      this.status.dispose();
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step);
    // The queue goes on after a failed step; the caller still sees the failure.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async startNow(): Promise<void> {
    this.failureShown = false;
    this.status.set('starting');
    if (!existsSync(this.serverModule)) {
      this.fail(`The Pipeline Studio language server is missing (${this.serverModule}): the extension is not built or its package is incomplete`, 'language server missing');
      return;
    }
    const client = createClient({
      serverModule: this.serverModule,
      outputChannel: serverLog(),
      traceOutputChannel: this.trace,
      errorHandler: this.errorHandler,
      diagnosticsGate: this.gate,
    });
    this.client = client;
    this.clientState = client.onDidChangeState(({ newState }) => this.onClientState(client, newState));
    serverLog().info(`Starting the language server: ${this.serverModule} on ${process.execPath} (Node ${process.versions.node})`);
    this.starting = true;
    try {
      await client.start();
      this.status.set('ready');
    } catch (error) {
      serverLog().error(`Start failed: ${error instanceof Error ? error.message : String(error)}`);
      // The protocol only says the connection went away; the cause is what the process printed.
      this.fail('The Pipeline Studio language server could not start: its process ended before it was ready', 'language server could not start');
    } finally {
      this.starting = false;
    }
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.clientState?.dispose();
    this.clientState = undefined;
    this.gate.clear();
    if (client === undefined) return;
    // dispose() stops a running server and, whatever state the client is in, terminates its process.
    await client.dispose(STOP_TIMEOUT_MS).catch((error: unknown) => serverLog().warn(`Stopping the language server: ${String(error)}`));
  }

  private onClientState(client: LanguageClient, state: State): void {
    if (client !== this.client) return; // a client being replaced by a restart
    if (state === State.Running) this.status.set('ready');
    else if (state === State.Starting) this.status.set('starting');
    else if (state === State.StartFailed && !this.starting) this.fail('The Pipeline Studio language server could not restart', 'language server could not restart');
    else if (state === State.Stopped && this.status.health !== 'failed') this.status.set('stopped');
  }

  /** Shows message once per start, with "Show Logs"; the status item gets the short detail. */
  private fail(message: string, detail?: string): void {
    this.status.set('failed', detail);
    if (this.failureShown) {
      serverLog().error(message);
      return;
    }
    this.failureShown = true;
    void showErrorWithLogs(message);
  }
}
