import { ByteRing } from './byteRing.ts';
import type { LogChunk, LogWriter } from './types.ts';

/** What a log writer needs from the store: one write transaction and four statements. */
export interface LogSink {
  transaction(fn: () => void): void;
  insertChunk(blockRunId: number, seq: number, stream: LogChunk['stream'], time: number, text: string): void;
  /** Deletes the block run's chunks with afterSeq < seq <= uptoSeq. */
  deleteChunks(blockRunId: number, afterSeq: number, uptoSeq: number): void;
  /** Records the dropped total on the block run and (re)writes the marker chunk between head and tail. */
  recordDropped(blockRunId: number, droppedBytes: number, markerSeq: number, markerText: string, time: number): void;
}

export const FLUSH_INTERVAL_MS = 50;
export const FLUSH_BYTES = 256 * 1024;
// Once output is being dropped, the ring absorbs bursts and the store is refreshed less often, so
// a block printing hundreds of MB/s costs a few MB of SQLite writes a second, not all of it.
const TAIL_FLUSH_INTERVAL_MS = 250;
const RETRY_DELAY_MS = 1000;
// Chunks in the tail are at most this many bytes, so the stored tail can be trimmed finely.
const TAIL_PIECE_BYTES = 64 * 1024;
// Consecutive writes to one stream within a batch share a row, up to this size.
const COALESCE_BYTES = 64 * 1024;
// One write transaction stores at most this much (at least one row): other processes writing the
// store wait for the lock at most one such batch, however much output has piled up. A flush with
// more to store commits several batches.
export const BATCH_BYTES = 256 * 1024;
// Rows, not bytes, bound a batch of many tiny chunks (output alternating between stdout and stderr).
export const BATCH_ROWS = 256;

interface Piece {
  stream: LogChunk['stream'];
  time: number;
  text: string;
  bytes: number;
}

/**
 * Batches a block run's output into the store and caps it: the first cap/2 bytes are kept as they
 * come, then a byte ring keeps the latest cap/2 between flushes, the stored tail is trimmed from the
 * front, and a marker chunk between head and tail says how much was dropped. Memory stays below about
 * cap/2 + FLUSH_BYTES whatever the block prints. write() never throws (the block's output must keep
 * flowing); a failed flush is retried, and reported by flush()/close().
 */
export class CappedLogWriter implements LogWriter {
  totalBytes = 0;
  droppedBytes = 0;
  private readonly half: number;
  private headLeft: number;
  private readonly head: Piece[] = [];
  private headPendingBytes = 0;
  /** Tail output not yet stored. */
  private readonly ring: ByteRing;
  /** Tail rows already stored, oldest first: [seq, bytes]. */
  private storedTail: [number, number][] = [];
  private storedTailStart = 0;
  private storedTailBytes = 0;
  private markerSeq: number | undefined;
  private recordedDropped = 0;
  private lastFlushAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastError: unknown;
  /** After a failed flush (say, the store locked by another process), automatic flushes wait until then. */
  private retryAfter = 0;

  private readonly sink: LogSink;
  private readonly blockRunId: number;
  private nextSeq: number;
  private readonly onClose: () => void;

  constructor(sink: LogSink, blockRunId: number, capBytes: number, nextSeq: number, onClose: () => void) {
    this.sink = sink;
    this.blockRunId = blockRunId;
    this.nextSeq = nextSeq;
    this.onClose = onClose;
    this.half = Math.max(4, Math.floor(capBytes / 2));
    this.headLeft = this.half;
    this.ring = new ByteRing(this.half);
  }

