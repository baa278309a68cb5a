import type { ChildRunWatcher } from './childRuns.ts';
import { listenForControl, type ControlListener } from './controlSocket.ts';
import type { RunHandle } from './engine.ts';

/**
 * The control channels of the runs a CLI process owns: one control socket per run, for a run, each
 * run of a `--for-each` batch, and every sub-pipeline child run below them, so that `pause`,
 * `resume`, `cancel`, `approve` and `reject` from another terminal reach each by its own number.
 * A channel closes when its run ends.
 */
export class ControlChannels {
  private readonly storePath: string;
  private readonly onError: (runId: number, message: string) => void;
  private readonly open = new Set<Promise<ControlListener | undefined>>();

  constructor(storePath: string, onError: (runId: number, message: string) => void) {
    this.storePath = storePath;
    this.onError = onError;
  }

  /** Listens for the run's control requests until it ends; resolves once it listens (or could not). */
  async add(handle: RunHandle): Promise<void> {
    const listening = listenForControl(this.storePath, handle).catch((error: unknown) => {
      this.onError(handle.runId, error instanceof Error ? error.message : String(error));
      return undefined;
    });
    this.open.add(listening);
    const listener = await listening;
    void handle.done.finally(async () => {
      await listener?.close();
      this.open.delete(listening);
    });
  }

  /** For startRun's `onChildRun`: each child run gets its channel as it starts. */
  readonly watchChildren: ChildRunWatcher = (child) => {
    child.started.then((handle) => this.add(handle), () => undefined);
    return undefined;
  };

  /** Closes the channels still open (their runs have ended, or the process is leaving). */
  async close(): Promise<void> {
    const listeners = await Promise.all([...this.open]);
    this.open.clear();
    await Promise.all(listeners.flatMap((l) => (l === undefined ? [] : [l.close()])));
  }
}
