import type { LogChunk } from './types.ts';

export interface RingPiece {
  stream: LogChunk['stream'];
  time: number;
  text: string;
  bytes: number;
}

interface Segment {
  stream: LogChunk['stream'];
  time: number;
  /** Absolute offset of its first byte; it runs to the next segment's `from`, or to the ring's end. */
  from: number;
}

/**
 * The latest `capacity` bytes of a stream of text, UTF-8 encoded into one preallocated buffer.
 * Copying into bytes (rather than keeping the strings) lets each written string die young: strings
 * held for a while get promoted to V8's old space, and dropping them then costs far more memory
 * than the buffer (measured: +45 MiB peak RSS over 200 MB of output).
 */
export class ByteRing {
  readonly capacity: number;
  private buffer: Buffer | undefined;
  /** Absolute offsets (bytes ever written): the ring holds [start, end). */
  private start = 0;
  private end = 0;
  private segments: Segment[] = [];

  constructor(capacity: number) {
    this.capacity = Math.max(4, capacity);
  }

  get size(): number {
    return this.end - this.start;
  }

  /** Appends text (whose UTF-8 length is `bytes`); returns how many older bytes fell out. */
  append(stream: LogChunk['stream'], time: number, text: string, bytes: number): number {
    if (bytes === 0) return 0;
    const before = this.start;
    const buffer = (this.buffer ??= Buffer.allocUnsafe(this.capacity));
    let encoded: Buffer | undefined;
    if (bytes > this.capacity) {
      // Only its end can fit: skip the rest (whole characters are sorted out when read back).
      encoded = Buffer.from(text).subarray(bytes - this.capacity);
      this.start = this.end;
      this.segments = [];
    }
    const last = this.segments[this.segments.length - 1];
    if (last?.stream !== stream || this.size === 0) this.segments.push({ stream, time, from: this.end });
    const length = encoded?.length ?? bytes;
    const at = this.end % this.capacity;
    if (encoded === undefined && at + length <= this.capacity) {
      buffer.write(text, at, 'utf8');
    } else {
      encoded ??= Buffer.from(text);
      const first = Math.min(length, this.capacity - at);
      encoded.copy(buffer, at, 0, first);
      encoded.copy(buffer, 0, first);
    }
    this.end += length;
    if (this.size > this.capacity) this.start = this.end - this.capacity;
    while (this.segments.length > 1 && (this.segments[1]?.from ?? Infinity) <= this.start) this.segments.shift();
    const first = this.segments[0];
    if (first !== undefined && first.from < this.start) first.from = this.start;
    return bytes - length + (this.start - before);
  }

  /**
   * The content from the oldest byte as pieces of at most maxPieceBytes, cut at character boundaries,
   * stopping before maxBytes or maxPieces would be exceeded (but giving at least one piece). `skipped`
   * counts bytes of a character whose beginning fell out of the ring (they cannot be decoded);
   * `consumed` is how many bytes from the start the pieces and the skipped bytes cover (see dropFront).
   */
  pieces(maxPieceBytes: number, maxBytes = Infinity, maxPieces = Infinity): { pieces: RingPiece[]; skipped: number; consumed: number } {
    const pieces: RingPiece[] = [];
    let skipped = 0;
    let consumed = 0;
    let bytes = 0;
    for (const [i, segment] of this.segments.entries()) {
      const to = this.segments[i + 1]?.from ?? this.end;
      let at = segment.from;
      if (i === 0) {
        while (at < to && isContinuation(this.byteAt(at))) at++;
        skipped = at - segment.from;
        consumed = at - this.start;
      }
      while (at < to) {
        let cut = Math.min(to, at + maxPieceBytes);
        while (cut < to && cut > at + 1 && isContinuation(this.byteAt(cut))) cut--;
        if (pieces.length > 0 && (pieces.length >= maxPieces || bytes + cut - at > maxBytes)) return { pieces, skipped, consumed };
        pieces.push({ stream: segment.stream, time: segment.time, text: this.decode(at, cut), bytes: cut - at });
        bytes += cut - at;
        consumed += cut - at;
        at = cut;
      }
    }
    return { pieces, skipped, consumed };
  }

  /** Forgets the oldest `bytes` bytes (what a stored batch of pieces() covered). */
  dropFront(bytes: number): void {
    this.start = Math.min(this.end, this.start + bytes);
    if (this.size === 0) {
      this.clear();
      return;
    }
    while (this.segments.length > 1 && (this.segments[1]?.from ?? Infinity) <= this.start) this.segments.shift();
    const first = this.segments[0];
    if (first !== undefined && first.from < this.start) first.from = this.start;
  }

  clear(): void {
    this.start = this.end;
    this.segments = [];
  }

  private byteAt(offset: number): number | undefined {
    return this.buffer?.[offset % this.capacity];
  }

  /** Decodes [from, to); only a piece that straddles the wrap point is copied first. */
  private decode(from: number, to: number): string {
    const buffer = this.buffer ?? Buffer.alloc(0);
    const a = from % this.capacity;
    const length = to - from;
    if (a + length <= this.capacity) return buffer.toString('utf8', a, a + length);
    return Buffer.concat([buffer.subarray(a), buffer.subarray(0, length - (this.capacity - a))]).toString('utf8');
  }
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}
