import { rmSync } from 'node:fs';
import { statusLabel } from '../model/status.ts';
import type { BlockRunUpdate, GitInfo, RunStatus } from '../store/types.ts';
import { launchAttempt, formatMs, retryDelay, type AttemptContext, type AttemptEnd } from './attempts.ts';
import { hasAttempt, isFinished, move, PHASE_STATUS, type BlockEvent, type BlockRun } from './blockMachine.ts';
import { PausableTimeout, type Clock } from './clock.ts';
import type { BlockSummary } from './events.ts';
import type { Executor } from './executor.ts';
import { hashOutputs } from './fingerprint.ts';
import { askGate } from './gateStep.ts';
import { cancelUnreleased, itemEnded, startFanOut, type FanOutHost } from './fanOut.ts';
import type { PreparedRun } from './prepare.ts';
import { sweepTagged } from './processGroup.ts';
import { decideReadiness, stopReason } from './readiness.ts';
import { ReadyQueue } from './readyQueue.ts';
import type { RunScope } from './resolve.ts';
import type { ControlAnswer } from './control.ts';
import { RunControl } from './runControl.ts';
import type { RunRecorder } from './runRecorder.ts';
import type { RunResult, StartRunOptions } from './engine.ts';

const DEFAULT_HEARTBEAT_MS = 5000;

export interface ApprovalDecision {
  approved: boolean;
  /** Who decided (an OS user name); undefined when the gate's timeout decided. */
  user: string | undefined;
  comment?: string | undefined;
}

/**
 * One run: which block moves next. Blocks move along blockMachine.ts's table; the run's own state
 * (running, paused, stopping, finished) is RunControl's. Attempts are started by attempts.ts on the
 * block's executor; what a block becomes once its upstream finished is readiness.ts's to decide.
 */
export class Run {
  readonly done: Promise<RunResult>;
  private resolveDone!: (result: RunResult) => void;
  readonly blocks: BlockRun[];
  readonly byId = new Map<string, BlockRun>();
  readonly control: RunControl;
  private readonly ready: ReadyQueue;
  /** Slots taken: attempts in flight and blocks held at the debugger's gate. */
  private running = 0;
  private unfinished: number;
  private runTimeout: PausableTimeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly readyWork: BlockRun[] = [];
  private draining = false;
  private readonly attempts: AttemptContext;
  /** The items of fan-out blocks, by ready-queue index (blocks hold the indexes below blocks.length). */
  private readonly items = new Map<number, BlockRun>();
  /** Fan-out blocks that have not ended, whose items cancel, pause and stop reach. */
  private readonly fans = new Set<BlockRun>();
  private nextItemIndex: number;
  private readonly fanHost: FanOutHost;

  readonly prepared: PreparedRun;
  private readonly scope: RunScope;
  readonly recorder: RunRecorder;
  private readonly options: StartRunOptions;
  readonly git: GitInfo | undefined;
  private readonly clock: Clock;
  private readonly outputDir: string;
  private readonly executors: readonly Executor[];

  constructor(
    prepared: PreparedRun, scope: RunScope, recorder: RunRecorder, options: StartRunOptions, git: GitInfo | undefined,
    blocks: BlockRun[], attempts: AttemptContext, executors: readonly Executor[],
  ) {
    this.prepared = prepared;
    this.scope = scope;
    this.recorder = recorder;
    this.options = options;
    this.git = git;
    this.clock = attempts.clock;
    this.outputDir = attempts.outputDir;
    this.attempts = attempts;
    this.executors = executors;
    this.blocks = blocks;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    for (const state of blocks) this.byId.set(state.block.id, state);
    this.ready = new ReadyQueue(blocks.length);
    this.unfinished = blocks.length;
    this.nextItemIndex = blocks.length;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the fan-out's view of this run
    const run = this;
    this.fanHost = {
      prepared, scope, recorder, clock: this.clock, byId: this.byId,
      get stopping() {
        return run.control.stopping;
      },
      newIndex: (item) => {
        const index = this.nextItemIndex++;
        this.items.set(index, item);
        return index;
      },
      enqueue: (item) => this.ready.push(item.index),
      finish: (state, event, update) => this.finishBlock(state, event, update),
    };
    this.control = new RunControl(this, this.clock, options.pauseLimitMs);
  }

