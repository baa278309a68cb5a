import { RunnerClient } from '../runner/client.ts';
import type { RunRef, StartRunParams, StartRunResult } from '../runner/protocol.ts';
import type { DebugDriver, DriverHandlers } from './driver.ts';

/**
 * Runs debug sessions in a runner service process of their own (`serve --stdio`): blocks are
 * spawned there, never by the debug adapter's process (in the editor, the extension host).
 */
export class ServiceDriver implements DebugDriver {
  private client: RunnerClient | undefined;
  private handlers: DriverHandlers | undefined;
  private readonly command: string;
  private readonly args: readonly string[];
  private readonly env: NodeJS.ProcessEnv | undefined;

  /** `command args…` runs the CLI's `serve --stdio`. */
  constructor(command: string, args: readonly string[], env?: NodeJS.ProcessEnv) {
    this.command = command;
    this.args = args;
    this.env = env;
  }

  get servicePid(): number | undefined {
    return this.client?.child.pid;
  }

  startRun(params: StartRunParams, handlers: DriverHandlers): Promise<StartRunResult> {
    this.handlers = handlers;
    return this.connect().startRun({ ...params, debug: true });
  }

  async cancelRun(ref: RunRef): Promise<void> {
    await this.client?.cancelRun(ref);
  }

  async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close();
  }

  private lost(client: RunnerClient, reason: string): void {
    // Expected after dispose(); only a service lost mid-session is news.
    if (this.client !== client) return;
    this.client = undefined;
    this.handlers?.onLost(reason);
  }

  private connect(): RunnerClient {
    if (this.client !== undefined) return this.client;
    const client = new RunnerClient(this.command, this.args, { env: this.env });
    client.onRunEvent((event) => this.handlers?.onEvent(event));
    client.onLogChunk((event) => this.handlers?.onEvent(event));
    // Without handlers (a gate after the session ended) the block is let go; the run is being cancelled.
    client.onBeforeBlock((gate) => this.handlers?.onGate(gate) ?? Promise.resolve());
    client.child.once('error', (error) => this.lost(client, `the runner service could not start: ${error.message}`));
    client.child.once('exit', (code, signal) => this.lost(client, `the runner service exited (${signal ?? `code ${String(code)}`})`));
    this.client = client;
    return client;
  }
}
