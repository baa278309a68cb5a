import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * Follows a file another machine (slurmd) appends to: each `read` returns what was added since the
 * last one, decoded as UTF-8 without splitting a character. A file that does not exist yet reads
 * as empty (the job has not started writing).
 */
export class FileTail {
  private offset = 0;
  private readonly decoder = new StringDecoder('utf8');
  private readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  read(): string {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return '';
    }
    try {
      const chunks: string[] = [];
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        chunks.push(this.decoder.write(buffer.subarray(0, n)));
      }
      return chunks.join('');
    } finally {
      closeSync(fd);
    }
  }

  /** The rest, including an incomplete character at the very end. */
  finish(): string {
    return this.read() + this.decoder.end();
  }
}
