import { basename } from 'node:path';
import { ExecutionLinks } from '../store/executionLinks.ts';
import type { RunStore, RunTrigger } from '../store/types.ts';
import type { RunEvent } from './events.ts';
import { finishedAttempt, type AttemptHandle, type AttemptOptions, type AttemptOutcome, type Executor } from './executor.ts';
import type { RunHandle, StartRunOptions } from './engine.ts';
import type { Selection } from './selection.ts';

/** What a sub-pipeline block's attempt needs from the run that holds it. */
export interface PipelineExecutorOptions {
  store: RunStore;
  /** The files of this run and the runs above it, outermost first: a child of any of them is recursion. */
  ancestry: readonly string[];
  /** The engine's startRun, passed in (engine.ts creates this executor). */
  startRun: (options: StartRunOptions) => Promise<RunHandle>;
  /** The parent run's settings that its children share. */
  inherit: Pick<StartRunOptions, 'beforeBlock' | 'graceMs' | 'clock' | 'noCache' | 'git' | 'heartbeatMs' | 'pauseLimitMs' | 'env' | 'onChildRun'>;
  /** A retried parent run: its child of the same block is retried rather than run afresh. */
  retryOf: number | undefined;
}

/**
 * The `pipeline:` executor (issue 17): a block's attempt is a child run of another pipeline file,
 * in the same engine and store, recorded as a run of its own and linked both ways (sub_run). The
 * child's status is the attempt's outcome; stop cancels the child, suspend/resume ("pause now")
 * and hold (a plain pause) pause it, so control reaches every level. `with:` values are the child's
 * variables, which its blocks see as data like any variable. A file that is already running above
 * (directly or not) is refused with the chain.
 */
export function pipelineExecutor(options: PipelineExecutorOptions): Executor {
  return { name: 'pipeline', start: (attempt) => startChild(options, attempt) };
}

function startChild(options: PipelineExecutorOptions, attempt: AttemptOptions): AttemptHandle {
  const sub = attempt.subPipeline;
  const fail = (reason: string): AttemptHandle => {
    attempt.onStarted(undefined);
    return finishedAttempt({ ok: false, exitCode: undefined, signal: undefined, reason, pid: undefined });
  };
  if (sub === undefined) return fail('internal error: a pipeline block without its file');
  if (options.ancestry.includes(sub.file)) {
    const chain = [...options.ancestry.slice(options.ancestry.indexOf(sub.file)), sub.file].map((f) => basename(f));
    return fail(`recursion: ${chain.join(' → ')} (a pipeline may not include itself)`);
  }
  let child: RunHandle | undefined;
  let stopped: 'cancelled' | 'timeout' | undefined;
  let paused: 'hold' | 'now' | undefined;
  let settle: (outcome: AttemptOutcome) => void = () => undefined;
  const done = new Promise<AttemptOutcome>((resolve) => (settle = resolve));
  const say = (text: string): void => attempt.onOutput('stdout', text);
  const links = ExecutionLinks.open(options.store);
  const previous = options.retryOf === undefined || attempt.block === undefined ? undefined : links.childOf(options.retryOf, attempt.block);
  const selection: Selection = previous !== undefined ? { mode: 'retry', runId: previous } : { mode: 'all' };
  attempt.onStarted(undefined);
  const trigger: RunTrigger = 'pipeline';
  // The owner hears of the child before it starts, so that it sees every event from `run-started` on.
  let settleStarted: { resolve: (handle: RunHandle) => void; reject: (error: unknown) => void } | undefined;
  const started = new Promise<RunHandle>((resolve, reject) => (settleStarted = { resolve, reject }));
  started.catch(() => undefined);
  const watcher = options.inherit.onChildRun?.({ parentRunId: attempt.runId, parentBlock: attempt.block, started });
  const starting = options.startRun({
    ...options.inherit, file: sub.file, store: options.store, variables: sub.with, selection, trigger,
    ancestry: [...options.ancestry],
    onEvent: (event: RunEvent) => {
      watcher?.(event);
      if (event.type === 'block-status' && (event.status === 'completed' || event.status === 'failed' || event.status === 'cancelled' || event.status === 'cached' || event.status === 'upstream_failed')) {
        say(`child #${event.runId} ${event.block}: ${event.status}${event.reason === undefined ? '' : ` (${event.reason})`}\n`);
      }
    },
  });
  starting.then((handle) => settleStarted?.resolve(handle), (error: unknown) => settleStarted?.reject(error));
  starting.then(
    (handle) => {
      child = handle;
      if (attempt.runId !== undefined && attempt.block !== undefined) {
        try {
          links.linkChild({ childRunId: handle.runId, parentRunId: attempt.runId, parentBlock: attempt.block, parentBlockRunId: undefined });
        } catch {
          // The child runs even when its link cannot be written; the store's own error is recorded by its run.
        }
      }
      say(`child run #${handle.runId} of ${basename(sub.file)}${previous !== undefined ? ` (retrying run #${previous})` : ''}\n`);
      if (stopped !== undefined) handle.cancel();
      else if (paused !== undefined) handle.pause(paused === 'now');
      void handle.done.then((result) => {
        links.close();
        const failed = result.blocks.filter((b) => b.status === 'failed' || b.status === 'cancelled').map((b) => b.block);
        const ok = result.status === 'completed' && stopped === undefined;
        settle({
          ok, exitCode: ok ? 0 : undefined, signal: undefined, pid: undefined,
          reason: ok ? undefined : stopped ?? `child run #${result.runId} ${result.status}${failed.length > 0 ? ` (${failed.join(', ')})` : ''}${result.error === undefined ? '' : `: ${result.error}`}`,
        });
      });
    },
    (error: unknown) => {
      links.close();
      const message = error instanceof Error ? error.message : String(error);
      settle({ ok: false, exitCode: undefined, signal: undefined, pid: undefined, reason: `child pipeline ${basename(sub.file)} refused: ${message.split('\n')[0] ?? message}` });
    },
  );
  return {
    done,
    stop: (why) => {
      stopped ??= why;
      child?.cancel();
    },
    suspend: () => {
      paused = 'now';
      return child === undefined ? true : child.pause(true).ok;
    },
    resume: () => {
      paused = undefined;
      return child === undefined ? true : child.resume().ok;
    },
    hold: (held) => {
      paused = held ? 'hold' : undefined;
      if (child !== undefined) {
        if (held) child.pause(false);
        else child.resume();
      }
    },
  };
}
