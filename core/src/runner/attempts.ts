import { attemptResources } from '../executors/index.ts';
import { closeSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import type { Block } from '../model/pipeline.ts';
import { move, type BlockRun } from './blockMachine.ts';
import { PausableTimeout, type Clock } from './clock.ts';
import type { AttemptOutcome, Executor } from './executor.ts';
import { missingOutputs, parseOutputs } from './outputs.ts';
import type { PreparedRun } from './prepare.ts';
import { PROCESS_TAG_VAR } from './processGroup.ts';
import type { RunRecorder } from './runRecorder.ts';
import { LogSanitizer } from './sanitize.ts';
import { AttemptLog } from './attemptLog.ts';
import { itemOf } from './fanOut.ts';

/** What starting an attempt needs from its run. */
export interface AttemptContext {
  prepared: PreparedRun;
  recorder: RunRecorder;
  clock: Clock;
  /** The run's random token: the prefix of every attempt's process tag. */
  token: string;
  /** Where attempts write their PIPELINE_OUTPUT files. */
  outputDir: string;
  graceMs: number;
  executorFor(block: Block): Executor;
}

/** How an attempt ended, its outputs read and checked (a missing declared output fails it). */
export interface AttemptEnd {
  outcome: AttemptOutcome;
  outputs: Record<string, string>;
  writer: AttemptLog | undefined;
}

/**
 * Starts the block's next attempt (its phase already moved to `running`) on its executor: records
 * it, wires its output to the log and the events, enforces its timeout on the run's clock from the
 * moment it starts, and reports the end to `onEnd`.
 */
export function launchAttempt(ctx: AttemptContext, state: BlockRun, onEnd: (end: AttemptEnd) => void): void {
  const { recorder, clock } = ctx;
  const runId = recorder.runId;
  const resolved = state.resolved;
  if (resolved === undefined) return;
  state.attempt++;
  const now = clock.now();
  state.startedAt ??= now;
  if (state.attempt === 1) {
    const rowId = state.rowId;
    if (rowId !== undefined) recorder.updateRowId(rowId, { status: 'running', startedAt: now });
  } else {
    state.rowId = recorder.safe(() => recorder.store.createBlockRun({ runId, block: state.id, status: 'running', attempt: state.attempt, startedAt: now, ...itemOf(state) }).id);
  }
  state.status = 'running';
  recorder.emit({ type: 'block-status', runId, block: state.id, status: 'running', attempt: state.attempt, time: now });

  const outputFile = join(ctx.outputDir, `${state.index}-${state.attempt}.out`);
  // Created empty (a block may test for it or append to it); open + close is all that takes.
  closeSync(openSync(outputFile, 'w'));
  const rowId = state.rowId;
  const writer = rowId === undefined ? undefined : new AttemptLog(() => recorder.safe(() => recorder.store.openLog(rowId)));
  const sanitizers = { stdout: new LogSanitizer(), stderr: new LogSanitizer() };
  const tag = `${ctx.token}.${state.index}.${state.attempt}`;
  const env: Record<string, string> = {
    ...ctx.prepared.processEnv,
    ...resolved.definedEnv,
    PIPELINE_RUN_ID: String(runId),
    PIPELINE_OUTPUT: outputFile,
    [PROCESS_TAG_VAR]: tag,
    ...resolved.exprEnv,
  };
  const attempt = state.attempt;
  const executor = ctx.executorFor(state.block);
  recorder.updateRow(state, { executor: executor.name, executorType: executor.type ?? executor.name });
  const handle = executor.start({
    shell: resolved.shell, script: resolved.script, cwd: resolved.cwd, env, tag,
    timeoutMs: resolved.timeoutMs, graceMs: ctx.graceMs, runId, block: state.id, attempt, resources: attemptResources(state.block),
    ...(state.block.subPipeline === undefined ? {} : { subPipeline: { file: resolvePath(ctx.prepared.folder, state.block.subPipeline.file.value.trim()), with: resolved.with ?? {} } }),
    onJob: (jobId) => {
      if (rowId === undefined) return;
      recorder.updateRowId(rowId, { executorJob: jobId });
      // Written through, not behind: the job id is what lets a later process (attach, reconcile)
      // find a remote job after this one is killed, and the executor records the job right after.
      recorder.flush();
    },
    onQueued: (reason) => {
      if (state.phase !== 'running' && state.phase !== 'submitted') return;
      move(state, 'outside_queue');
      // Kept on the row too, so the Runs tree and graph (which read the store) show why it waits.
      recorder.status(state, { status: 'queued', reason }, reason);
    },
    onStarted: (pid) => {
      if (state.phase === 'submitted') {
        move(state, 'start');
        // The cluster's queue reason no longer holds ('' is stored as no reason).
        recorder.status(state, { status: 'running', reason: '' });
      }
      if (resolved.timeoutMs !== undefined) state.timeout = new PausableTimeout(clock, resolved.timeoutMs, () => state.handle?.stop('timeout'));
      const cache = state.block.cache;
      const declared = cache === undefined ? undefined : { inputs: cache.inputs.map((i) => i.value), outputs: cache.outputs.map((o) => o.value) };
      recorder.emit({ type: 'block-attempt', runId, block: state.id, attempt, blockRunId: rowId ?? 0, pid, cwd: resolved.cwd, cache: declared, time: now });
    },
    onOutput: (stream, text) => {
      recorder.emit({ type: 'log-chunk', runId, block: state.id, attempt, stream, text, time: clock.now() });
      writer?.write(stream, sanitizers[stream].write(text));
    },
  });
  state.handle = handle;
  const ended = (outcome: AttemptOutcome): void => {
    state.timeout?.cancel();
    state.timeout = undefined;
    state.handle = undefined;
    onEnd({ ...checkedOutputs(state.block, outcome, outputFile), writer });
  };
  handle.done.then(
    (outcome) => {
      writer?.write('stdout', sanitizers.stdout.end());
      writer?.write('stderr', sanitizers.stderr.end());
      ended(outcome);
    },
    (error: unknown) => ended({ ok: false, exitCode: undefined, signal: undefined, reason: `internal error: ${String(error)}`, pid: undefined }),
  );
}

function checkedOutputs(block: Block, outcome: AttemptOutcome, outputFile: string): { outcome: AttemptOutcome; outputs: Record<string, string> } {
  let result = outcome;
  let outputs: Record<string, string> = {};
  if (outcome.ok) {
    const parsed = parseOutputs(readOutputFile(outputFile));
    if ('error' in parsed) result = { ...outcome, ok: false, reason: `invalid $PIPELINE_OUTPUT: ${parsed.error}` };
    else {
      outputs = parsed.outputs;
      const missing = missingOutputs(block.outputs?.map((o) => o.name), outputs);
      if (missing.length > 0) result = { ...outcome, ok: false, reason: `missing output${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}` };
    }
  }
  removeOutputFile(outputFile);
  return { outcome: result, outputs };
}

function removeOutputFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (the block removed it): nothing to clean up.
  }
}

function readOutputFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The wait before the next attempt: delay × backoff^(tries so far − 1), capped. */
export function retryDelay(policy: { delayMs: number; backoff: number; maxDelayMs?: number | undefined }, attempt: number): number {
  return Math.min(policy.delayMs * policy.backoff ** (attempt - 1), policy.maxDelayMs ?? Number.POSITIVE_INFINITY);
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