  write(stream: LogChunk['stream'], text: string): void {
    if (this.closed || text.length === 0) return;
    const time = Date.now();
    let bytes = Buffer.byteLength(text);
    this.totalBytes += bytes;
    if (this.headLeft > 0) {
      if (bytes <= this.headLeft) {
        this.headLeft -= bytes;
        this.headPendingBytes += bytes;
        append(this.head, stream, time, text, bytes);
        this.schedule(time);
        return;
      }
      const [first, rest] = splitAtByte(text, this.headLeft);
      const firstBytes = Buffer.byteLength(first);
      if (firstBytes > 0) append(this.head, stream, time, first, firstBytes);
      this.headPendingBytes += firstBytes;
      this.headLeft = 0;
      text = rest;
      bytes -= firstBytes;
    }
    this.appendTail(stream, time, text, bytes);
    this.schedule(time);
  }

  flush(): void {
    this.flushNow();
  }

  close(): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      this.flushNow();
    } finally {
      this.closed = true;
      this.onClose();
    }
  }

  private appendTail(stream: LogChunk['stream'], time: number, text: string, bytes: number): void {
    this.droppedBytes += this.ring.append(stream, time, text, bytes);
  }

  private schedule(now: number): void {
    const inHead = this.headLeft > 0;
    const interval = inHead ? FLUSH_INTERVAL_MS : TAIL_FLUSH_INTERVAL_MS;
    const due = now - this.lastFlushAt >= interval || (inHead && this.headPendingBytes >= FLUSH_BYTES);
    if (due && now >= this.retryAfter) this.flushQuietly();
    if (this.timer === undefined && this.hasPending()) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flushQuietly();
        // Still pending (the flush failed): keep trying, so that output is not left unstored while the block is quiet.
        if (this.hasPending() && !this.closed) this.schedule(Date.now());
      }, Math.max(interval, this.retryAfter - now));
      // A pending flush must not keep a finished CLI alive; close() flushes what is left.
      this.timer.unref();
    }
  }

  private hasPending(): boolean {
    return this.head.length > 0 || this.ring.size > 0 || this.droppedBytes !== this.recordedDropped;
  }

  private flushQuietly(): void {
    try {
      this.flushNow();
    } catch (error) {
      this.lastError = error;
      // A failed attempt waited out the stall period (the store is stuck); do not block the event loop again on every chunk.
      this.retryAfter = Date.now() + RETRY_DELAY_MS;
    }
  }

  private flushNow(): void {
    if (!this.hasPending()) {
      if (this.lastError !== undefined) {
        const error = this.lastError;
        this.lastError = undefined;
        throw error instanceof Error ? error : new Error('Storing the log failed.', { cause: error });
      }
      return;
    }
    while (this.hasPending()) this.flushBatch();
    this.lastError = undefined;
  }

  /** Stores one bounded batch (BATCH_BYTES, BATCH_ROWS) in one transaction: the head first, then the tail. */
  private flushBatch(): void {
    const now = Date.now();
    let seq = this.nextSeq;
    let headCount = 0;
    let batchBytes = 0;
    while (headCount < this.head.length && headCount < BATCH_ROWS) {
      const bytes = (this.head[headCount] as Piece).bytes;
      if (headCount > 0 && batchBytes + bytes > BATCH_BYTES) break;
      batchBytes += bytes;
      headCount++;
    }
    const rows: [number, Piece][] = this.head.slice(0, headCount).map((piece) => [seq++, piece]);
    // The marker and the tail come after every head row, so they wait until the head is stored.
    const headStored = headCount === this.head.length;
    const enteringTail = headStored && this.headLeft === 0 && this.markerSeq === undefined;
    const markerSeq = enteringTail ? seq++ : this.markerSeq;
    const { pieces, skipped, consumed } = headStored && (headCount === 0 || batchBytes < BATCH_BYTES)
      ? this.ring.pieces(TAIL_PIECE_BYTES, BATCH_BYTES - batchBytes, BATCH_ROWS - headCount)
      : { pieces: [], skipped: 0, consumed: 0 };
    const tailRows = pieces.map((piece): [number, Piece] => [seq++, piece]);

    // Which stored tail rows the new ones push out (whole rows, oldest first).
    let tailBytes = this.storedTailBytes + pieces.reduce((n, p) => n + p.bytes, 0);
    let deleteUpTo = 0;
    let deletedBytes = 0;
    let keepFrom = this.storedTailStart;
    while (tailBytes > this.half && keepFrom < this.storedTail.length) {
      const [rowSeq, rowBytes] = this.storedTail[keepFrom] as [number, number];
      tailBytes -= rowBytes;
      deletedBytes += rowBytes;
      deleteUpTo = rowSeq;
      keepFrom++;
    }
    const dropped = this.droppedBytes + deletedBytes + skipped;

    this.sink.transaction(() => {
      for (const [rowSeq, piece] of rows) this.sink.insertChunk(this.blockRunId, rowSeq, piece.stream, piece.time, piece.text);
      for (const [rowSeq, piece] of tailRows) this.sink.insertChunk(this.blockRunId, rowSeq, piece.stream, piece.time, piece.text);
      if (deleteUpTo > 0 && markerSeq !== undefined) this.sink.deleteChunks(this.blockRunId, markerSeq, deleteUpTo);
      if (dropped !== this.recordedDropped && markerSeq !== undefined) {
        this.sink.recordDropped(this.blockRunId, dropped, markerSeq, droppedMarker(dropped, this.half), now);
      }
    });

    // Committed: only now does the in-memory state move on, so a failed batch can be retried.
    this.nextSeq = seq;
    this.markerSeq = markerSeq;
    this.head.splice(0, headCount);
    this.headPendingBytes = this.head.reduce((n, p) => n + p.bytes, 0);
    for (const [rowSeq, piece] of tailRows) this.storedTail.push([rowSeq, piece.bytes]);
    this.storedTailStart = keepFrom;
    this.storedTailBytes = tailBytes;
    if (this.storedTailStart > 1024 && this.storedTailStart * 2 > this.storedTail.length) {
      this.storedTail = this.storedTail.slice(this.storedTailStart);
      this.storedTailStart = 0;
    }
    this.ring.dropFront(consumed);
    if (markerSeq !== undefined) {
      this.droppedBytes = dropped;
      this.recordedDropped = dropped;
    }
    this.lastFlushAt = now;
  }
}

