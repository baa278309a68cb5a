import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../settings/settings.ts';
import type { DiagnosticsGate } from './diagnosticsGate.ts';

const CLIENT_NAME = 'Pipeline Studio Language Server';

/** Pipeline files on disk and untitled ones (the server reads nothing but the text it is sent). */
export const PIPELINE_DOCUMENTS: { language: string; scheme: string }[] = [
  { language: 'pipeline', scheme: 'file' },
  { language: 'pipeline', scheme: 'untitled' },
];

/**
 * vscode-languageclient pops up its own generic notification ("couldn't create connection to
 * server") beside the error it logs. The extension shows one clear message with a "Show Logs" action
 * for every failure, so this client only logs.
 */
class QuietLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, _showNotification?: boolean | 'force'): void {
    super.error(message, data, false);
  }
}

export interface ClientParts {
  serverModule: string;
  outputChannel: vscode.LogOutputChannel;
  traceOutputChannel: vscode.LogOutputChannel;
  errorHandler: ErrorHandler;
  diagnosticsGate: DiagnosticsGate;
}

/**
 * A client for the bundled server (dist/server.cjs), forked with the extension host's own runtime
 * over IPC. A fresh one is made for every (re)start: a client whose start failed cannot be started
 * again.
 */
export function createClient(parts: ClientParts): LanguageClient {
  const run = { module: parts.serverModule, transport: TransportKind.ipc };
  const serverOptions: ServerOptions = {
    run,
    debug: { ...run, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: PIPELINE_DOCUMENTS,
    outputChannel: parts.outputChannel,
    traceOutputChannel: parts.traceOutputChannel,
    errorHandler: parts.errorHandler,
    // Without this the client pops up the bare protocol error; the caller of start() reports it.
    initializationFailedHandler: () => false,
    middleware: { handleDiagnostics: parts.diagnosticsGate.handleDiagnostics },
  };
  // The id is the settings section, so the client reads `pipelineStudio.trace.server`.
  return new QuietLanguageClient(SETTINGS_SECTION, CLIENT_NAME, serverOptions, clientOptions);
}
