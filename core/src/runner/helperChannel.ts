import type { ChildProcess } from 'node:child_process';
import type { LaunchHandlers } from './launcher.ts';
import type { ShellCommand } from './shells.ts';

/** What the launcher's pool needs of a helper process, Node or native. */
export interface HelperProcess {
  readonly load: number;
  readonly usable: boolean;
  launch(command: ShellCommand, cwd: string, env: Record<string, string>, handlers: LaunchHandlers): boolean;
  prestart(): void;
  watch(pid: number, outputFile: string | undefined): boolean;
  unwatch(pid: number): void;
}

/** What a channel keeps of a launch in flight; a subclass adds its own state (decoders, flags). */
export interface LiveLaunch {
  handlers: LaunchHandlers;
}

/**
 * The life of one launch helper process, shared by the Node helper (launcher.ts) and the native one
 * (nativeLauncher.ts): started on first use, idle it does not keep the engine alive, its output
 * paused while the engine's readers are behind, and when it dies every launch in flight fails.
 * A subclass says only how the helper is spawned and how messages are framed both ways.
 */
export abstract class HelperChannel<Live extends LiveLaunch, Chunk extends Buffer | string> implements HelperProcess {
  private child: ChildProcess | undefined;
  private broken = false;
  private readonly onLost: () => void;
  private readonly throttle: (stream: NodeJS.ReadableStream) => void;
  private nextId = 1;
  private outgoing = '';
  private sending = false;
  protected readonly live = new Map<number, Live>();

  constructor(onLost: () => void, throttle: (stream: NodeJS.ReadableStream) => void) {
    this.onLost = onLost;
    this.throttle = throttle;
  }

  /** Spawns the helper process (stdin and stdout piped); may throw. Sets the stdout encoding the framing reads. */
  protected abstract start(): ChildProcess;
  /** What is kept of a new launch. */
  protected abstract track(handlers: LaunchHandlers): Live;
  protected abstract startRequest(id: number, command: ShellCommand, cwd: string, env: Record<string, string>): string;
  protected abstract watchRequest(pid: number, outputFile: string | undefined): string;
  protected abstract unwatchRequest(pid: number): string;
  /** Output of the helper as it arrives; calls `live` handlers and `forget`. */
  protected abstract receive(chunk: Chunk): void;

  /** Launches in flight (requested, not yet closed). */
  get load(): number {
    return this.live.size;
  }

  get usable(): boolean {
    return !this.broken;
  }

  /** False when the helper is not running and cannot be started: the caller spawns some other way. */
  launch(command: ShellCommand, cwd: string, env: Record<string, string>, handlers: LaunchHandlers): boolean {
    const child = this.ensure();
    if (child?.stdin == null) return false;
    const id = this.nextId++;
    this.live.set(id, this.track(handlers));
    if (this.live.size === 1) this.hold(true);
    this.send(child.stdin, this.startRequest(id, command, cwd, env));
    return true;
  }

  /**
   * Requests made in one turn of the engine (the blocks a pump starts, the next item a slot frees
   * for) are written together, at the end of that turn (a microtask: before the event loop goes
   * on), so the helper wakes once for them and reads them in one go, not once per block.
   */
  private send(stdin: NodeJS.WritableStream, request: string): void {
    this.outgoing += request;
    if (this.sending) return;
    this.sending = true;
    queueMicrotask(() => {
      this.sending = false;
      const batch = this.outgoing;
      this.outgoing = '';
      stdin.write(batch);
    });
  }

  /** Starts the process ahead of the first launch, so that its start-up overlaps the engine's. */
  prestart(): void {
    this.ensure();
  }

  /** Supervises a block this process spawned (its group, and its run folder); false when the helper cannot run. */
  watch(pid: number, outputFile: string | undefined): boolean {
    const stdin = this.ensure()?.stdin;
    if (stdin == null) return false;
    this.send(stdin, this.watchRequest(pid, outputFile));
    return true;
  }

  unwatch(pid: number): void {
    const stdin = this.child?.stdin;
    if (stdin != null) this.send(stdin, this.unwatchRequest(pid));
  }

  private ensure(): ChildProcess | undefined {
    if (this.broken) return undefined;
    if (this.child !== undefined) return this.child;
    let child: ChildProcess;
    try {
      child = this.start();
    } catch {
      this.broken = true;
      this.onLost();
      return undefined;
    }
    if (child.pid === undefined || child.stdout === null || child.stdin === null) {
      this.broken = true;
      child.once('error', () => undefined);
      this.onLost();
      return undefined;
    }
    this.child = child;
    const { stdout } = child;
    stdout.on('data', (chunk: Chunk) => {
      this.receive(chunk);
      this.throttle(stdout);
    });
    child.stdin.on('error', () => undefined);
    child.once('error', () => this.lose('could not run'));
    child.once('exit', (code, signal) => this.lose(`exited (${signal ?? `code ${String(code)}`})`));
    this.hold(false);
    return child;
  }

  /** Keeps the engine's event loop alive while blocks run, and only then. */
  private hold(on: boolean): void {
    const child = this.child;
    if (child === undefined) return;
    for (const handle of [child, child.stdout, child.stdin] as unknown as { ref?: () => void; unref?: () => void }[]) {
      if (on) handle.ref?.();
      else handle.unref?.();
    }
  }

  /** The launch is over (closed, or failed to start). */
  protected forget(id: number): void {
    this.live.delete(id);
    if (this.live.size === 0) this.hold(false);
  }

  /** The helper is gone: what it was starting failed; what it had started is out of sight, so it fails too. */
  private lose(why: string): void {
    if (this.child === undefined) return;
    this.child = undefined;
    this.broken = true;
    const lost = [...this.live.values()];
    this.live.clear();
    for (const { handlers } of lost) handlers.onError(new Error(`the process launcher ${why}`));
    this.onLost();
  }
}
