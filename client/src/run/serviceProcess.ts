import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { SocketRunnerClient } from '../../../core/src/runner/client.ts';
import type { ControlAction, ControlAnswer } from '../../../core/src/runner/control.ts';
import type { LogChunkEvent, RunEvent } from '../../../core/src/runner/events.ts';
import type { RunPlan } from '../../../core/src/runner/plan.ts';
import type { AttachRunResult, LiveRunInfo, PlanParams, RunRef, StartRunParams, StartRunResult } from '../../../core/src/runner/protocol.ts';
import { ensurePrivateFolder, serviceLogPath, serviceSocketPath } from '../../../core/src/runner/serviceSocket.ts';
import { defaultStorePath } from '../../../core/src/store/index.ts';

export type ServiceRunEvent = Exclude<RunEvent, LogChunkEvent> & { store: string };
export type ServiceLogChunk = LogChunkEvent & { store: string };

export interface ServiceProcessOptions {
  /** The bundled CLI (dist/cli.cjs) or, in tests, core/src/cli/main.ts. */
  cliPath: string;
  /** The runtime that runs it; default this process's own (Electron as Node inside VS Code). */
  execPath?: string;
  onRunEvent: (event: ServiceRunEvent) => void;
  onLogChunk: (event: ServiceLogChunk) => void;
  /** Lines of a lost service's log (its crash or warnings). */
  onStderr?: (line: string) => void;
  /** The service of a store went away; runs it had are lost to this client. */
  onExit?: (description: string, store: string) => void;
  /** Where the service of a store listens; default serviceSocketPath (tests use their own folders). */
  socketFor?: (store: string) => string;
  /** `--idle-ms` of the services this starts; default the service's own. */
  idleMs?: number;
}

const START_TIMEOUT_MS = 30_000;
const MAX_LOG_BYTES = 1024 * 1024;

/**
 * The runner services of this window's stores (`pipeline-studio serve --socket`), one per store,
 * shared with every other window of that store. Each is found on its socket or started detached
 * from the extension host, so that its runs outlive a window reload or an extension host crash;
 * it exits by itself once it has no run and no client. Block processes are spawned by it, never by
 * the extension host: spawning forks the caller, which from a 1 GiB extension host costs tens of
 * milliseconds a block and stalls its event loop.
 */
export class ServiceProcess {
  private readonly services = new Map<string, Promise<SocketRunnerClient>>();
  private readonly options: ServiceProcessOptions;
  private disposed = false;

  constructor(options: ServiceProcessOptions) {
    this.options = options;
  }

  async startRun(params: StartRunParams): Promise<StartRunResult> {
    return (await this.service(storeOf(params))).startRun(params);
  }

  async plan(params: PlanParams): Promise<RunPlan> {
    return (await this.service(storeOf(params))).plan(params);
  }

  /** Cancels through the store's service if one runs (nothing to cancel otherwise). */
  async cancelRun(ref: RunRef): Promise<{ cancelled: boolean }> {
    return (await this.existing(ref.store))?.cancelRun(ref) ?? { cancelled: false };
  }

  async cancelBlock(ref: RunRef, block: string): Promise<{ cancelled: boolean }> {
    return (await this.existing(ref.store))?.cancelBlock(ref, block) ?? { cancelled: false };
  }

  /** Pause, resume, approve or reject through the store's service; undefined when no service runs there. */
  async controlRun(ref: RunRef, action: ControlAction): Promise<ControlAnswer | undefined> {
    return (await this.existing(ref.store))?.controlRun(ref, action);
  }

  /**
   * The runs in flight in the store's service, when one runs; starts none. A connection opened only
   * to ask is closed again when there is nothing to follow, so that an idle service can leave.
   */
  async liveRuns(store: string): Promise<LiveRunInfo[]> {
    const socket = this.socketFor(store);
    const known = this.services.get(socket);
    if (known !== undefined) return (await (await known.catch(() => undefined))?.listRuns()) ?? [];
    const client = await this.open(socket, store, false);
    if (client === undefined) return [];
    const runs = await client.listRuns();
    // Kept to follow the runs, unless a run started meanwhile opened a connection of its own.
    if (runs.length > 0 && !this.services.has(socket) && !this.disposed) this.services.set(socket, Promise.resolve(client));
    else await client.close();
    return runs;
  }

  /** Follows a run in flight: its events so far; later ones come to onRunEvent/onLogChunk. */
  async attachRun(ref: RunRef): Promise<AttachRunResult | null> {
    return (await this.existing(ref.store))?.attachRun(ref) ?? null;
  }

