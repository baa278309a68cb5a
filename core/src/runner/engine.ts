import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EvaluationError } from '../expr/index.ts';
import type { Block } from '../model/pipeline.ts';
import { createRunFolder } from '../store/runFolders.ts';
import type { BlockRunUpdate, BlockStatus, GitInfo, LogWriter, RunStatus, RunStore, RunTrigger } from '../store/types.ts';
import { startAttempt, type AttemptHandle, type AttemptOutcome } from './attempt.ts';
import { realClock, type Clock } from './clock.ts';
import { prestartLauncher } from './launcher.ts';
import type { BlockSummary, RunEvent, RunEventListener } from './events.ts';
import { fingerprintBlock, hashOutputs, sameHashes } from './fingerprint.ts';
import type { BlockGate, BlockGateHandler } from './gate.ts';
import { gitInfo } from './git.ts';
import { missingOutputs, parseOutputs } from './outputs.ts';
import { prepareRun, scopeFor, type PreparedRun, type PrepareOptions } from './prepare.ts';
import { PROCESS_TAG_VAR, sweepTagged } from './processGroup.ts';
import { ReadyQueue } from './readyQueue.ts';
import { evaluateCondition, resolveBlock, ScriptRefused, type ResolvedBlock, type RunScope, type Upstream } from './resolve.ts';
import { LogSanitizer } from './sanitize.ts';
import type { ReusedBlock } from './selection.ts';

export interface StartRunOptions extends PrepareOptions {
  store: RunStore;
  /** Default `manual`; the CLI says `cli`. */
  trigger?: RunTrigger;
  /** Run every block even when its cache fingerprint matches. */
  noCache?: boolean;
  /** Between SIGTERM and SIGKILL when stopping a block. Default 5000. */
  graceMs?: number;
  /** How often the run row's heartbeat is refreshed. Default 5000. */
  heartbeatMs?: number;
  /** Record git commit, branch and dirtiness. Default true. */
  git?: boolean;
  onEvent?: RunEventListener;
  /** Asked before each block's first attempt; a debugger holds blocks here (see gate.ts). */
  beforeBlock?: BlockGateHandler;
  /** Timers of the retry backoff; default the real clock (tests inject one). */
  clock?: Clock;
}

export interface RunResult {
  runId: number;
  status: RunStatus;
  error: string | undefined;
  blocks: BlockSummary[];
}

export interface RunHandle {
  readonly runId: number;
  readonly done: Promise<RunResult>;
  /** Cancels the run: running blocks get SIGTERM, then SIGKILL after the grace period; nothing new starts. */
  cancel(): void;
  /** Cancels one block (and so its dependents); false when it has already finished or does not exist. */
  cancelBlock(block: string): boolean;
}

export const DEFAULT_GRACE_MS = 5000;
const DEFAULT_HEARTBEAT_MS = 5000;

/**
 * Validates, plans and starts a run, recording it in the store. Resolves once the run exists and
 * its first blocks are starting; `done` settles when every block has finished. Throws RunRefused
 * when the run cannot start (file errors, unknown or missing variables, a selection that cannot
 * be satisfied).
 */
