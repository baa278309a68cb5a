import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface StoreWatcherOptions {
  /** How often to look for the store's folder while it does not exist. */
  pollMs?: number;
}

/**
 * Calls `onChange` when another connection (the CLI, the run service, another window) writes the
 * store: SQLite in WAL mode appends to `runs.sqlite-wal` and checkpoints into `runs.sqlite`, so the
 * folder is watched for those two names. Every write is reported: the run-state hub that owns the
 * watcher merges them (one change per store per merge window, never one per log chunk).
 * The folder may not exist yet (no run so far), or be deleted (history wiped by hand); then it is
 * looked for every `pollMs`, and its reappearance is reported as a change.
 */
export class StoreWatcher {
  private readonly folder: string;
  private readonly names: ReadonlySet<string>;
  private readonly pollMs: number;
  private readonly onChange: () => void;
  private watcher: FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(storePath: string, onChange: () => void, options: StoreWatcherOptions = {}) {
    this.folder = dirname(storePath);
    const name = basename(storePath);
    this.names = new Set([name, `${name}-wal`]);
    this.onChange = onChange;
    this.pollMs = options.pollMs ?? 2000;
    this.start();
  }

  /**
   * Called after a burst of changes: a deleted folder does not always make fs.watch fail (the
   * watch of a removed inode just goes quiet), so its absence is checked here, not per event.
   */
  recheck(): void {
    if (!this.disposed && this.watcher !== undefined && !existsSync(this.folder)) this.lost();
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.close();
    this.watcher = undefined;
    clearInterval(this.poller);
  }

  private start(): void {
    if (this.disposed) return;
    try {
      this.watcher = watch(this.folder, { persistent: false }, (_event, file) => {
        // Some platforms omit the name; then any change in the folder counts.
        if (file === null || this.names.has(String(file))) this.onChange();
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
      this.onChange();
    }, this.pollMs);
    this.poller.unref();
  }
}
