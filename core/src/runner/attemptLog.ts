import type { LogChunk, LogWriter } from '../store/types.ts';

/**
 * An attempt's stored log, opened on its first output. Most blocks of a large fan-out print
 * nothing, and opening a log costs two store queries; an attempt that prints nothing leaves no log
 * rows either way. A store that cannot open the log is reported by `open` (the run's store error)
 * and the output is then not stored, as before.
 */
export class AttemptLog {
  private writer: LogWriter | undefined;
  private opened = false;
  private readonly open: () => LogWriter | undefined;

  constructor(open: () => LogWriter | undefined) {
    this.open = open;
  }

  write(stream: LogChunk['stream'], text: string): void {
    if (text.length === 0) return;
    if (!this.opened) {
      this.opened = true;
      this.writer = this.open();
    }
    this.writer?.write(stream, text);
  }

  close(): void {
    this.writer?.close();
  }
}
