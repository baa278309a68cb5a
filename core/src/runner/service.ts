import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { defaultStorePath, openStore } from '../store/index.ts';
import type { RunStore } from '../store/types.ts';
import { startRun, type RunHandle } from './engine.ts';
import { holdOutput, releaseOutput } from './launcher.ts';
import type { LogChunkEvent, RunEvent } from './events.ts';
import type { BlockGate } from './gate.ts';
import { planRun } from './plan.ts';
import { RunRefused } from './prepare.ts';
import {
  BeforeBlockRequest, CancelBlockRequest, CancelRunRequest, LogChunkNotification, PlanRequest, RunEventNotification, StartRunRequest,
  type RunRefusedData,
} from './protocol.ts';

/** JSON-RPC error code of a refused run (in the range reserved for applications). */
export const RUN_REFUSED = -32001;
const LOG_FLUSH_MS = 20;
// Small messages: strings (and their JSON) past V8's ~128 KB large-object size are freed only by
// full collections, and at 200 MB of output the service then peaked near 300 MB instead of ~170 MB.
const LOG_FLUSH_BYTES = 32 * 1024;
/**
 * Live output is thinned rather than queued beyond this much unsent data. Queued strings survive
 * young-generation collections, which makes V8 grow the heap: one block printing 200 MB peaked the
 * service at 233–251 MiB RSS with 8 MiB allowed, 160–166 MiB with 2 MiB (1 MiB: no lower, more thinning).
 */
const MAX_BACKLOG_BYTES = 2 * 1024 * 1024;
/** Block output is paused past this much unsent data and resumed once it is down to the second. */
const HOLD_BACKLOG_BYTES = 256 * 1024;
const RESUME_BACKLOG_BYTES = 64 * 1024;
const MAX_HOLD_MS = 1000;

/**
 * The runner as a service over a JSON-RPC stream pair (stdio for `serve --stdio`). Resolves when
 * the client goes away; its unfinished runs are then cancelled (and recorded so), not left behind.
 */
export function serveRunner(input: Readable, output: Writable): Promise<void> {
  const connection = createMessageConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
  const stores = new Map<string, RunStore>();
  const inodes = new Map<string, number | undefined>();
  const runs = new Map<string, RunHandle>();
  const finished: Promise<unknown>[] = [];
  const logs = new LogForwarder(connection);

  const storeAt = (path: string, logCapBytes?: number): RunStore => {
    let store = stores.get(path);
    // The file was deleted or replaced since it was opened (history wiped by hand): a connection
    // kept to the old file would record new runs where nothing can see them. Runs still going on
    // it finish there; new ones go to the file at the path.
    if (store !== undefined && inodeOf(path) !== inodes.get(path) && ![...runs.keys()].some((key) => key.startsWith(`${path}#`))) {
      store.close();
      store = undefined;
    }
    if (store === undefined) {
      store = openStore(path, { logCapBytes });
      stores.set(path, store);
      inodes.set(path, inodeOf(path));
    }
    return store;
  };
  const storePath = (file: string, store: string | undefined): string => (store !== undefined ? resolve(store) : defaultStorePath(dirname(resolve(file))));

  connection.onRequest(StartRunRequest, async (params) => {
    const path = storePath(params.file, params.store);
    let started: RunHandle | undefined;
    let clientLost = false;
    const askClient = (gate: BlockGate): Promise<void> => {
      logs.flush();
      return connection.sendRequest(BeforeBlockRequest, { ...gate, store: path }).then(
        () => undefined,
        () => {
          clientLost = true;
          started?.cancel();
        },
      );
    };
    try {
      const { debug, ...rest } = params;
      const handle = await startRun({
        ...rest,
        beforeBlock: debug === true ? askClient : undefined,
        store: storeAt(path, params.logCapBytes),
        onEvent: (event: RunEvent) => {
          if (event.type === 'log-chunk') logs.add(event, path);
          else {
            logs.flush();
            void connection.sendNotification(RunEventNotification, { ...event, store: path });
          }
        },
      });
      started = handle;
      if (clientLost) handle.cancel();
      const key = `${path}#${handle.runId}`;
      runs.set(key, handle);
      finished.push(handle.done.finally(() => runs.delete(key)));
      return { runId: handle.runId, store: path };
    } catch (error) {
      throw refused(error);
    }
  });
  connection.onRequest(CancelRunRequest, ({ runId, store }) => {
    const handle = runs.get(`${resolve(store)}#${runId}`);
    handle?.cancel();
    return { cancelled: handle !== undefined };
  });
  connection.onRequest(CancelBlockRequest, ({ runId, store, block }) => ({ cancelled: runs.get(`${resolve(store)}#${runId}`)?.cancelBlock(block) ?? false }));
  connection.onRequest(PlanRequest, (params) => {
    try {
      return planRun({ ...params, store: storeAt(storePath(params.file, params.store)) });
    } catch (error) {
      throw refused(error);
    }
  });

  return new Promise((resolveDone) => {
    connection.onClose(() => {
      for (const handle of runs.values()) handle.cancel();
      void Promise.allSettled(finished).then(() => {
        logs.stop();
        for (const store of stores.values()) store.close();
        resolveDone();
      });
    });
    connection.listen();
  });
}

