import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import {
  createMessageConnection, SocketMessageReader, SocketMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { LogChunkEvent, RunEvent, RunFinishedEvent } from './events.ts';
import type { ControlAction, ControlAnswer } from './control.ts';
import type { BlockGate } from './gate.ts';
import type { RunPlan } from './plan.ts';
import {
  AttachRunRequest, BeforeBlockRequest, CancelBlockRequest, CancelRunRequest, ControlRunRequest, ListRunsRequest, LogChunkNotification, PlanRequest, RunEventNotification, StartRunRequest,
  type AttachRunResult, type LiveRunInfo, type PlanParams, type RunRef, type StartRunParams, type StartRunResult,
} from './protocol.ts';

type Stored<E> = E & { store: string };

/** The typed requests and notifications of the runner service, over any connection to it. */
export class RunnerConnection {
  readonly connection: MessageConnection;
  private readonly finished = new Map<string, Stored<RunFinishedEvent>>();
  private readonly waiters = new Map<string, ((event: Stored<RunFinishedEvent>) => void)[]>();
  private readonly eventListeners: ((event: Stored<Exclude<RunEvent, LogChunkEvent>>) => void)[] = [];
  private readonly logListeners: ((event: Stored<LogChunkEvent>) => void)[] = [];

  constructor(connection: MessageConnection) {
    this.connection = connection;
    this.connection.onNotification(RunEventNotification, (event) => {
      for (const listener of this.eventListeners) listener(event);
      if (event.type !== 'run-finished') return;
      const key = `${event.store}#${event.runId}`;
      this.finished.set(key, event);
      for (const waiter of this.waiters.get(key) ?? []) waiter(event);
      this.waiters.delete(key);
    });
    this.connection.onNotification(LogChunkNotification, (event) => {
      for (const listener of this.logListeners) listener(event);
    });
    this.connection.listen();
  }

  onRunEvent(listener: (event: Stored<Exclude<RunEvent, LogChunkEvent>>) => void): void {
    this.eventListeners.push(listener);
  }

  onLogChunk(listener: (event: Stored<LogChunkEvent>) => void): void {
    this.logListeners.push(listener);
  }

  /** Answers the service's BeforeBlockRequest of `debug` runs: the block starts when the promise settles. */
  onBeforeBlock(handler: (gate: Stored<BlockGate>) => Promise<void>): void {
    this.connection.onRequest(BeforeBlockRequest, async (gate) => {
      await handler(gate);
      return {};
    });
  }

  startRun(params: StartRunParams): Promise<StartRunResult> {
    return this.connection.sendRequest(StartRunRequest, params);
  }

  cancelRun(ref: RunRef): Promise<{ cancelled: boolean }> {
    return this.connection.sendRequest(CancelRunRequest, ref);
  }

  cancelBlock(ref: RunRef, block: string): Promise<{ cancelled: boolean }> {
    return this.connection.sendRequest(CancelBlockRequest, { ...ref, block });
  }

  /** Pause, resume, approve or reject in a run of this service. */
  controlRun(ref: RunRef, action: ControlAction): Promise<ControlAnswer> {
    return this.connection.sendRequest(ControlRunRequest, { ...ref, ...action });
  }

  plan(params: PlanParams): Promise<RunPlan> {
    return this.connection.sendRequest(PlanRequest, params);
  }

  listRuns(): Promise<LiveRunInfo[]> {
    return this.connection.sendRequest(ListRunsRequest, {});
  }

  /** The run's events so far; its later events then come to the listeners. Null when it is not in flight. */
  attachRun(ref: RunRef): Promise<AttachRunResult | null> {
    return this.connection.sendRequest(AttachRunRequest, ref);
  }

  /** The run's `run-finished` event, whether it already came or is still to come. */
  waitForRun(ref: RunRef): Promise<Stored<RunFinishedEvent>> {
    const key = `${ref.store}#${ref.runId}`;
    const done = this.finished.get(key);
    if (done !== undefined) return Promise.resolve(done);
    return new Promise((resolve) => this.waiters.set(key, [...(this.waiters.get(key) ?? []), resolve]));
  }
}

/** A typed client of `pipeline-studio serve --stdio`, for callers that must not spawn blocks themselves. */
export class RunnerClient extends RunnerConnection {
  readonly child: ChildProcess;

  /** Starts the service: `command args…` must be the CLI's `serve --stdio`. */
  constructor(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], env: options.env ?? process.env, cwd: options.cwd });
    const { stdout, stdin } = child;
    if (stdout === null || stdin === null) throw new Error('the runner service has no stdio');
    super(createMessageConnection(new StreamMessageReader(stdout), new StreamMessageWriter(stdin)));
    this.child = child;
  }

  /** Closes the connection; the service cancels what is still running and exits. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        resolve();
        return;
      }
      this.child.once('exit', () => resolve());
      this.connection.dispose();
      this.child.stdin?.end();
    });
  }
}

/** A client of a service listening on a socket (`serve --socket`); its runs go on when it closes. */
export class SocketRunnerClient extends RunnerConnection {
  private readonly closedPromise: Promise<void>;

  private constructor(connection: MessageConnection, closed: Promise<void>) {
    super(connection);
    this.closedPromise = closed;
  }

  /** Connects; rejects when no service listens there (ENOENT, ECONNREFUSED). */
  static connect(path: string): Promise<SocketRunnerClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.on('error', () => undefined);
        const closed = new Promise<void>((r) => socket.once('close', () => r()));
        resolve(new SocketRunnerClient(createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket)), closed));
      });
    });
  }

  /** Settles when the connection has closed, from either side. */
  get closed(): Promise<void> {
    return this.closedPromise;
  }

  /** Leaves the service: runs go on, and the service exits once it is idle with no client. */
  close(): Promise<void> {
    this.connection.end();
    this.connection.dispose();
    return this.closedPromise;
  }
}