export async function startRun(options: StartRunOptions): Promise<RunHandle> {
  prestartLauncher();
  const prepared = prepareRun(options, options.store);
  const git = options.git === false ? undefined : await gitInfo(prepared.folder);
  const { plan } = prepared;
  const record = options.store.createRun({
    pipelineName: prepared.pipeline.name,
    pipelineFile: prepared.file,
    trigger: options.trigger ?? 'manual',
    mode: plan.mode,
    selection: plan.selection,
    sourceRunId: plan.sourceRunId,
    variables: prepared.variables,
    git,
  });
  let scope: RunScope;
  try {
    scope = scopeFor(prepared, String(record.id));
  } catch (error) {
    options.store.updateRun(record.id, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  const run = new Run(prepared, scope, record.id, options, git);
  run.start();
  return { runId: record.id, done: run.done, cancel: () => run.cancel(), cancelBlock: (id) => run.cancelBlock(id) };
}

interface BlockState {
  block: Block;
  index: number;
  status: BlockStatus;
  attempt: number;
  /** The block_run row of the current attempt. */
  rowId: number | undefined;
  waitingFor: number;
  finished: boolean;
  selected: boolean;
  reused: ReusedBlock | undefined;
  /** Skipped because it or an upstream block is disabled: its dependents are skipped too. */
  disabled: boolean;
  cancelRequested: boolean;
  outputs: Record<string, string>;
  fingerprint: string | undefined;
  resolved: ResolvedBlock | undefined;
  handle: AttemptHandle | undefined;
  retryTimer: NodeJS.Timeout | undefined;
  /** Held by the beforeBlock gate: it has its concurrency slot but no process yet. */
  gated: boolean;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  exitCode: number | undefined;
  signal: string | undefined;
  reason: string | undefined;
}

/** One run: the scheduler, the attempts and their bookkeeping in the store. */
class Run {
  readonly done: Promise<RunResult>;
  private resolveDone!: (result: RunResult) => void;
  private readonly store: RunStore;
  private readonly blocks: BlockState[];
  private readonly byId = new Map<string, BlockState>();
  private readonly ready: ReadyQueue;
  private readonly token = randomBytes(12).toString('hex');
  private readonly outputDir: string;
  private readonly graceMs: number;
  private running = 0;
  private unfinished: number;
  private stopping: 'cancelled' | 'timeout' | undefined;
  private runTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private storeError: string | undefined;
  private finishedRun = false;
  private readonly readyWork: BlockState[] = [];
  private draining = false;

  private readonly prepared: PreparedRun;
  private readonly scope: RunScope;
  private readonly runId: number;
  private readonly options: StartRunOptions;
  private readonly git: GitInfo | undefined;

  constructor(prepared: PreparedRun, scope: RunScope, runId: number, options: StartRunOptions, git: GitInfo | undefined) {
    this.git = git;
    this.prepared = prepared;
    this.scope = scope;
    this.runId = runId;
    this.options = options;
    this.store = options.store;
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.outputDir = createRunFolder(options.store.path, runId);
    const { plan } = prepared;
    this.blocks = prepared.pipeline.blocks.map((block, index) => ({
      block, index, status: 'initial', attempt: 0, rowId: undefined, waitingFor: 0, finished: false,
      selected: plan.selected.has(block.id), reused: plan.reused.get(block.id), disabled: false, cancelRequested: false,
      outputs: {}, fingerprint: undefined, resolved: undefined, handle: undefined, retryTimer: undefined, gated: false,
      startedAt: undefined, finishedAt: undefined, exitCode: undefined, signal: undefined, reason: undefined,
    }));
    for (const state of this.blocks) this.byId.set(state.block.id, state);
    this.ready = new ReadyQueue(this.blocks.length);
    this.unfinished = this.blocks.length;
  }

  start(): void {
    const now = Date.now();
    for (const state of this.blocks) {
      if (!state.selected) {
        // Not selected: skipped in this run; a reused result stands in for it downstream.
        state.status = 'skipped';
        state.finished = true;
        state.reason = state.reused !== undefined ? `not selected; reusing run #${state.reused.fromRun}` : 'not selected';
        state.outputs = state.reused?.outputs ?? {};
        state.fingerprint = state.reused?.fingerprint;
        this.unfinished--;
      }
      state.rowId = this.safe(() => this.store.createBlockRun({
        runId: this.runId, block: state.block.id, status: state.status, reason: state.reason, outputs: state.outputs,
        ...(state.selected ? {} : { startedAt: now, finishedAt: now }),
      }).id);
    }
    this.safe(() => this.store.updateRun(this.runId, { status: 'running' }));
    this.emit({
      type: 'run-started', runId: this.runId, pipelineName: this.prepared.pipeline.name, pipelineFile: this.prepared.file,
      blocks: this.blocks.map((b) => ({ id: b.block.id, status: b.status })), concurrency: this.prepared.concurrency, time: now,
    });
    const heartbeatMs = this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.heartbeatTimer = setInterval(() => this.safe(() => this.store.heartbeat(this.runId)), heartbeatMs);
    this.heartbeatTimer.unref();
    if (this.prepared.pipeline.timeoutMs !== undefined) {
      this.runTimer = setTimeout(() => this.stop('timeout'), this.prepared.pipeline.timeoutMs);
    }
    const { dag } = this.prepared;
    for (const state of this.blocks) {
      if (!state.selected) continue;
      state.waitingFor = dag.directUpstream(state.block.id).filter((up) => this.byId.get(up)?.selected === true).length;
    }
    for (const state of this.blocks) if (state.selected && state.waitingFor === 0) this.readyWork.push(state);
    this.drainReadyWork();
    this.pump();
    if (this.unfinished === 0) this.finishRun();
  }

  cancel(): void {
    this.stop('cancelled');
  }

  cancelBlock(id: string): boolean {
    const state = this.byId.get(id);
    if (state === undefined || state.finished) return false;
    state.cancelRequested = true;
    if (state.handle !== undefined) state.handle.stop('cancelled');
    else if (state.gated) this.cancelGated(state, 'cancelled');
    // Queued, waiting to retry, or still waiting for its upstream: nothing runs, it ends now.
    else this.cancelWaiting(state, 'cancelled');
    return true;
  }

  private stop(why: 'cancelled' | 'timeout'): void {
    if (this.stopping !== undefined || this.finishedRun) return;
    this.stopping = why;
    for (const state of this.blocks) {
      if (state.finished) continue;
      if (state.handle !== undefined) state.handle.stop(why);
      else if (state.gated) this.cancelGated(state, why === 'timeout' ? 'run timeout' : 'cancelled');
      else if (state.retryTimer !== undefined || this.ready.has(state.index)) this.cancelWaiting(state, why === 'timeout' ? 'run timeout' : 'cancelled');
    }
    this.pump();
  }

  /** A block queued, waiting to retry or waiting for its upstream: no process to stop, it just ends cancelled. */
  private cancelWaiting(state: BlockState, reason: string): void {
    if (state.retryTimer !== undefined) clearTimeout(state.retryTimer);
    state.retryTimer = undefined;
    this.ready.remove(state.index);
    this.finishBlock(state, 'cancelled', { reason });
    this.pump();
  }

  /** Held at the gate: it gives its slot back and ends cancelled; the gate's later answer is ignored. */
  private cancelGated(state: BlockState, reason: string): void {
    state.gated = false;
    this.running--;
    this.finishBlock(state, 'cancelled', { reason });
    this.pump();
  }

  /**
   * Asks the gate before a block's first attempt. The slot is taken while it waits, so a paused
   * block holds back the blocks a concurrency limit would hold back had it started.
   */
  private startThroughGate(state: BlockState): void {
    const gate = this.options.beforeBlock;
    const resolved = state.resolved;
    if (gate === undefined || state.attempt > 0 || resolved === undefined) return this.startNextAttempt(state);
    let held: Promise<void> | undefined;
    try {
      held = gate(this.gateFor(state, resolved));
    } catch {
      held = undefined;
    }
    if (held === undefined) return this.startNextAttempt(state);
    state.gated = true;
    this.running++;
    const release = (): void => {
      if (!state.gated) return;
      state.gated = false;
      this.running--;
      if (this.stopping !== undefined || state.cancelRequested) {
        this.finishBlock(state, 'cancelled', { reason: this.stopping === 'timeout' ? 'run timeout' : 'cancelled' });
        this.pump();
        return;
      }
      this.startNextAttempt(state);
    };
    held.then(release, release);
  }

  private gateFor(state: BlockState, resolved: ResolvedBlock): BlockGate {
    const upstream: BlockGate['upstream'] = {};
    for (const id of this.prepared.dag.upstream(state.block.id)) {
      const up = this.byId.get(id);
      if (up?.finished === true) upstream[id] = { status: up.reused?.status ?? up.status, outputs: up.outputs };
    }
    const env = { ...this.prepared.processEnv, ...resolved.definedEnv, PIPELINE_RUN_ID: String(this.runId) };
    return {
      runId: this.runId, pipelineName: this.prepared.pipeline.name, block: state.block.id, attempt: state.attempt + 1,
      shell: resolved.shell, cwd: resolved.cwd, command: resolved.display, definedEnv: resolved.definedEnv, env,
      variables: this.prepared.variables, upstream, timeoutMs: resolved.timeoutMs, attempts: resolved.retry?.attempts ?? 1, git: this.git,
    };
  }

  /** Every upstream block has finished: decide what becomes of this one. */
  private becomeReady(state: BlockState): void {
    const upstream = this.upstreamViews();
    const ups = this.prepared.dag.directUpstream(state.block.id).map((id) => this.byId.get(id)).filter((s): s is BlockState => s !== undefined && s.selected);
    const cancelledUp = ups.find((u) => u.status === 'cancelled');
    const failedUp = ups.find((u) => u.status === 'upstream_failed' || (u.status === 'failed' && !u.block.continueOnError));
    const disabledUp = ups.find((u) => u.disabled);
    const conditionUp = ups.find((u) => u.status === 'condition_failed');
    if (this.stopping !== undefined || state.cancelRequested) return this.finishBlock(state, 'cancelled', { reason: this.stopping === 'timeout' ? 'run timeout' : 'cancelled' });
    if (cancelledUp !== undefined) return this.finishBlock(state, 'cancelled', { reason: `upstream '${cancelledUp.block.id}' was cancelled` });
    if (failedUp !== undefined) return this.finishBlock(state, 'upstream_failed', { reason: `upstream '${failedUp.block.id}' ${failedUp.status === 'failed' ? 'failed' : 'did not run'}` });
    if (state.block.disabled || disabledUp !== undefined) {
      state.disabled = true;
      return this.finishBlock(state, 'skipped', { reason: state.block.disabled ? 'disabled' : `upstream '${disabledUp?.block.id ?? ''}' is disabled` });
    }
    if (conditionUp !== undefined) return this.finishBlock(state, 'condition_failed', { reason: `upstream '${conditionUp.block.id}' is condition_failed` });
    try {
      if (evaluateCondition(this.scope, state.block, upstream) === false) return this.finishBlock(state, 'condition_failed', { reason: 'condition is false' });
      state.resolved = resolveBlock(this.scope, state.block, upstream);
    } catch (error) {
      if (error instanceof EvaluationError || error instanceof ScriptRefused) return this.finishBlock(state, 'failed', { reason: error.message });
      throw error;
    }
    if (state.block.cache !== undefined && this.tryCache(state, state.resolved)) return;
    this.setStatus(state, 'queued', {});
    this.ready.push(state.index);
  }

  /** A completed run with the same fingerprint whose output files are unchanged: reuse it. */
  private tryCache(state: BlockState, resolved: ResolvedBlock): boolean {
    const ups = this.prepared.dag.directUpstream(state.block.id).map((id) => this.byId.get(id)).filter((s): s is BlockState => s !== undefined);
    try {
      state.fingerprint = fingerprintBlock(resolved, ups.map((u) => ({ id: u.block.id, fingerprint: u.fingerprint, outputs: u.outputs })));
    } catch (error) {
      this.log(state, 'system', `cache: cannot compute the fingerprint (${error instanceof Error ? error.message : String(error)}); running the block\n`);
      return false;
    }
    const fingerprint = state.fingerprint;
    // --no-cache still records the fingerprint, so the forced run refreshes the cache.
    if (this.options.noCache === true) return false;
    const hit = this.safe(() => this.store.findCachedBlockRun(this.prepared.file, state.block.id, fingerprint));
    if (hit === undefined) return false;
    const current = hashOutputs(resolved.cwd, state.block.cache?.outputs.map((o) => o.value) ?? []);
    if (!sameHashes(hit.outputHashes, current)) return false;
    this.finishBlock(state, 'cached', { reason: `same fingerprint as run #${hit.runId}`, outputs: hit.outputs, fingerprint, outputHashes: current });
    return true;
  }

  private pump(): void {
    while (this.running < this.prepared.concurrency && this.stopping === undefined) {
      const index = this.ready.pop();
      if (index === undefined) break;
      const state = this.blocks[index];
      if (state !== undefined) this.startThroughGate(state);
    }
    if (this.stopping !== undefined) {
      for (let index = this.ready.pop(); index !== undefined; index = this.ready.pop()) {
        const state = this.blocks[index];
        if (state !== undefined) this.finishBlock(state, 'cancelled', { reason: this.stopping === 'timeout' ? 'run timeout' : 'cancelled' });
      }
    }
  }

  private startNextAttempt(state: BlockState): void {
    const resolved = state.resolved;
    if (resolved === undefined) return;
    this.running++;
    state.attempt++;
    const now = Date.now();
    state.startedAt ??= now;
    if (state.attempt === 1) {
      const rowId = state.rowId;
      if (rowId !== undefined) this.safe(() => this.store.updateBlockRun(rowId, { status: 'running', startedAt: now }));
    } else {
      state.rowId = this.safe(() => this.store.createBlockRun({ runId: this.runId, block: state.block.id, status: 'running', attempt: state.attempt, startedAt: now }).id);
    }
    state.status = 'running';
    this.emit({ type: 'block-status', runId: this.runId, block: state.block.id, status: 'running', attempt: state.attempt, time: now });

    const outputFile = join(this.outputDir, `${state.index}-${state.attempt}.out`);
    writeFileSync(outputFile, '');
    const rowId = state.rowId;
    const writer = rowId === undefined ? undefined : this.safe(() => this.store.openLog(rowId));
    const sanitizers = { stdout: new LogSanitizer(), stderr: new LogSanitizer() };
    const tag = `${this.token}.${state.index}.${state.attempt}`;
    const env: Record<string, string> = {
      ...this.prepared.processEnv,
      ...resolved.definedEnv,
      PIPELINE_RUN_ID: String(this.runId),
      PIPELINE_OUTPUT: outputFile,
      [PROCESS_TAG_VAR]: tag,
      ...resolved.exprEnv,
    };
    const attempt = state.attempt;
    const handle = startAttempt({
      shell: resolved.shell, script: resolved.script, cwd: resolved.cwd, env, tag,
      timeoutMs: resolved.timeoutMs, graceMs: this.graceMs,
      onStarted: (pid) => this.emit({ type: 'block-attempt', runId: this.runId, block: state.block.id, attempt, blockRunId: rowId ?? 0, pid, cwd: resolved.cwd, time: now }),
      onOutput: (stream, text) => {
        this.emit({ type: 'log-chunk', runId: this.runId, block: state.block.id, attempt, stream, text, time: Date.now() });
        writer?.write(stream, sanitizers[stream].write(text));
      },
    });
    state.handle = handle;
    handle.done.then(
      (outcome) => {
        writer?.write('stdout', sanitizers.stdout.end());
        writer?.write('stderr', sanitizers.stderr.end());
        this.attemptEnded(state, outcome, outputFile, writer);
      },
      (error: unknown) => {
        this.attemptEnded(state, { ok: false, exitCode: undefined, signal: undefined, reason: `internal error: ${String(error)}`, pid: undefined }, outputFile, writer);
      },
    );
  }

  private attemptEnded(state: BlockState, outcome: AttemptOutcome, outputFile: string, writer: LogWriter | undefined): void {
    state.handle = undefined;
    this.running--;
    let result = outcome;
    let outputs: Record<string, string> = {};
    if (outcome.ok) {
      const parsed = parseOutputs(readOutputFile(outputFile));
      if ('error' in parsed) result = { ...outcome, ok: false, reason: `invalid $PIPELINE_OUTPUT: ${parsed.error}` };
      else {
        outputs = parsed.outputs;
        const missing = missingOutputs(state.block.outputs?.map((o) => o.name), outputs);
        if (missing.length > 0) result = { ...outcome, ok: false, reason: `missing output${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}` };
      }
    }
    rmSync(outputFile, { force: true });
    state.exitCode = result.exitCode;
    state.signal = result.signal;
    const cancelled = result.reason === 'cancelled' || (state.cancelRequested && !result.ok);
    const policy = state.resolved?.retry;
    const attempts = policy?.attempts ?? 1;
    const canRetry = !result.ok && !cancelled && this.stopping === undefined && state.attempt < attempts;
    if (canRetry && policy !== undefined) {
      const delay = Math.min(policy.delayMs * policy.backoff ** (state.attempt - 1), policy.maxDelayMs ?? Number.POSITIVE_INFINITY);
      writer?.write('system', `attempt ${state.attempt} of ${attempts} failed (${result.reason ?? 'failed'}); retrying in ${formatMs(delay)}\n`);
      writer?.close();
      this.updateRow(state, { status: 'failed', exitCode: result.exitCode, signal: result.signal, reason: result.reason });
      this.emit({ type: 'block-status', runId: this.runId, block: state.block.id, status: 'running', attempt: state.attempt, reason: `attempt ${state.attempt} failed (${result.reason ?? 'failed'}); retrying in ${formatMs(delay)}`, exitCode: result.exitCode, signal: result.signal, time: Date.now() });
      state.retryTimer = (this.options.clock ?? realClock).setTimeout(() => {
        state.retryTimer = undefined;
        this.ready.push(state.index);
        this.pump();
      }, delay);
      this.pump();
      return;
    }
    writer?.close();
    if (result.ok) {
      const cache = state.block.cache;
      const outputHashes = cache !== undefined && state.resolved !== undefined ? hashOutputs(state.resolved.cwd, cache.outputs.map((o) => o.value)) : undefined;
      this.finishBlock(state, 'completed', { exitCode: result.exitCode, outputs, fingerprint: state.fingerprint, outputHashes });
    } else {
      this.finishBlock(state, cancelled ? 'cancelled' : 'failed', { exitCode: result.exitCode, signal: result.signal, reason: cancelled ? 'cancelled' : result.reason });
    }
    this.pump();
  }

  private finishBlock(state: BlockState, status: BlockStatus, update: Omit<BlockRunUpdate, 'status'>): void {
    if (state.finished) return;
    state.finished = true;
    state.status = status;
    state.finishedAt = Date.now();
    state.reason = update.reason;
    if (update.outputs !== undefined) state.outputs = update.outputs;
    if (update.fingerprint !== undefined) state.fingerprint = update.fingerprint;
    this.updateRow(state, { ...update, status });
    this.emit({
      type: 'block-status', runId: this.runId, block: state.block.id, status, attempt: state.attempt, reason: update.reason,
      exitCode: update.exitCode, signal: update.signal, outputs: status === 'completed' || status === 'cached' ? state.outputs : undefined, time: state.finishedAt,
    });
    this.unfinished--;
    for (const id of this.prepared.dag.directDownstream(state.block.id)) {
      const down = this.byId.get(id);
      if (down === undefined || !down.selected || down.finished) continue;
      down.waitingFor--;
      if (down.waitingFor === 0) this.readyWork.push(down);
    }
    this.drainReadyWork();
    if (this.unfinished === 0) this.finishRun();
  }

  /**
   * Decides the blocks whose upstream has just finished. A loop rather than recursion: a skipped
   * or failed block at the head of a 10,000-block chain settles the whole chain at once.
   */
  private drainReadyWork(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let state = this.readyWork.shift(); state !== undefined; state = this.readyWork.shift()) this.becomeReady(state);
    } finally {
      this.draining = false;
    }
  }

  private finishRun(): void {
    if (this.finishedRun) return;
    this.finishedRun = true;
    if (this.runTimer !== undefined) clearTimeout(this.runTimer);
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    // Whatever a block left behind outside its process group (setsid, double fork) goes with the run.
    sweepTagged(this.token, 'SIGKILL', true);
    rmSync(this.outputDir, { recursive: true, force: true });
    const failed = this.blocks.some((b) => b.status === 'failed' && !b.block.continueOnError) || this.blocks.some((b) => b.status === 'upstream_failed');
    const cancelled = this.stopping === 'cancelled' || this.blocks.some((b) => b.status === 'cancelled');
    const status: RunStatus = this.stopping === 'timeout' || failed ? 'failed' : cancelled ? 'cancelled' : 'completed';
    const error = this.stopping === 'timeout' ? 'timeout' : this.storeError;
    this.safe(() => this.store.updateRun(this.runId, { status, ...(error === undefined ? {} : { error }) }));
    const blocks = this.blocks.map((b) => this.summary(b));
    this.emit({ type: 'run-finished', runId: this.runId, status, error, blocks, time: Date.now() });
    this.resolveDone({ runId: this.runId, status, error, blocks });
  }

  private summary(b: BlockState): BlockSummary {
    return {
      block: b.block.id, status: b.status, attempts: b.attempt,
      durationMs: b.startedAt !== undefined && b.finishedAt !== undefined ? b.finishedAt - b.startedAt : undefined,
      exitCode: b.exitCode, signal: b.signal, reason: b.reason, outputs: b.outputs,
    };
  }

  private upstreamViews(): Upstream {
    return (id) => {
      const up = this.byId.get(id);
      if (up === undefined || !up.finished) return undefined;
      // A reused block reads as what it was in the run it comes from.
      return { status: up.reused?.status ?? up.status, outputs: up.outputs, fingerprint: up.fingerprint };
    };
  }

  private setStatus(state: BlockState, status: BlockStatus, update: Omit<BlockRunUpdate, 'status'>): void {
    state.status = status;
    this.updateRow(state, { ...update, status });
    this.emit({ type: 'block-status', runId: this.runId, block: state.block.id, status, attempt: state.attempt, time: Date.now() });
  }

  private updateRow(state: BlockState, update: BlockRunUpdate): void {
    const rowId = state.rowId;
    if (rowId !== undefined) this.safe(() => this.store.updateBlockRun(rowId, update));
  }

  private log(state: BlockState, stream: 'system', text: string): void {
    this.emit({ type: 'log-chunk', runId: this.runId, block: state.block.id, attempt: state.attempt, stream, text, time: Date.now() });
  }

  private emit(event: RunEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's bug must not stop the run.
    }
  }

  /** A store failure (disk full, a lock held too long) is reported, but the run goes on. */
  private safe<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.storeError ??= `run store: ${error instanceof Error ? error.message : String(error)}`;
      return undefined;
    }
  }
}

function readOutputFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