  start(): void {
    const now = this.clock.now();
    const { recorder } = this;
    for (const state of this.blocks) {
      if (!state.selected) {
        // Not selected: skipped in this run; a reused result stands in for it downstream.
        move(state, 'skip');
        state.status = 'skipped';
        state.reason = state.reused !== undefined ? `not selected; reusing run #${state.reused.fromRun}` : 'not selected';
        state.outputs = state.reused?.outputs ?? {};
        state.fingerprint = state.reused?.fingerprint;
        this.unfinished--;
      }
      state.rowId = recorder.safe(() => recorder.store.createBlockRun({
        runId: recorder.runId, block: state.block.id, status: state.status, reason: state.reason, outputs: state.outputs,
        ...(state.selected ? {} : { startedAt: now, finishedAt: now }),
      }).id);
    }
    recorder.safe(() => recorder.store.updateRun(recorder.runId, { status: 'running' }));
    recorder.emit({
      type: 'run-started', runId: recorder.runId, pipelineName: this.prepared.pipeline.name, pipelineFile: this.prepared.file,
      blocks: this.blocks.map((b) => ({ id: b.block.id, status: b.status })), concurrency: this.prepared.concurrency, time: now,
    });
    this.heartbeatTimer = setInterval(() => recorder.safe(() => recorder.store.heartbeat(recorder.runId)), this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    this.heartbeatTimer.unref();
    if (this.prepared.pipeline.timeoutMs !== undefined) this.runTimeout = new PausableTimeout(this.clock, this.prepared.pipeline.timeoutMs, () => this.control.stop('timeout'));
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

  get finished(): boolean {
    return this.unfinished === 0;
  }

  cancelBlock(id: string): boolean {
    const state = this.byId.get(id) ?? this.itemById(id);
    if (state === undefined || isFinished(state)) return false;
    state.cancelRequested = true;
    if (state.fan !== undefined) {
      // A fan-out block: its items end (the last one ends the block).
      for (const item of state.fan.items) if (!isFinished(item) && item.phase !== 'initial') this.stopOne(item, 'cancelled', 'cancelled');
      cancelUnreleased(this.fanHost, state);
    } else if (hasAttempt(state)) state.handle?.stop('cancelled');
    else if (state.phase === 'gated') this.cancelGated(state, 'cancelled');
    // Queued, waiting to retry, or still waiting for its upstream: nothing runs, it ends now.
    else this.cancelWaiting(state, 'cancelled');
    // Someone asked: what it changed is in the store when the answer comes, not a moment later.
    this.recorder.flush();
    return true;
  }

  /** A fan-out's item by its id (`resize[3]`). */
  private itemById(id: string): BlockRun | undefined {
    const m = /^(.*)\[(\d+)\]$/.exec(id);
    return m === null ? undefined : this.byId.get(m[1] ?? '')?.fan?.items[Number(m[2])];
  }

  /** Blocks, then the items of the fan-outs still going. */
  private *liveStates(): Generator<BlockRun> {
    yield* this.blocks;
    for (const fan of [...this.fans]) yield* fan.fan?.items ?? [];
  }

  /** The run is stopping (cancel, run timeout): stop what runs, end what waits, start nothing. */
  stopAll(why: 'cancelled' | 'timeout'): void {
    const reason = stopReason(why);
    for (const state of [...this.liveStates()]) this.stopOne(state, why, reason);
    for (const fan of [...this.fans]) cancelUnreleased(this.fanHost, fan);
    this.pump();
  }

  private stopOne(state: BlockRun, why: 'cancelled' | 'timeout', reason: string): void {
    if (isFinished(state)) return;
    if (hasAttempt(state)) state.handle?.stop(why);
    else if (state.phase === 'gated') this.cancelGated(state, reason);
    else if (state.phase === 'retry_wait' || state.phase === 'queued' || state.phase === 'waiting') this.cancelWaiting(state, reason);
  }

  /** "Pause now": freeze every running attempt and hold its timeout; the run timeout is held by RunControl. */
  freezeAttempts(): void {
    for (const state of this.liveStates()) {
      if (state.phase !== 'running' || state.handle?.suspend?.() !== true) continue;
      state.timeout?.pause();
      move(state, 'suspend');
      this.recorder.status(state, { status: 'paused' }, 'paused');
    }
    this.recorder.flush();
  }

  thawAttempts(): void {
    for (const state of this.liveStates()) {
      if (state.phase !== 'suspended') continue;
      state.handle?.resume?.();
      state.timeout?.resume();
      move(state, 'resume');
      this.recorder.status(state, { status: 'running' });
    }
    this.recorder.flush();
  }

  /** Holds (or lets go) the run's timeout and the approval gates' timeouts. */
  holdRunTimeout(held: boolean): void {
    // A plain pause also holds what running attempts schedule themselves (a sub-pipeline's child run).
    for (const state of this.blocks) if (state.phase === 'running') state.handle?.hold?.(held);
    for (const timer of [this.runTimeout, ...this.blocks.filter((b) => b.phase === 'waiting').map((b) => b.timeout)]) {
      if (held) timer?.pause();
      else timer?.resume();
    }
  }

  /** Queued, waiting to retry or at an approval gate: no process to stop, it just ends cancelled. */
  private cancelWaiting(state: BlockRun, reason: string): void {
    if (state.retryTimer !== undefined) this.clock.clearTimeout(state.retryTimer);
    state.retryTimer = undefined;
    state.timeout?.cancel();
    state.timeout = undefined;
    this.ready.remove(state.index);
    this.finishBlock(state, 'cancel', { reason });
    this.pump();
  }

  /** Held at the gate: it gives its slot back and ends cancelled; the gate's later answer is ignored. */
  private cancelGated(state: BlockRun, reason: string): void {
    this.running--;
    this.finishBlock(state, 'cancel', { reason });
    this.pump();
  }

  /** Every upstream block has finished: decide what becomes of this one. */
  private becomeReady(state: BlockRun): void {
    const decision = decideReadiness({
      prepared: this.prepared, scope: this.scope, recorder: this.recorder, byId: this.byId,
      noCache: this.options.noCache === true, stopping: this.control.stopping,
    }, state);
    if (decision.event === 'approval') {
      this.awaitApproval(state, decision.prompt);
      return;
    }
    if (decision.event === 'fan_out') {
      this.fans.add(state);
      startFanOut(this.fanHost, state);
      return;
    }
    if (decision.event !== 'ready') {
      if (decision.disabled === true) state.disabled = true;
      this.finishBlock(state, decision.event, decision.update);
      return;
    }
    move(state, 'ready');
    this.recorder.status(state, { status: 'queued' });
    this.ready.push(state.index);
  }

  /** At its approval gate: waits for decide(), or for its timeout (held while the run is paused). */
  private awaitApproval(state: BlockRun, prompt: string): void {
    move(state, 'approval');
    const approval = state.block.approval;
    const timeoutMs = approval?.timeoutMs;
    if (approval !== undefined && timeoutMs !== undefined) {
      state.timeout = new PausableTimeout(this.clock, timeoutMs, () => {
        state.timeout = undefined;
        this.decide(state.block.id, { approved: approval.onTimeout === 'approved', user: undefined, comment: `no decision within ${formatMs(timeoutMs)}` });
      });
      if (this.control.paused) state.timeout.pause();
    }
    // Last: a listener may decide at once.
    this.recorder.status(state, { status: 'waiting', reason: prompt }, prompt);
  }

  /** Someone approved or rejected a block at its gate (user undefined: its timeout decided). */
  decide(id: string, decision: ApprovalDecision): ControlAnswer {
    const state = this.byId.get(id);
    const runId = this.recorder.runId;
    if (state === undefined) return { ok: false, message: `Run #${runId} has no block '${id}'.` };
    if (state.phase !== 'waiting') return { ok: false, message: `Block '${id}' of run #${runId} is not waiting for approval (it is ${statusLabel(state.status)}).` };
    state.timeout?.cancel();
    state.timeout = undefined;
    const who = decision.user === undefined ? 'on timeout' : `by ${decision.user}`;
    const comment = decision.comment === undefined || decision.comment === '' ? '' : `: ${decision.comment}`;
    const note = `${decision.approved ? 'approved' : 'rejected'} ${who} at ${new Date(this.clock.now()).toISOString()}${comment}`;
    this.recorder.systemLog(state, `${note}\n`);
    if (decision.approved) {
      move(state, 'approve');
      this.recorder.status(state, { status: 'queued', reason: note }, note);
      this.ready.push(state.index);
    } else {
      this.finishBlock(state, 'reject', { reason: note });
    }
    this.pump();
    this.recorder.flush();
    return { ok: true, message: `Block '${id}' of run #${runId} ${note}.` };
  }

  /** Starts what the free slots allow, unless the run is paused; a stopping run cancels what is queued. */
  pump(): void {
    const stopping = this.control.stopping;
    while (this.running < this.prepared.concurrency && stopping === undefined && !this.control.paused) {
      const index = this.ready.pop();
      if (index === undefined) break;
      const state = this.stateAt(index);
      if (state !== undefined) this.dispatch(state);
    }
    if (stopping !== undefined) {
      for (let index = this.ready.pop(); index !== undefined; index = this.ready.pop()) {
        const state = this.stateAt(index);
        if (state !== undefined) this.finishBlock(state, 'cancel', { reason: stopReason(stopping) });
      }
    }
  }

  private stateAt(index: number): BlockRun | undefined {
    return index < this.blocks.length ? this.blocks[index] : this.items.get(index);
  }

  /**
   * A slot is free: the first attempt asks the debugger's gate (which may hold it, slot taken, so
   * that a held block holds back what a concurrency limit would); a retry starts at once.
   */
  private dispatch(state: BlockRun): void {
    // The debugger holds blocks; a fan-out's items run on (holding 10,000 of them one by one would help no one).
    const held = state.attempt === 0 && state.parent === undefined ? askGate(this, state, this.options.beforeBlock) : undefined;
    if (held === undefined) {
      move(state, 'dispatch');
      this.startAttempt(state);
      return;
    }
    move(state, 'hold');
    this.running++;
    const release = (): void => {
      if (state.phase !== 'gated') return;
      this.running--;
      const stopping = this.control.stopping;
      if (stopping !== undefined || state.cancelRequested) {
        this.finishBlock(state, 'cancel', { reason: stopReason(stopping) });
        this.pump();
        return;
      }
      move(state, 'release');
      this.startAttempt(state);
    };
    held.then(release, release);
  }

  private startAttempt(state: BlockRun): void {
    this.running++;
    launchAttempt(this.attempts, state, (end) => this.attemptEnded(state, end));
  }

  private attemptEnded(state: BlockRun, { outcome: result, outputs, writer }: AttemptEnd): void {
    this.running--;
    state.exitCode = result.exitCode;
    state.signal = result.signal;
    const cancelled = result.reason === 'cancelled' || (state.cancelRequested && !result.ok);
    const policy = state.resolved?.retry;
    const attempts = policy?.attempts ?? 1;
    const canRetry = !result.ok && !cancelled && this.control.stopping === undefined && state.attempt < attempts;
    if (canRetry && policy !== undefined) {
      const delay = retryDelay(policy, state.attempt);
      const why = `${result.reason ?? 'failed'}); retrying in ${formatMs(delay)}`;
      writer?.write('system', `attempt ${state.attempt} of ${attempts} failed (${why}\n`);
      writer?.close();
      move(state, 'retry');
      this.recorder.updateRow(state, { status: 'failed', exitCode: result.exitCode, signal: result.signal, reason: result.reason });
      this.recorder.emit({
        type: 'block-status', runId: this.recorder.runId, block: state.id, status: 'running', attempt: state.attempt,
        reason: `attempt ${state.attempt} failed (${why}`, exitCode: result.exitCode, signal: result.signal, time: this.clock.now(),
      });
      state.retryTimer = this.clock.setTimeout(() => {
        state.retryTimer = undefined;
        move(state, 'retry_due');
        this.ready.push(state.index);
        this.pump();
      }, delay);
      this.pump();
      return;
    }
    writer?.close();
    if (result.ok) {
      const cache = state.block.cache;
      const outputHashes = cache !== undefined && state.resolved !== undefined ? hashOutputs(state.resolved.cwd, cache.outputs.map((o) => o.value), this.prepared.hashLimitBytes) : undefined;
      this.finishBlock(state, 'succeed', { exitCode: result.exitCode, outputs, fingerprint: state.fingerprint, outputHashes });
    } else {
      this.finishBlock(state, cancelled ? 'cancel' : 'fail', { exitCode: result.exitCode, signal: result.signal, reason: cancelled ? 'cancelled' : result.reason });
    }
    this.pump();
  }

  /** Moves the block to a final phase, records it, and lets its dependents decide. */
  private finishBlock(state: BlockRun, event: BlockEvent, update: Omit<BlockRunUpdate, 'status'>): void {
    if (isFinished(state)) return;
    const status = PHASE_STATUS[move(state, event)];
    state.status = status;
    state.finishedAt = this.clock.now();
    state.reason = update.reason;
    if (update.outputs !== undefined) state.outputs = update.outputs;
    if (update.fingerprint !== undefined) state.fingerprint = update.fingerprint;
    this.recorder.updateRow(state, { ...update, status });
    this.recorder.emit({
      type: 'block-status', runId: this.recorder.runId, block: state.id, status, attempt: state.attempt, reason: update.reason,
      exitCode: update.exitCode, signal: update.signal, outputs: status === 'completed' || status === 'cached' ? state.outputs : undefined, time: state.finishedAt,
      ...(status === 'cached' && state.cachedFrom !== undefined ? { blockRunId: state.rowId, cachedFrom: state.cachedFrom } : {}),
    });
    if (state.parent !== undefined) {
      // An item: its fan-out block counts it, and ends once the last one has.
      this.items.delete(state.index);
      itemEnded(this.fanHost, state);
      return;
    }
    this.fans.delete(state);
    this.unfinished--;
    for (const id of this.prepared.dag.directDownstream(state.block.id)) {
      const down = this.byId.get(id);
      if (down === undefined || !down.selected || isFinished(down)) continue;
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
    if (!this.control.finish()) return;
    this.runTimeout?.cancel();
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    // Whatever a block left behind outside its process group (setsid, double fork) goes with the run.
    sweepTagged(this.attempts.token, 'SIGKILL', true);
    rmSync(this.outputDir, { recursive: true, force: true });
    // Every block row is written before the run's end is (a store error among them is the run's error).
    this.recorder.flush();
    const stopping = this.control.stopping;
    const failed = this.blocks.some((b) => (b.status === 'failed' && !b.block.continueOnError) || b.status === 'upstream_failed');
    const cancelled = stopping === 'cancelled' || this.blocks.some((b) => b.status === 'cancelled');
    const status: RunStatus = stopping === 'timeout' || failed ? 'failed' : cancelled ? 'cancelled' : 'completed';
    const error = stopping === 'timeout' ? 'timeout' : this.recorder.storeError;
    const { recorder } = this;
    recorder.safe(() => recorder.store.updateRun(recorder.runId, { status, ...(error === undefined ? {} : { error }) }));
    const blocks = this.blocks.map(summary);
    recorder.emit({ type: 'run-finished', runId: recorder.runId, status, error, blocks, time: this.clock.now() });
    for (const executor of this.executors) {
      try {
        void executor.dispose?.(this.executorRun())?.catch(() => undefined);
      } catch {
        // A failed clean-up must not lose the run's result.
      }
    }
    this.resolveDone({ runId: recorder.runId, status, error, blocks });
  }

  executorRun(): { runId: number; token: string; pipelineName: string; pipelineFile: string; folder: string } {
    return { runId: this.recorder.runId, token: this.attempts.token, pipelineName: this.prepared.pipeline.name, pipelineFile: this.prepared.file, folder: this.prepared.folder };
  }
}

function summary(b: BlockRun): BlockSummary {
  return {
    block: b.block.id, status: b.status, attempts: b.attempt,
    durationMs: b.startedAt !== undefined && b.finishedAt !== undefined ? b.finishedAt - b.startedAt : undefined,
    exitCode: b.exitCode, signal: b.signal, reason: b.reason, outputs: b.outputs,
  };
}
