import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { DRAIN_MS, HELPER_SOURCE } from './launchHelperScript.ts';
import { HelperChannel, type HelperProcess } from './helperChannel.ts';
import { NativeLaunchHelper, nativeLauncherPath } from './nativeLauncher.ts';
import { SUPERVISOR_TAG_VAR } from './processGroup.ts';
import type { ShellCommand } from './shells.ts';

export { DRAIN_MS };

/**
 * Starting block processes. Node's spawn forks the calling process, and a fork costs in proportion
 * to the caller's memory (measured here: ~1.7 ms from a 50 MB process, ~2.7 ms at 110 MB, ~5 ms at
 * 170 MB, ~60 ms at 1 GiB), while the engine grows with the pipeline, its history and its logs. So
 * blocks are started by tiny helper processes that stay at Node's minimum size, whatever the
 * engine holds: up to one per CPU (see HelperPool), started ahead of the first block or on demand;
 * if one cannot start or dies, the engine falls back to spawning directly.
 * `PIPELINE_STUDIO_SPAWN=direct` forces that. Where the native helper was built (native/launch.c,
 * posix_spawn: no fork of a Node process per block) it takes the Node helper's place;
 * `PIPELINE_STUDIO_SPAWN=node` keeps the Node helper.
 *
 * The helpers are also the supervisors of what they start: when the engine dies without warning,
 * they stop its blocks (see launchHelperScript.ts). A block spawned directly is watched by a
 * helper that only supervises (the guard).
 */
export interface LaunchHandlers {
  /** The process exists; its pid leads its own process group. */
  onSpawn(pid: number): void;
  onOutput(stream: 'stdout' | 'stderr', text: string): void;
  /** It could not be started (or the helper was lost): no exit or close follows. */
  onError(error: NodeJS.ErrnoException): void;
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
  /**
   * Its output is complete: the pipes closed, or DRAIN_MS after the exit when an escaped process holds them.
   * `groupEmpty`: the launcher saw nothing left in the block's process group then (undefined: it did not look).
   */
  onClose(groupEmpty?: boolean): void;
}

export type Launcher = (command: ShellCommand, cwd: string, env: Record<string, string>, handlers: LaunchHandlers) => void;

let tag: string | undefined;

/** This engine's PIPELINE_SUPERVISOR_TAG value, random so that a sweep never reaches another engine's processes. */
function supervisorTag(): string {
  tag ??= randomBytes(12).toString('hex');
  return tag;
}

/** Spawns from this process, watched by the guard. */
export const launchDirect: Launcher = (command, cwd, env, handlers) => {
  let child: ChildProcess;
  try {
    child = spawn(command.file, command.args, { cwd, env: { ...env, [SUPERVISOR_TAG_VAR]: supervisorTag() }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    handlers.onError(error as NodeJS.ErrnoException);
    return;
  }
  const pid = child.pid;
  if (pid === undefined) {
    child.once('error', (error) => handlers.onError(error));
    return;
  }
  const guard = directGuard();
  guard?.watch(pid, env.PIPELINE_OUTPUT);
  handlers.onSpawn(pid);
  // Once started, an 'error' is a failed kill or pipe; the exit still comes.
  child.on('error', () => undefined);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    handlers.onClose();
  };
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  const { stdout, stderr } = child;
  stdout?.on('data', (text: string) => {
    handlers.onOutput('stdout', text);
    throttle(stdout);
  });
  stderr?.on('data', (text: string) => {
    handlers.onOutput('stderr', text);
    throttle(stderr);
  });
  child.once('exit', (code, signal) => {
    guard?.unwatch(pid);
    handlers.onExit(code, signal);
    setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
      close();
    }, DRAIN_MS).unref();
  });
  child.once('close', close);
};

/**
 * The helper's own V8 flags. A fork copies the page tables of the forking process, so its size is
 * the cost of every block: without the JIT the helper stays ~13 MB smaller (measured: 49 vs 62 MiB
 * RSS, ~0.55 vs ~0.63 ms CPU per spawn), and it runs no hot JavaScript worth compiling anyway.
 */
const HELPER_FLAGS = ['--jitless', '--max-semi-space-size=1', '--v8-pool-size=0'];

type HelperMessage =
  | [number, 'spawn', number]
  | [number, 'error', string, string]
  | [number, 'out', 0 | 1, string]
  | [number, 'exit', number | null, NodeJS.Signals | null]
  | [number, 'close'];

/**
 * Backpressure for block output shared by every launcher of this process: a reader that falls behind
 * (the JSON-RPC writer of the service) holds it, and pipes are then not read until every hold is
 * released. The block (and the helper) block on their full pipes instead of this process queueing
 * strings that survive young-generation collections and grow the heap.
 */
const outputHolds = new Set<object>();
const onOutputReleased = new Set<() => void>();

export function holdOutput(holder: object): void {
  outputHolds.add(holder);
}

export function releaseOutput(holder: object): void {
  if (!outputHolds.delete(holder) || outputHolds.size > 0) return;
  const waiting = [...onOutputReleased];
  onOutputReleased.clear();
  for (const resume of waiting) resume();
}

/** Pauses the stream while output is held; resumes it on release. */
function throttle(stream: NodeJS.ReadableStream): void {
  if (outputHolds.size === 0 || stream.isPaused()) return;
  stream.pause();
  onOutputReleased.add(() => stream.resume());
}

