/**
 * Cleans a stream of block output before it is stored. A stored log is replayed later into
 * terminals and editors, so it must not be able to drive them: colours (SGR, `ESC[…m`) stay, every
 * other escape sequence (OSC titles and hyperlinks, cursor movement, screen clearing, device
 * queries), other control characters and the bidirectional-text controls used to disguise text
 * ("Trojan Source") go. A lone `\r` becomes a line break, so progress bars stay readable instead of
 * overwriting each other. Listeners that show output live get the raw chunks, not these.
 *
 * Streaming: an escape sequence may be split across chunks, so an unfinished one is held back
 * until the next chunk (bounded: an absurdly long one is dropped).
 */

// Anything the slow path would change; most chunks have none and pass through untouched.
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const BIDI = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);
const ESC = 0x1b;
const MAX_PENDING = 4096;

export class LogSanitizer {
  private pending = '';
  /** Inside an OSC/DCS/APC/PM/SOS string, which is dropped up to its terminator. */
  private inString = false;

  write(chunk: string): string {
    if (this.pending === '' && !this.inString && !SUSPECT.test(chunk)) return chunk;
    const text = this.pending + chunk;
    this.pending = '';
    return this.clean(text);
  }

  /** At the end of the stream: whatever is held back is an unfinished sequence, dropped. */
  end(): string {
    const rest = this.pending === '\r' ? '\n' : '';
    this.pending = '';
    this.inString = false;
    return rest;
  }

  private clean(s: string): string {
    const out: string[] = [];
    let start = 0;
    let i = 0;
    const n = s.length;
    if (this.inString) {
      const end = stringEnd(s, 0);
      if (end === -1) return this.holdString(s);
      this.inString = false;
      i = start = end;
    }
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0x7f) {
        i++;
        continue;
      }
      if (c === 0x0a || c === 0x09 || (c >= 0xa0 && !BIDI.has(c))) {
        i++;
        continue;
      }
      out.push(s.slice(start, i));
      if (c === 0x0d) {
        if (i + 1 >= n) {
          this.pending = '\r';
          return out.join('');
        }
        if (s.charCodeAt(i + 1) !== 0x0a) out.push('\n');
        start = i = i + 1;
        continue;
      }
      if (c !== ESC) {
        start = i = i + 1;
        continue;
      }
      // An escape sequence: find where it ends, keep it only if it is SGR.
      if (i + 1 >= n) return this.hold(out, s, i);
      const kind = s.charCodeAt(i + 1);
      if (kind === 0x5b /* [ */) {
        let j = i + 2;
        while (j < n && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x3f) j++;
        const paramsEnd = j;
        while (j < n && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
        if (j >= n) return this.hold(out, s, i);
        const final = s.charCodeAt(j);
        if (final < 0x40 || final > 0x7e) {
          // Malformed: drop the introducer and read on from the odd character.
          start = i = j;
          continue;
        }
        if (final === 0x6d /* m */ && paramsEnd === j && /^[0-9;:]*$/.test(s.slice(i + 2, paramsEnd))) out.push(s.slice(i, j + 1));
        start = i = j + 1;
        continue;
      }
      if (kind === 0x5d /* ] */ || kind === 0x50 /* P */ || kind === 0x58 /* X */ || kind === 0x5e /* ^ */ || kind === 0x5f /* _ */) {
        const end = stringEnd(s, i + 2);
        if (end === -1) {
          this.holdString(s);
          return out.join('');
        }
        start = i = end;
        continue;
      }
      // ESC, intermediates, one final character (`ESC 7`, `ESC ( B`, `ESC c`, …).
      let j = i + 1;
      while (j < n && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
      if (j >= n) return this.hold(out, s, i);
      start = i = s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x7e ? j + 1 : j;
    }
    out.push(s.slice(start, n));
    return out.join('');
  }

  /** Keeps an unfinished sequence for the next chunk, unless it is already too long to be real. */
  private hold(out: string[], s: string, from: number): string {
    this.pending = s.length - from <= MAX_PENDING ? s.slice(from) : '';
    return out.join('');
  }

  private holdString(s: string): string {
    // Only the tail matters: it may hold the first half of a split `ESC \` terminator.
    this.inString = true;
    this.pending = s.charCodeAt(s.length - 1) === ESC ? '\x1b' : '';
    return '';
  }
}

/** After an OSC/DCS/… introducer: the index just past its BEL or `ESC \` terminator, or -1. */
function stringEnd(s: string, from: number): number {
  for (let j = from; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x07 || c === 0x9c) return j + 1;
    if (c === ESC && s.charCodeAt(j + 1) === 0x5c) return j + 2;
  }
  return -1;
}

/** Cleans a whole text at once. */
export function sanitizeLog(text: string): string {
  const sanitizer = new LogSanitizer();
  return sanitizer.write(text) + sanitizer.end();
}
