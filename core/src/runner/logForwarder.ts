import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { LogChunkEvent } from './events.ts';
import { holdOutput, releaseOutput } from './launcher.ts';
import { LogChunkNotification } from './protocol.ts';

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
 * Merges consecutive log chunks of one block stream (a block printing many short lines would
 * otherwise cost one JSON-RPC message each) and thins live output when the client falls behind.
 */
export class LogForwarder {
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
      try {
        void this.connection.sendNotification(LogChunkNotification, event).then(sent, sent);
      } catch {
        // The client has gone (its socket closed before the service noticed): nothing to send to.
        sent();
      }
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
