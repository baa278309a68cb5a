import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const SERVER = join(import.meta.dirname, '..', '..', 'dist', 'server.cjs');

/** A pipeline with one error: `load` depends on a misspelt `extract` (unknown-dependency, with a suggestion). */
export const MISSPELT_DEPENDENCY = `blocks:
  extract:
    run: echo extract
  load:
    depends_on: [extact]
    run: echo load
`;

/**
 * A wait on an event that must come: long enough that only a hang fails it, however busy the machine
 * (a server's first analysis waits for a CPU behind other test processes).
 */
const HANG_MS = 60_000;

export interface DiagnosticsEvent {
  version: number | undefined;
  diagnostics: Diagnostic[];
  at: number;
}

/**
 * A real LSP client over the server's stdio: the bundled server as the extension starts it, spoken
 * to with a JSON-RPC connection. Records every publishDiagnostics so tests can wait for a version.
 */
export class LspClient {
  readonly connection: MessageConnection;
  readonly child: ChildProcess;
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  private readonly published = new Map<string, DiagnosticsEvent[]>();
  private readonly waiters: (() => void)[] = [];
  private exited = false;

  private constructor(child: ChildProcess) {
    this.child = child;
    if (child.stdout === null || child.stdin === null) throw new Error('the server has no stdio');
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    child.on('exit', () => {
      this.exited = true;
      this.wake();
    });
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = this.published.get(params.uri) ?? [];
      list.push({ version: params.version, diagnostics: params.diagnostics, at: performance.now() });
      this.published.set(params.uri, list);
      this.wake();
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    this.connection.listen();
  }

  /**
   * `env` is added to this process's environment (TZ=UTC by default, so times in hovers are stable);
   * `args` start the server another way (e.g. the CLI's `lsp --stdio`).
   */
  static async start(env: Record<string, string> = { TZ: 'UTC' }, args: string[] = [SERVER, '--stdio'], initialize: Record<string, unknown> = {}): Promise<LspClient> {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first`);
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const client = new LspClient(child);
    await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null, ...initialize });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  get alive(): boolean {
    return !this.exited;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params);
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pipeline', version, text } });
  }

  async change(uri: string, version: number, changes: unknown[]): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  /**
   * Sends these didChange notifications in one write to the server's stdin, so they arrive together
   * as a paste does, however long this process waits for a CPU between them. Only call it while no
   * other message is being sent.
   */
  async changeAtOnce(uri: string, steps: { version: number; changes: unknown[] }[]): Promise<void> {
    const frames = steps.map(({ version, changes }) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: changes } }));
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    });
    const stdin = this.child.stdin;
    if (stdin === null) throw new Error('the server has no stdin');
    await new Promise<void>((resolve, reject) => stdin.write(Buffer.concat(frames), (error) => (error ? reject(error) : resolve())));
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Every publishDiagnostics received for `uri`, oldest first. */
  diagnosticsOf(uri: string): DiagnosticsEvent[] {
    return this.published.get(uri) ?? [];
  }

  /** Opens `text` as `uri` and resolves with the first publishDiagnostics for it. */
  async diagnosticsFor(uri: string, text: string, version = 1): Promise<DiagnosticsEvent> {
    await this.open(uri, text, version);
    return this.waitForDiagnostics(uri);
  }

  /** Resolves with the first publishDiagnostics for `uri` that satisfies `accept` (counting those already received). */
  async waitForDiagnostics(uri: string, accept: (e: DiagnosticsEvent) => boolean = () => true, timeoutMs = HANG_MS): Promise<DiagnosticsEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.diagnosticsOf(uri).find(accept);
      if (found !== undefined) return found;
      if (this.exited) throw new Error('the server exited');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching publishDiagnostics for ${uri} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await stopServer(this.connection, this.child, 2000);
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** Splits a fixture at its cursor marker: the text without the marker, and the marker's offset. */
export function withCursor(source: string, marker = '|'): { text: string; offset: number } {
  const offset = source.indexOf(marker);
  if (offset === -1 || source.indexOf(marker, offset + 1) !== -1) throw new Error(`expected exactly one ${marker} in the fixture`);
  return { text: source.slice(0, offset) + source.slice(offset + marker.length), offset };
}

/**
 * Stops a language server as an editor does (shutdown, then exit) and disposes of the connection;
 * a server that does not answer or exit within `graceMs` (each) is killed.
 */
export async function stopServer(connection: MessageConnection, child: ChildProcess, graceMs: number): Promise<void> {
  const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
  if (!gone()) {
    try {
      await Promise.race([connection.sendRequest('shutdown', null), new Promise((resolve) => setTimeout(resolve, graceMs))]);
      await connection.sendNotification('exit');
    } catch {
      // The server may already be gone; it is killed below either way.
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (gone()) resolve();
    });
  }
  connection.dispose();
}
