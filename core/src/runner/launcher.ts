import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { ShellCommand } from './shells.ts';

/**
 * Starting block processes. Node's spawn forks the calling process, and a fork costs in proportion
 * to the caller's memory (measured here: ~1.7 ms from a 50 MB process, ~2.7 ms at 110 MB, ~5 ms at
 * 170 MB, ~60 ms at 1 GiB), while the engine grows with the pipeline, its history and its logs. So
 * blocks are started by tiny helper processes that stay at Node's minimum size, whatever the
 * engine holds: up to one per CPU (see HelperPool), started ahead of the first block or on demand;
 * if one cannot start or dies, the engine falls back to spawning directly.
 * `PIPELINE_STUDIO_SPAWN=direct` forces that.
 */
export interface LaunchHandlers {
  /** The process exists; its pid leads its own process group. */
  onSpawn(pid: number): void;
  onOutput(stream: 'stdout' | 'stderr', text: string): void;
  /** It could not be started (or the helper was lost): no exit or close follows. */
  onError(error: NodeJS.ErrnoException): void;
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
  /** Its output is complete: the pipes closed, or DRAIN_MS after the exit when an escaped process holds them. */
  onClose(): void;
}

export type Launcher = (command: ShellCommand, cwd: string, env: Record<string, string>, handlers: LaunchHandlers) => void;

/** How long to wait for the pipes to close after the shell exits when a leftover process holds them. */
export const DRAIN_MS = 200;

/** Spawns from this process. */
export const launchDirect: Launcher = (command, cwd, env, handlers) => {
  let child: ChildProcess;
  try {
    child = spawn(command.file, command.args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    handlers.onError(error as NodeJS.ErrnoException);
    return;
  }
  if (child.pid === undefined) {
    child.once('error', (error) => handlers.onError(error));
    return;
  }
  handlers.onSpawn(child.pid);
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
 * The helper, plain CommonJS run with `node -e` so that it loads nothing. Requests come as JSON
 * lines `[id, file, args, cwd, env]`; it answers `[id, 'spawn', pid]`, `[id, 'error', code, message]`,
 * `[id, 'out', 0|1, text]`, `[id, 'exit', code, signal]` and `[id, 'close']`. When the engine reads
 * slower than blocks print, the blocks' pipes are paused rather than buffered here. Ctrl+C and
 * SIGTERM reach the whole foreground group; the engine decides what to stop, so they are ignored.
 */
const HELPER_SOURCE = `'use strict';
const { spawn } = require('node:child_process');
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
const out = process.stdout;
const PIECE = 16384;
const streams = new Set();
let blocked = false;
const send = (message) => {
  if (out.write(JSON.stringify(message) + '\\n') || blocked) return;
  blocked = true;
  for (const s of streams) s.pause();
  out.once('drain', () => { blocked = false; for (const s of streams) s.resume(); });
};
const start = (id, file, args, cwd, env) => {
  let child;
  try {
    child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    send([id, 'error', e.code || '', String(e.message)]);
    return;
  }
  if (child.pid === undefined) {
    child.once('error', (e) => send([id, 'error', e.code || '', String(e.message)]));
    return;
  }
  send([id, 'spawn', child.pid]);
  child.on('error', () => {});
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    streams.delete(child.stdout);
    streams.delete(child.stderr);
    send([id, 'close']);
  };
  [child.stdout, child.stderr].forEach((s, n) => {
    s.setEncoding('utf8');
    streams.add(s);
    if (blocked) s.pause();
    s.on('data', (text) => {
      for (let at = 0; at < text.length;) {
        let end = Math.min(at + PIECE, text.length);
        const last = text.charCodeAt(end - 1);
        if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
        send([id, 'out', n, text.slice(at, end)]);
        at = end;
      }
    });
  });
  child.once('exit', (code, signal) => {
    send([id, 'exit', code, signal]);
    setTimeout(() => { child.stdout.destroy(); child.stderr.destroy(); close(); }, ${DRAIN_MS});
  });
  child.once('close', close);
};
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  pending += text;
  for (let nl = pending.indexOf('\\n'); nl >= 0; nl = pending.indexOf('\\n')) {
    const [id, file, args, cwd, env] = JSON.parse(pending.slice(0, nl));
    pending = pending.slice(nl + 1);
    start(id, file, args, cwd, env);
  }
});
process.stdin.on('end', () => process.exit(0));
`;

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

/** One helper process; idle, it does not keep the engine alive. */
class LaunchHelper {
  private child: ChildProcess | undefined;
  private broken = false;
  private readonly onLost: () => void;
  private nextId = 1;
  private pending = '';
  private readonly live = new Map<number, { handlers: LaunchHandlers; spawned: boolean }>();

  constructor(onLost: () => void) {
    this.onLost = onLost;
  }

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
    this.live.set(id, { handlers, spawned: false });
    if (this.live.size === 1) this.hold(true);
    child.stdin.write(`${JSON.stringify([id, command.file, command.args, cwd, env])}\n`);
    return true;
  }

  /** Starts the process ahead of the first launch, so that its start-up overlaps the engine's. */
  prestart(): void {
    this.ensure();
  }

  private ensure(): ChildProcess | undefined {
    if (this.broken) return undefined;
    if (this.child !== undefined) return this.child;
    const env = { ...process.env };
    // Options meant for the engine (a debugger, a preload) are not the helper's.
    delete env.NODE_OPTIONS;
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [...HELPER_FLAGS, '-e', HELPER_SOURCE], { stdio: ['pipe', 'pipe', 'inherit'], env });
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
    child.stdout.setEncoding('utf8');
    const { stdout } = child;
    stdout.on('data', (text: string) => {
      this.receive(text);
      throttle(stdout);
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

  private receive(text: string): void {
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

  private forget(id: number): void {
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

/**
 * Helpers shared by every run of this engine, up to one per CPU: a fork blocks the process that
 * makes it, so one helper forks on one core at a time while the other cores wait. A launch goes to
 * the least busy helper, and a new helper is started only when every running one is busy, so a
 * run at concurrency 1 (or a one-block run) never starts a second. If a helper cannot start or is
 * lost, the pool stops using helpers and the engine spawns directly (it still works, just forks
 * from a bigger process).
 */
class HelperPool {
  private readonly helpers: LaunchHelper[] = [];
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

  private pick(): LaunchHelper | undefined {
    let best: LaunchHelper | undefined;
    for (const helper of this.helpers) if (best === undefined || helper.load < best.load) best = helper;
    if ((best === undefined || best.load > 0) && this.helpers.length < this.max) return this.add();
    return best;
  }

  private add(): LaunchHelper {
    const helper = new LaunchHelper(() => {
      this.broken = true;
    });
    this.helpers.push(helper);
    return helper;
  }
}

let pool: HelperPool | undefined;

function helperPool(): HelperPool {
  pool ??= new HelperPool(availableParallelism());
  return pool;
}

/** The launcher the engine uses: the helpers, unless PIPELINE_STUDIO_SPAWN=direct. */
export function defaultLauncher(): Launcher {
  if (process.env.PIPELINE_STUDIO_SPAWN === 'direct') return launchDirect;
  return helperPool().launch;
}

/** Starts a helper ahead of the first block, so that its start-up overlaps the engine opening the store and planning. */
export function prestartLauncher(): void {
  if (process.env.PIPELINE_STUDIO_SPAWN !== 'direct') helperPool().prestart();
}
