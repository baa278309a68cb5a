import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import {
  createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter,
  type MessageConnection, type MessageReader, type MessageWriter,
} from 'vscode-jsonrpc/node';
import { defaultStorePath, openStore } from '../store/index.ts';
import { DetailsRecorder } from '../details/recorder.ts';
import type { RunStore } from '../store/types.ts';
import type { RunHandle } from './engine.ts';
import { startRunOrArgo } from '../executors/argo/argoRunHandle.ts';
import type { ChildRunStart } from './childRuns.ts';
import type { RunEvent, RunEventListener } from './events.ts';
import type { BlockGate } from './gate.ts';
import { LogForwarder } from './logForwarder.ts';
import { planRun } from './plan.ts';
import { RunRefused } from './prepare.ts';
import {
  AttachRunRequest, BeforeBlockRequest, CancelBlockRequest, CancelRunRequest, ControlRunRequest, ListRunsRequest, PlanRequest, RunEventNotification, StartRunRequest,
  type LiveRunInfo, type RunRefusedData, type StartRunParams,
} from './protocol.ts';
import { applyControl } from './control.ts';
import { RunReplay } from './runReplay.ts';
import { ServiceTriggers } from '../triggers/serviceTriggers.ts';

/** JSON-RPC error code of a refused run (in the range reserved for applications). */
export const RUN_REFUSED = -32001;

interface Client {
  connection: MessageConnection;
  logs: LogForwarder;
  closed: boolean;
}

interface LiveRun {
  handle: RunHandle | undefined;
  /** The store it records into: kept open until it ends, even when the file was replaced meanwhile. */
  store: RunStore | undefined;
  info: LiveRunInfo | undefined;
  replay: RunReplay;
  /** The clients its events go to: the one that started it, and those that attached. */
  subscribers: Set<Client>;
  /** Undefined for a run a trigger started. */
  starter: Client | undefined;
  debug: boolean;
}

/**
 * The runner: its stores and the runs in flight, shared by every client connected to it (one over
 * stdio; over a socket, one after another or several at once). A run belongs to the service, not
 * to the client that started it: it goes on when that client goes, unless the service is told to
 * cancel a client's runs when it leaves (stdio, where the client owns the process).
 */
export class RunnerService {
  private readonly stores = new Map<string, RunStore>();
  private readonly inodes = new Map<string, number | undefined>();
  /** Stores whose file was deleted or replaced, still open for the runs that record into them. */
  private readonly retired = new Set<RunStore>();
  private readonly runs = new Map<string, LiveRun>();
  private readonly clients = new Set<Client>();
  private readonly changeListeners: (() => void)[] = [];
  /** The schedulers of the stores whose windows enabled triggers; their runs are this service's runs. */
  private readonly triggers = new ServiceTriggers({
    storeAt: (path) => this.storeAt(path),
    launch: async (request, store) => {
      try {
        const handle = await this.startLive({ file: request.file, store, trigger: request.label, variables: request.variables }, undefined);
        return { runId: handle.runId, done: handle.done.then((r) => ({ status: r.status, error: r.error })), cancel: () => handle.cancel() };
      } catch (error) {
        if (error instanceof RunRefused) throw new Error(error.problems.join('; '));
        throw error;
      }
    },
  });