function inodeOf(path: string): number | undefined {
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

/**
 * Merges consecutive log chunks of one block stream (a block printing many short lines would
 * otherwise cost one JSON-RPC message each) and thins live output when the client falls behind.
 */
class LogForwarder {
  private pending: (LogChunkEvent & { store: string })[] = [];
  private pendingBytes = 0;
  private skipped = new Map<string, { event: LogChunkEvent & { store: string }; bytes: number }>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly connection: MessageConnection;

  constructor(connection: MessageConnection) {
    this.connection = connection;
  }

  add(event: LogChunkEvent, store: string): void {
    if (this.inFlight + this.pendingBytes > MAX_BACKLOG_BYTES) {
      const key = `${store}#${event.runId}#${event.block}#${event.attempt}`;
      const seen = this.skipped.get(key);
      if (seen === undefined) this.skipped.set(key, { event: { ...event, store }, bytes: event.text.length });
      else seen.bytes += event.text.length;
      return;
    }
    const last = this.pending[this.pending.length - 1];
    if (last !== undefined && last.store === store && last.runId === event.runId && last.block === event.block && last.attempt === event.attempt && last.stream === event.stream) {
      last.text += event.text;
    } else {
      this.pending.push({ ...event, store });
    }
    this.pendingBytes += event.text.length;
    if (this.pendingBytes >= LOG_FLUSH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), LOG_FLUSH_MS);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const { event, bytes } of this.skipped.values()) {
      this.pending.push({ ...event, stream: 'system', text: `\n[${bytes} characters of live output skipped because the client fell behind; the stored log has them]\n` });
    }
    this.skipped.clear();
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const event of batch) {
      // vscode-jsonrpc queues messages until the stream has taken the previous one, so the stream's
      // own buffer stays small while the queue grows: count what has been sent but not yet written.
      const bytes = event.text.length;
      this.inFlight += bytes;
      const sent = (): void => {
        this.inFlight -= bytes;
        if (this.inFlight <= RESUME_BACKLOG_BYTES) this.release();
      };
      void this.connection.sendNotification(LogChunkNotification, event).then(sent, sent);
    }
    // Stop reading block output before the backlog reaches the thinning limit; thinning is then
    // left for a client that does not read at all.
    if (this.inFlight > HOLD_BACKLOG_BYTES && this.holdTimer === undefined) {
      holdOutput(this);
      // A client that stops reading must not stall the blocks: after a while, let output flow and be thinned.
      this.holdTimer = setTimeout(() => releaseOutput(this), MAX_HOLD_MS);
      this.holdTimer.unref();
    }
  }

  private release(): void {
    if (this.holdTimer !== undefined) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    releaseOutput(this);
  }

  stop(): void {
    this.flush();
    this.release();
  }
}
