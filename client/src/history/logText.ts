// Turns stored block output into plain text for the log document. Stored logs keep colour codes
// (SGR) for terminals; an editor document would show them as garbage, so every escape sequence goes.

/* eslint-disable no-control-regex -- matching control characters is the point here. */
const SEQUENCE_SOURCE = [
  '\\x1b\\[[0-?]*[ -/]*[@-~]', // CSI: colours, cursor moves, erases
  '\\x9b[0-?]*[ -/]*[@-~]', // the same, 8-bit form
  '\\x1b\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\)', // OSC: titles, hyperlinks
  '\\x1b[PX^_][^\\x1b]*\\x1b\\\\', // DCS, SOS, PM, APC strings
  '\\x1b[()*+\\-./#%][\\s\\S]', // charset designations
  '\\x1b[0-?@-OQ-WYZ\\\\`-~]', // two-character escapes (not the openers of the strings above)
].join('|');
const SEQUENCES = new RegExp(SEQUENCE_SOURCE, 'g');
const SEQUENCE_AT_START = new RegExp(`^(?:${SEQUENCE_SOURCE})`);
// Other control characters; tab and newline stay.
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;

/** An escape longer than this without an end is not waited for: it is dropped as garbage. */
const MAX_PENDING = 4096;
const ESCAPE_CHARS = /[\x1b\x9b]/g;
/* eslint-enable no-control-regex */

/**
 * Strips escape sequences from text that arrives in chunks: a sequence (or a `\r\n`) split between
 * two chunks is held back until its end arrives, so no half sequence ever reaches the document.
 */
export class AnsiStripper {
  private pending = '';

  push(chunk: string): string {
    let text = this.pending + chunk;
    this.pending = '';
    const escape = Math.max(text.lastIndexOf('\x1b'), text.lastIndexOf('\x9b'));
    if (escape >= 0) {
      const tail = text.slice(escape);
      if (!SEQUENCE_AT_START.test(tail) && tail.length <= MAX_PENDING) {
        this.pending = tail;
        text = text.slice(0, escape);
      }
    }
    if (text.endsWith('\r')) {
      this.pending = `\r${this.pending}`;
      text = text.slice(0, -1);
    }
    return clean(text);
  }

  /** The rest, once no more output will come. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return clean(rest);
  }
}

export function stripAnsi(text: string): string {
  const stripper = new AnsiStripper();
  return stripper.push(text) + stripper.flush();
}

function clean(text: string): string {
  // A lone \r (progress bars) rewrites the line in a terminal; in a document it becomes a line break.
  return text.replace(SEQUENCES, '').replace(/\r\n?/g, '\n').replace(ESCAPE_CHARS, '').replace(CONTROLS, '');
}
