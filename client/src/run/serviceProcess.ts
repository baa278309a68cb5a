import { spawn, type ChildProcess } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { LogChunkEvent, RunEvent } from '../../../core/src/runner/events.ts';
import type { RunPlan } from '../../../core/src/runner/plan.ts';
import {
  CancelBlockRequest, CancelRunRequest, LogChunkNotification, PlanRequest, RunEventNotification, StartRunRequest,
  type PlanParams, type RunRef, type StartRunParams, type StartRunResult,
} from '../../../core/src/runner/protocol.ts';

export type ServiceRunEvent = Exclude<RunEvent, LogChunkEvent> & { store: string };
export type ServiceLogChunk = LogChunkEvent & { store: string };

export interface ServiceProcessOptions {
  /** The bundled CLI (dist/cli.cjs) or, in tests, core/src/cli/main.ts. */
  cliPath: string;
  /** The runtime that runs it; default this process's own (Electron as Node inside VS Code). */
  execPath?: string;
  onRunEvent: (event: ServiceRunEvent) => void;
  onLogChunk: (event: ServiceLogChunk) => void;
  /** The service's stderr, line by line (its crashes and warnings). */
  onStderr?: (line: string) => void;
  /** The service went away; runs it had are lost to this client (the service cancels them as it exits). */
  onExit?: (description: string) => void;
}

/**
 * The runner service (`pipeline-studio serve --stdio`), started on first use with the extension
 * host's own runtime and restarted on the next request if it dies. Block processes are spawned
 * by it, never by the extension host: spawning forks the caller, which from a 1 GiB extension host
 * costs tens of milliseconds a block and stalls its event loop. When the extension host goes away
 * (window reload, crash), the service sees its stdin close and cancels its runs.
 */
export class ServiceProcess {
  private current: { child: ChildProcess; connection: MessageConnection } | undefined;
  private readonly options: ServiceProcessOptions;
  private disposed = false;

  constructor(options: ServiceProcessOptions) {
    this.options = options;
  }

  get pid(): number | undefined {
    return this.current?.child.pid;
  }

  startRun(params: StartRunParams): Promise<StartRunResult> {
    return this.connection().sendRequest(StartRunRequest, params);
  }

  cancelRun(ref: RunRef): Promise<{ cancelled: boolean }> {
    return this.connection().sendRequest(CancelRunRequest, ref);
  }

  cancelBlock(ref: RunRef, block: string): Promise<{ cancelled: boolean }> {
    return this.connection().sendRequest(CancelBlockRequest, { ...ref, block });
  }

  plan(params: PlanParams): Promise<RunPlan> {
    return this.connection().sendRequest(PlanRequest, params);
  }

  /** Closes the connection; the service cancels what still runs, records it, and exits. */
  dispose(): Promise<void> {
    this.disposed = true;
    const current = this.current;
    this.current = undefined;
    if (current === undefined) return Promise.resolve();
    const { child, connection } = current;
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      connection.dispose();
      child.stdin?.end();
    });
  }

  private connection(): MessageConnection {
    if (this.disposed) throw new Error('The Pipeline Studio runner service has been shut down.');
    this.current ??= this.launch();
    return this.current.connection;
  }

  private launch(): { child: ChildProcess; connection: MessageConnection } {
    const { cliPath, execPath = process.execPath } = this.options;
    const child = spawn(execPath, [cliPath, 'serve', '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Inside VS Code process.execPath is Electron; this makes it a plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      windowsHide: true,
    });
    const { stdin, stdout, stderr } = child;
    if (stdin === null || stdout === null || stderr === null) throw new Error('The runner service was started without pipes.');
    const connection = createMessageConnection(new StreamMessageReader(stdout), new StreamMessageWriter(stdin));
    connection.onNotification(RunEventNotification, (event) => this.options.onRunEvent(event));
    connection.onNotification(LogChunkNotification, (event) => this.options.onLogChunk(event));
    // A write after the service died must not become an uncaught error in the extension host.
    stdin.on('error', () => undefined);
    let pendingErr = '';
    stderr.setEncoding('utf8');
    stderr.on('data', (text: string) => {
      const lines = (pendingErr + text).split('\n');
      pendingErr = lines.pop() ?? '';
      for (const line of lines) this.options.onStderr?.(line);
    });
    const current = { child, connection };
    const gone = (description: string): void => {
      if (this.current !== current) return;
      this.current = undefined;
      connection.dispose();
      if (pendingErr !== '') this.options.onStderr?.(pendingErr);
      if (!this.disposed) this.options.onExit?.(description);
    };
    child.on('error', (error) => gone(`the runner service could not start: ${error.message}`));
    child.on('exit', (code, signal) => gone(`the runner service exited (${signal ?? `code ${code ?? '?'}`})`));
    connection.listen();
    return current;
  }
}