/** The Node helper process (launchHelperScript.ts): JSON requests and answers, one a line. */
class LaunchHelper extends HelperChannel<{ handlers: LaunchHandlers; spawned: boolean }, string> {
  private pending = '';

  constructor(onLost: () => void) {
    super(onLost, throttle);
  }

  protected start(): ChildProcess {
    const env = { ...process.env };
    // Options meant for the engine (a debugger, a preload) are not the helper's.
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, [...HELPER_FLAGS, '-e', HELPER_SOURCE, supervisorTag()], { stdio: ['pipe', 'pipe', 'inherit'], env });
    child.stdout?.setEncoding('utf8');
    return child;
  }

  protected track(handlers: LaunchHandlers): { handlers: LaunchHandlers; spawned: boolean } {
    return { handlers, spawned: false };
  }

  protected startRequest(id: number, command: ShellCommand, cwd: string, env: Record<string, string>): string {
    return `${JSON.stringify([id, command.file, command.args, cwd, env])}\n`;
  }

  protected watchRequest(pid: number, outputFile: string | undefined): string {
    return `${JSON.stringify(['watch', pid, outputFile ?? null])}\n`;
  }

  protected unwatchRequest(pid: number): string {
    return `${JSON.stringify(['unwatch', pid])}\n`;
  }

  protected receive(text: string): void {
    this.pending += text;
    for (let nl = this.pending.indexOf('\n'); nl >= 0; nl = this.pending.indexOf('\n')) {
      const message = JSON.parse(this.pending.slice(0, nl)) as HelperMessage;
      this.pending = this.pending.slice(nl + 1);
      this.dispatch(message);
    }
  }

  private dispatch(message: HelperMessage): void {
    const entry = this.live.get(message[0]);
    if (entry === undefined) return;
    const { handlers } = entry;
    switch (message[1]) {
      case 'spawn':
        entry.spawned = true;
        handlers.onSpawn(message[2]);
        return;
      case 'out':
        handlers.onOutput(message[2] === 0 ? 'stdout' : 'stderr', message[3]);
        return;
      case 'exit':
        handlers.onExit(message[2], message[3]);
        return;
      case 'error':
      case 'close':
        this.forget(message[0]);
        if (message[1] === 'close') handlers.onClose();
        else handlers.onError(Object.assign(new Error(message[3]), { code: message[2] === '' ? undefined : message[2] }));
    }
  }
}

/**
 * Helpers shared by every run of this engine, up to one per CPU: a fork blocks the process that
 * makes it, so one helper forks on one core at a time while the other cores wait. A launch goes to
 * the least busy helper, and a new helper is started only when every running one is busy, so a
 * run at concurrency 1 (or a one-block run) never starts a second. If a helper cannot start or is
 * lost, the pool stops using helpers and the engine spawns directly (it still works, just forks
 * from a bigger process).
 */
class HelperPool {
  private readonly helpers: HelperProcess[] = [];
  private broken = false;
  private readonly max: number;

  constructor(max: number) {
    this.max = Math.max(1, max);
  }

  launch: Launcher = (command, cwd, env, handlers) => {
    const helper = this.broken ? undefined : this.pick();
    if (helper === undefined || !helper.launch(command, cwd, env, handlers)) launchDirect(command, cwd, env, handlers);
  };

  /** Starts the first helper early (the others start on demand). */
  prestart(): void {
    if (!this.broken && this.helpers.length === 0) this.add().prestart();
  }

  private pick(): HelperProcess | undefined {
    let best: HelperProcess | undefined;
    for (const helper of this.helpers) if (best === undefined || helper.load < best.load) best = helper;
    if ((best === undefined || best.load > 0) && this.helpers.length < this.max) return this.add();
    return best;
  }

  private add(): HelperProcess {
    const lost = (): void => {
      this.broken = true;
    };
    const native = process.env.PIPELINE_STUDIO_SPAWN === 'node' ? undefined : nativeLauncherPath();
    const helper = native === undefined ? new LaunchHelper(lost) : new NativeLaunchHelper(native, supervisorTag(), lost, throttle);
    this.helpers.push(helper);
    return helper;
  }
}

let pool: HelperPool | undefined;

function helperPool(): HelperPool {
  pool ??= new HelperPool(availableParallelism());
  return pool;
}

let guardHelper: LaunchHelper | undefined;

/** The helper that supervises directly spawned blocks; undefined when it cannot run (then nothing does). */
function directGuard(): LaunchHelper | undefined {
  guardHelper ??= new LaunchHelper(() => undefined);
  return guardHelper.usable ? guardHelper : undefined;
}

/** The launcher the engine uses: the helpers, unless PIPELINE_STUDIO_SPAWN=direct. */
export function defaultLauncher(): Launcher {
  if (process.env.PIPELINE_STUDIO_SPAWN === 'direct') return launchDirect;
  return helperPool().launch;
}

/** Starts a helper (or the guard) ahead of the first block, so that its start-up overlaps the engine opening the store and planning. */
export function prestartLauncher(): void {
  if (process.env.PIPELINE_STUDIO_SPAWN !== 'direct') helperPool().prestart();
  else directGuard()?.prestart();
}
