import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { stopServer } from '../test/lsp/lspClient.ts';

/** One language server under measurement, spoken to over its stdio like an editor would. */
export class BenchClient {
  readonly name: string;
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  /** publishDiagnostics received, by URI: version (when sent) and arrival time. */
  private readonly published = new Map<string, { version: number | undefined; count: number; at: number }[]>();
  private waiters: (() => void)[] = [];

  private constructor(name: string, child: ChildProcess, settings: unknown) {
    this.name = name;
    this.child = child;
    if (child.stdout === null || child.stdin === null) throw new Error(`${name}: no stdio`);
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    child.stderr?.resume();
    this.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
      const list = this.published.get(p.uri) ?? [];
      list.push({ version: p.version, count: p.diagnostics.length, at: performance.now() });
      this.published.set(p.uri, list);
      for (const wake of this.waiters.splice(0)) wake();
    });
    // yaml-language-server asks for its settings and registers capabilities; answer like an editor.
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((item) => (item.section === 'yaml' ? (settings as { yaml?: unknown }).yaml ?? null : null)));
    this.connection.onRequest(() => null);
    this.connection.onNotification(() => undefined);
    this.connection.listen();
  }

  static async start(name: string, args: string[], settings: unknown = {}): Promise<BenchClient> {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new BenchClient(name, child, settings);
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
        textDocument: {
          synchronization: { didSave: false },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { versionSupport: true, relatedInformation: true },
        },
      },
    });
    await client.connection.sendNotification('initialized', {});
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings });
    return client;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  publishCount(uri: string): number {
    return this.published.get(uri)?.length ?? 0;
  }

  lastPublish(uri: string): { version: number | undefined; count: number; at: number } | undefined {
    const list = this.published.get(uri);
    return list?.[list.length - 1];
  }

  /** Waits until more than `seen` publishDiagnostics arrived for `uri` (and, if given, one for `version`). */
  async waitForPublish(uri: string, seen: number, version?: number, timeoutMs = 60_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const list = this.published.get(uri) ?? [];
      const hit = list.slice(seen).find((p) => version === undefined || p.version === undefined || p.version === version);
      if (hit !== undefined) return hit.at;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`${this.name}: no publishDiagnostics for ${uri} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Peak resident memory of the server process (VmHWM), in MiB. */
  peakRssMiB(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  }

  async stop(): Promise<void> {
    await stopServer(this.connection, this.child, 3000);
  }
}