function append(pieces: Piece[], stream: LogChunk['stream'], time: number, text: string, bytes: number): void {
  // A big write becomes several rows, so that a batch can stop between them.
  while (bytes > COALESCE_BYTES) {
    const [first, rest] = splitAtByte(text, COALESCE_BYTES);
    const firstBytes = Buffer.byteLength(first);
    if (firstBytes === 0) break;
    pieces.push({ stream, time, text: first, bytes: firstBytes });
    text = rest;
    bytes -= firstBytes;
  }
  const last = pieces[pieces.length - 1];
  if (last !== undefined && last.stream === stream && last.bytes + bytes <= COALESCE_BYTES) {
    last.text += text;
    last.bytes += bytes;
  } else {
    pieces.push({ stream, time, text, bytes });
  }
}

function droppedMarker(bytes: number, half: number): string {
  return `\n[… ${formatBytes(bytes)} of output dropped here: the stored log keeps the first and the last ${formatBytes(half)} …]\n`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

function isAscii(text: string): boolean {
  // Every non-ASCII UTF-16 unit takes two or more UTF-8 bytes, so equal lengths mean pure ASCII.
  return Buffer.byteLength(text) === text.length;
}

/** The text cut before byte n, backing off to a character boundary; and the rest. */
export function splitAtByte(text: string, n: number): [string, string] {
  if (isAscii(text)) return [text.slice(0, n), text.slice(n)];
  const buffer = Buffer.from(text);
  let at = Math.min(n, buffer.length);
  while (at > 0 && ((buffer[at] ?? 0) & 0xc0) === 0x80) at--;
  return [buffer.subarray(0, at).toString(), buffer.subarray(at).toString()];
}