  /** Runs in flight. */
  get runCount(): number {
    return this.runs.size;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Called when a run or a client comes or goes (the socket server's idle timer listens). */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  /**
   * Serves one client until its connection closes. With `cancelRunsOnClose`, the runs it started
   * are then cancelled (and recorded so), and the promise waits for them to end.
   */
  serve(reader: MessageReader, writer: MessageWriter, options: { cancelRunsOnClose: boolean }): Promise<void> {
    const connection = createMessageConnection(reader, writer);
    const client: Client = { connection, logs: new LogForwarder(connection), closed: false };
    this.clients.add(client);
    this.register(client);
    return new Promise((resolveDone) => {
      connection.onClose(() => {
        client.closed = true;
        this.clients.delete(client);
        this.triggers.unregister(connection);
        client.logs.stop();
        const mine: Promise<unknown>[] = [];
        for (const run of this.runs.values()) {
          run.subscribers.delete(client);
          // A debug run waits on its debugger's answers; without it nothing can step it.
          if (run.starter === client && (options.cancelRunsOnClose || run.debug)) {
            run.handle?.cancel();
            if (run.handle !== undefined) mine.push(run.handle.done);
          }
        }
        this.changed();
        void Promise.allSettled(mine).then(() => resolveDone());
      });
      connection.listen();
    });
  }

  /** Cancels every run, waits for them to end, and closes the stores. */
  async close(): Promise<void> {
    await this.triggers.close();
    const done = [...this.runs.values()].flatMap((run) => {
      run.handle?.cancel();
      return run.handle === undefined ? [] : [run.handle.done];
    });
    await Promise.allSettled(done);
    for (const store of [...this.stores.values(), ...this.retired]) store.close();
    this.stores.clear();
    this.retired.clear();
  }

  private register(client: Client): void {
    const { connection } = client;
    this.triggers.register(connection);
    connection.onRequest(StartRunRequest, async (params) => {
      try {
        const handle = await this.startLive(params, client);
        return { runId: handle.runId, store: this.storePath(params.file, params.store) };
      } catch (error) {
        throw refused(error);
      }
    });
    connection.onRequest(CancelRunRequest, ({ runId, store }) => {
      const handle = this.runs.get(`${resolve(store)}#${runId}`)?.handle;
      handle?.cancel();
      return { cancelled: handle !== undefined };
    });
    connection.onRequest(CancelBlockRequest, ({ runId, store, block }) => ({ cancelled: this.runs.get(`${resolve(store)}#${runId}`)?.handle?.cancelBlock(block) ?? false }));
    connection.onRequest(ControlRunRequest, ({ runId, store, ...request }) => {
      const handle = this.runs.get(`${resolve(store)}#${runId}`)?.handle;
      return handle === undefined ? { ok: false, message: `Run #${runId} is not running in this service.` } : applyControl(handle, request);
    });
    connection.onRequest(PlanRequest, (params) => {
      try {
        return planRun({ ...params, store: this.storeAt(this.storePath(params.file, params.store)) });
      } catch (error) {
        throw refused(error);
      }
    });
    connection.onRequest(ListRunsRequest, () => [...this.runs.values()].flatMap((run) => (run.info === undefined ? [] : [run.info])));
    // Synchronous on purpose: the replay is everything emitted until now, and every later event is
    // sent to the client after this answer, so it sees each event exactly once.
    connection.onRequest(AttachRunRequest, ({ runId, store }) => {
      const run = this.runs.get(`${resolve(store)}#${runId}`);
      if (run === undefined) return null;
      run.subscribers.add(client);
      return run.replay.snapshot();
    });
  }

  /**
   * Records and starts a run, kept in `runs` until it ends. `client` started it (its events go to
   * it; a debug run asks it before each block); undefined for a run a trigger started.
   */
  private async startLive(params: StartRunParams, client: Client | undefined): Promise<RunHandle> {
    const path = this.storePath(params.file, params.store);
    const { debug: asked, ...rest } = params;
    const debug = asked === true && client !== undefined;
    const live: LiveRun = { handle: undefined, store: undefined, info: undefined, replay: new RunReplay(), subscribers: new Set(client === undefined ? [] : [client]), starter: client, debug };
    let clientLost = false;
    const askClient = async (gate: BlockGate): Promise<void> => {
      if (client === undefined) return;
      client.logs.flush();
      try {
        if (client.closed) throw new Error('the debugger has gone');
        await client.connection.sendRequest(BeforeBlockRequest, { ...gate, store: path });
      } catch {
        clientLost = true;
        live.handle?.cancel();
      }
    };
    live.store = this.storeAt(path, params.logCapBytes);
    // Run details (core/src/details): definition, git, host, queue times, artifacts, resources.
    const details = new DetailsRecorder({ store: live.store, file: params.file, text: params.text, tool: 'pipeline-studio service', hashLimitBytes: params.hashLimitBytes });
    const store = live.store;
    // An argo profile as the executor override runs the whole pipeline as one Argo Workflow.
    const handle = await startRunOrArgo({
      ...rest,
      beforeBlock: debug ? askClient : undefined,
      store,
      onChildRun: (child) => this.adoptChild(child, path, store),
      onEvent: (event: RunEvent) => {
        details.observe(event);
        if (event.type === 'run-started') live.info = { runId: event.runId, store: path, pipelineName: event.pipelineName, pipelineFile: event.pipelineFile, startedAt: event.time, debug };
        this.emit(live, event, path);
      },
    });
    live.handle = handle;
    if (clientLost) handle.cancel();
    const key = `${path}#${handle.runId}`;
    this.runs.set(key, live);
    void handle.done.finally(() => {
      this.runs.delete(key);
      this.closeIfRetired(live.store);
      this.changed();
    });
    this.changed();
    return handle;
  }

  /**
   * A sub-pipeline's child run (at any depth) is one of this service's runs too: listed, attachable
   * and controllable by its own number. Its events go to the clients that attach to it.
   */
  private adoptChild(child: ChildRunStart, path: string, store: RunStore): RunEventListener {
    const live: LiveRun = { handle: undefined, store, info: undefined, replay: new RunReplay(), subscribers: new Set(), starter: undefined, debug: false };
    let key: string | undefined;
    const forget = (): void => {
      if (key === undefined) return;
      this.runs.delete(key);
      key = undefined;
      this.changed();
    };
    child.started.then((handle) => {
      live.handle = handle;
      void handle.done.finally(forget);
    }, forget);
    return (event) => {
      if (event.type === 'run-started') {
        live.info = {
          runId: event.runId, store: path, pipelineName: event.pipelineName, pipelineFile: event.pipelineFile, startedAt: event.time, debug: false,
          ...(child.parentRunId === undefined ? {} : { parentRunId: child.parentRunId }), ...(child.parentBlock === undefined ? {} : { parentBlock: child.parentBlock }),
        };
        key = `${path}#${event.runId}`;
        this.runs.set(key, live);
        this.changed();
      }
      this.emit(live, event, path);
    };
  }

  private emit(run: LiveRun, event: RunEvent, store: string): void {
    run.replay.add(event);
    for (const client of run.subscribers) {
      if (client.closed) continue;
      if (event.type === 'log-chunk') {
        client.logs.add(event, store);
        continue;
      }
      client.logs.flush();
      try {
        void client.connection.sendNotification(RunEventNotification, { ...event, store });
      } catch {
        // Its socket closed a moment ago; onClose removes it.
      }
    }
  }

  private storeAt(path: string, logCapBytes?: number): RunStore {
    let store = this.stores.get(path);
    // The file was deleted or replaced since it was opened (history wiped by hand): a connection
    // kept to the old file would record new runs where nothing can see them. Runs still going on
    // it (or just ending: their `done` settles a moment after the client saw them finish) finish
    // there; new ones go to the file at the path.
    if (store !== undefined && inodeOf(path) !== this.inodes.get(path)) {
      this.retired.add(store);
      this.closeIfRetired(store);
      store = undefined;
    }
    if (store === undefined) {
      store = openStore(path, { logCapBytes });
      this.stores.set(path, store);
      this.inodes.set(path, inodeOf(path));
    }
    return store;
  }

  private closeIfRetired(store: RunStore | undefined): void {
    if (store === undefined || !this.retired.has(store)) return;
    if ([...this.runs.values()].some((run) => run.store === store)) return;
    this.retired.delete(store);
    store.close();
  }

  private storePath(file: string, store: string | undefined): string {
    return store !== undefined ? resolve(store) : defaultStorePath(dirname(resolve(file)));
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}

/**
 * The runner as a service over a JSON-RPC stream pair (`serve --stdio`). Resolves when the client
 * goes away; its unfinished runs are then cancelled (and recorded so), not left behind.
 */
export async function serveRunner(input: Readable, output: Writable): Promise<void> {
  const service = new RunnerService();
  await service.serve(new StreamMessageReader(input), new StreamMessageWriter(output), { cancelRunsOnClose: true });
  await service.close();
}

/** The file's inode, or undefined when it is not there: a store or socket replaced under the same name has another. */
export function inodeOf(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

function refused(error: unknown): ResponseError<RunRefusedData> {
  if (error instanceof RunRefused) return new ResponseError(RUN_REFUSED, error.message, { problems: error.problems, diagnostics: error.diagnostics });
  const message = error instanceof Error ? error.message : String(error);
  return new ResponseError(RUN_REFUSED, message, { problems: [message], diagnostics: [] });
}