  /** The connection to the store's service, starting the service if none runs (the triggers talk to it). */
  connect(store: string): Promise<SocketRunnerClient> {
    return this.service(store);
  }

  /** Leaves the services: their runs go on, and each exits once it has no run and no client. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const services = [...this.services.values()];
    this.services.clear();
    await Promise.allSettled(services.map(async (service) => (await service).close()));
  }

  private service(store: string): Promise<SocketRunnerClient> {
    if (this.disposed) return Promise.reject(new Error('The Pipeline Studio runner service has been shut down.'));
    const socket = this.socketFor(store);
    let service = this.services.get(socket);
    if (service === undefined) {
      service = this.open(socket, store, true).then((client) => client ?? Promise.reject(new Error('the runner service did not start')));
      this.services.set(socket, service);
      // A failed start is retried by the next request.
      service.catch(() => this.services.get(socket) === service && this.services.delete(socket));
    }
    return service;
  }

  /** The store's service when one listens (connecting to it), else undefined. */
  private async existing(store: string): Promise<SocketRunnerClient | undefined> {
    if (this.disposed) return undefined;
    const socket = this.socketFor(store);
    const known = this.services.get(socket);
    if (known !== undefined) return known.catch(() => undefined);
    const client = await this.open(socket, store, false);
    if (client === undefined || this.services.has(socket)) {
      if (client !== undefined) void client.close();
      return this.services.get(socket)?.catch(() => undefined);
    }
    this.services.set(socket, Promise.resolve(client));
    return client;
  }

  private async open(socket: string, store: string, start: boolean): Promise<SocketRunnerClient | undefined> {
    let client = await SocketRunnerClient.connect(socket).catch(() => undefined);
    if (client === undefined && start) client = await this.start(socket);
    if (client === undefined) return undefined;
    client.onRunEvent((event) => this.options.onRunEvent(event));
    client.onLogChunk((event) => this.options.onLogChunk(event));
    const opened = client;
    void opened.closed.then(() => {
      const current = this.services.get(socket);
      if (current === undefined || this.disposed) return;
      void current.then((c) => {
        if (c !== opened) return;
        this.services.delete(socket);
        for (const line of logTail(serviceLogPath(socket))) this.options.onStderr?.(line);
        this.options.onExit?.('the runner service exited', store);
      });
    });
    return opened;
  }

  /** Starts a service on the socket, detached (its own session, no pipe to this process), and connects. */
  private async start(socket: string): Promise<SocketRunnerClient> {
    const { cliPath, execPath = process.execPath, idleMs } = this.options;
    if (process.platform !== 'win32') ensurePrivateFolder(dirname(socket));
    const log = serviceLogPath(socket);
    const fd = openSync(log, existsSync(log) && statSync(log).size > MAX_LOG_BYTES ? 'w' : 'a', 0o600);
    let exited: string | undefined;
    try {
      const args = [cliPath, 'serve', '--socket', socket, ...(idleMs !== undefined ? ['--idle-ms', String(idleMs)] : [])];
      const child = spawn(execPath, args, {
        detached: true,
        stdio: ['ignore', 'ignore', fd],
        // Inside VS Code process.execPath is Electron; this makes it a plain Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        windowsHide: true,
      });
      child.on('error', (error) => (exited = `could not start: ${error.message}`));
      child.on('exit', (code, signal) => (exited = `exited (${signal ?? `code ${String(code)}`})`));
      child.unref();
    } finally {
      closeSync(fd);
    }
    const end = Date.now() + START_TIMEOUT_MS;
    for (let wait = 10; ; wait = Math.min(200, wait * 2)) {
      const client = await SocketRunnerClient.connect(socket).catch(() => undefined);
      if (client !== undefined) return client;
      // It exits at once, code 0, when another window's service took the socket first: connect to that one.
      if ((exited !== undefined && !exited.includes('code 0')) || Date.now() > end) {
        const why = exited ?? `did not listen on ${socket} within ${START_TIMEOUT_MS / 1000} s`;
        throw new Error(`The Pipeline Studio runner service ${why}. ${logTail(log).join('\n')}`.trim());
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private socketFor(store: string): string {
    return (this.options.socketFor ?? serviceSocketPath)(store);
  }
}

function storeOf(params: { file: string; store?: string }): string {
  return params.store ?? defaultStorePath(dirname(params.file));
}

function logTail(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-20).filter((l) => l !== '');
  } catch {
    return [];
  }
}
