import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface StoreWatcherOptions {
  /** Calls are at most this far apart while writes continue, and come this long after the first write. */
  delayMs?: number;
  /** How often to look for the store's folder while it does not exist. */
  pollMs?: number;
}

/**
 * Calls `onChange` when another connection (the CLI, the run service, another window) writes the
 * store: SQLite in WAL mode appends to `runs.sqlite-wal` and checkpoints into `runs.sqlite`, so the
 * folder is watched for those two names. Writes come in bursts (a block's log every ~50 ms), so
 * calls are throttled: one per `delayMs` however many writes, and never a call per log chunk.
 * The folder may not exist yet (no run so far), or be deleted; then it is looked for every `pollMs`.
 */
export class StoreWatcher {
  private readonly folder: string;
  private readonly names: ReadonlySet<string>;
  private readonly delayMs: number;
  private readonly pollMs: number;
  private readonly onChange: () => void;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(storePath: string, onChange: () => void, options: StoreWatcherOptions = {}) {
    this.folder = dirname(storePath);
    const name = basename(storePath);
    this.names = new Set([name, `${name}-wal`]);
    this.onChange = onChange;
    this.delayMs = options.delayMs ?? 300;
    this.pollMs = options.pollMs ?? 2000;
    this.start();
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.close();
    this.watcher = undefined;
    clearTimeout(this.timer);
    clearInterval(this.poller);
  }

  private start(): void {
    if (this.disposed) return;
    try {
      this.watcher = watch(this.folder, { persistent: false }, (_event, file) => {
        // Some platforms omit the name; then any change in the folder counts.
        if (file === null || this.names.has(String(file))) this.schedule();
      });
      this.watcher.on('error', () => this.lost());
      clearInterval(this.poller);
      this.poller = undefined;
    } catch {
      this.lost();
    }
  }

  /** The folder is gone (or was never there): look for it until it comes back, then report a change. */
  private lost(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.disposed || this.poller !== undefined) return;
    this.poller = setInterval(() => {
      if (!existsSync(this.folder)) return;
      this.start();
      this.schedule();
    }, this.pollMs);
    this.poller.unref();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!existsSync(this.folder)) this.lost();
      this.onChange();
    }, this.delayMs);
    this.timer.unref();
  }
}
