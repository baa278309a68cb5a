import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Dag } from '../graph/dag.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { LogChunkEvent, RunEvent, RunFinishedEvent } from '../runner/events.ts';
import type { BlockGate } from '../runner/gate.ts';
import type { StartRunParams } from '../runner/protocol.ts';
import type { Selection } from '../runner/selection.ts';
import type { VariableValue } from '../runner/variables.ts';
import type { BlockStatus } from '../store/types.ts';
import { isFinalStatus as isFinal } from '../model/status.ts';
import { validatePipeline } from '../validate/validate.ts';
import { blockLines, mapBreakpoints, type BlockLines, type BreakpointRequest, type MappedBreakpoint } from './breakpoints.ts';
import type { DebugDriver } from './driver.ts';
import { conditionHolds, evaluateAtGate, type Evaluation } from './expressions.ts';
import { blockScopes, type DebugScope } from './scopes.ts';

export interface DebugLaunch {
  file: string;
  /** The editor's unsaved text, when there is one. */
  text?: string;
  variables?: Record<string, VariableValue>;
  selection?: Selection;
  stopOnEntry?: boolean;
  /** Blocks to pause before as if they had a breakpoint ("Debug block" uses it). */
  stopAt?: string[];
  store?: string;
  concurrency?: number;
  noCache?: boolean;
  logCapBytes?: number;
}

export type StopReason = 'entry' | 'breakpoint' | 'step' | 'pause';

/** What the debug session tells its adapter; the adapter turns these into DAP events. */
export type DebugRunEvent =
  | { type: 'stopped'; reason: StopReason; threadId: number; block: string; description: string; breakpointLines: number[] }
  | { type: 'thread'; reason: 'started' | 'exited'; threadId: number }
  | { type: 'output'; category: 'stdout' | 'stderr' | 'console'; text: string }
  | { type: 'run'; event: RunEvent | LogChunkEvent }
  | { type: 'finished'; event: RunFinishedEvent }
  | { type: 'lost'; reason: string };

export const RUN_THREAD = 1;

interface TrackedBlock {
  id: string;
  threadId: number;
  lines: BlockLines | undefined;
  gate: BlockGate | undefined;
  release: (() => void) | undefined;
  status: BlockStatus;
}

export interface ThreadView {
  id: number;
  name: string;
}

export interface FrameView {
  name: string;
  /** Zero-based. */
  line: number;
  block: string | undefined;
  /** The file the frame is in, when not the debugged one (a block of a sub-pipeline's child run). */
  file?: string;
}

/** A block of a sub-pipeline's child run, paused after Step Into (issue 17). */
interface ChildBlock extends TrackedBlock {
  runId: number;
  file: string | undefined;
}

/** Thread ids of child runs' blocks start here, clear of the debugged file's blocks. */
const FIRST_CHILD_THREAD = 100_000;

/**
 * A pipeline run under a debugger: decides which blocks pause (entry, breakpoints and their
 * conditions, stepping), tracks threads (the run and each running or paused block) and answers
 * scopes and evaluations from what the engine resolved. Knows nothing of DAP or VS Code.
 */
export class DebugRun {
  readonly file: string;
  private readonly launch: DebugLaunch;
  private readonly driver: DebugDriver;
  private readonly listener: (event: DebugRunEvent) => void;
  private readonly pipeline: Pipeline;
  private readonly dag: Dag;
  private readonly lines: BlockLines[];
  private readonly breakpoints = new Map<string, MappedBreakpoint[]>();
  private blocks = new Map<string, TrackedBlock>();
  private runId: number | undefined;
  private store: string | undefined;
  private pauseNext = false;
  private finished: RunFinishedEvent | undefined;
  private finishWaiters: (() => void)[] = [];
  private rawBreakpoints: BreakpointRequest[] = [];
  /** Step Into on a `pipeline:` block: pause before the first block of its child run. */
  private stepIntoFile: string | undefined;
  /** Child runs' files, by run id, as Step Into learnt them. */
  private readonly childFiles = new Map<number, string>();
  private readonly childBlocks = new Map<number, ChildBlock>();
  private nextChildThread = FIRST_CHILD_THREAD;
  /** The debugged run's id, from its first gate when the start has not been answered yet. */
  private gatedRunId: number | undefined;

  constructor(launch: DebugLaunch, driver: DebugDriver, listener: (event: DebugRunEvent) => void) {
    this.file = resolve(launch.file);
    this.launch = launch;
    this.driver = driver;
    this.listener = listener;
    const text = launch.text ?? readFileSync(this.file, 'utf8');
    const { pipeline, dag } = validatePipeline(text, { fileName: this.file });
    this.pipeline = pipeline;
    this.dag = dag;
    this.lines = blockLines(pipeline, text);
    this.resetBlocks();
  }

  get currentRunId(): number | undefined {
    return this.runId;
  }

  get isFinished(): boolean {
    return this.finished !== undefined;
  }

  /** Replaces the file's breakpoints; the answer says which are verified and why not. */
  setBreakpoints(requests: readonly BreakpointRequest[]): MappedBreakpoint[] {
    this.rawBreakpoints = [...requests];
    const mapped = mapBreakpoints(this.lines, requests, this.selectedBlocks());
    this.breakpoints.clear();
    for (const bp of mapped) {
      if (!bp.verified || bp.block === undefined) continue;
      this.breakpoints.set(bp.block, [...(this.breakpoints.get(bp.block) ?? []), bp]);
    }
    return mapped;
  }

  /** Starts the run (again, for Restart, once the previous one has finished). */
  async start(): Promise<{ runId: number; store: string }> {
    this.finished = undefined;
    this.runId = undefined;
    this.gatedRunId = undefined;
    this.stepIntoFile = undefined;
    this.childFiles.clear();
    this.childBlocks.clear();
    this.pauseNext = this.launch.stopOnEntry === true;
    this.resetBlocks();
    const params: StartRunParams = {
      file: this.file, text: this.launch.text, variables: this.launch.variables, selection: this.launch.selection, trigger: 'debug',
      store: this.launch.store, concurrency: this.launch.concurrency, noCache: this.launch.noCache, logCapBytes: this.launch.logCapBytes,
    };
    const started = await this.driver.startRun(params, {
      onEvent: (event) => this.onRunEvent(event),
      onGate: (gate) => this.onGate(gate),
      onLost: (reason) => this.onLost(reason),
    });
    this.runId = started.runId;
    this.store = started.store;
    return started;
  }

  threads(): ThreadView[] {
    const run: ThreadView = { id: RUN_THREAD, name: `${this.pipeline.name}${this.runId !== undefined ? ` #${this.runId}` : ''}` };
    const live = [...this.blocks.values()].filter((b) => b.gate !== undefined && !isFinal(b.status));
    const children = [...this.childBlocks.values()].map((b) => ({ id: b.threadId, name: `${b.id} (child #${b.runId}, paused)` }));
    return [run, ...live.map((b) => ({ id: b.threadId, name: `${b.id} (${b.release !== undefined ? 'paused' : 'running'})` })), ...children];
  }

  /** The one frame of a thread: the block's id line, or the top of the file for the run. */
  frame(threadId: number): FrameView {
    const child = this.childBlocks.get(threadId);
    if (child !== undefined) return { name: `before ${child.id} (child run #${child.runId})`, line: child.lines?.first ?? 0, block: child.id, ...(child.file === undefined ? {} : { file: child.file }) };
    const block = this.byThread(threadId);
    if (block === undefined) return { name: `run ${this.pipeline.name}`, line: 0, block: undefined };
    return { name: block.release !== undefined ? `before ${block.id}` : block.id, line: block.lines?.first ?? 0, block: block.id };
  }

  scopes(threadId: number): DebugScope[] {
    const block = this.byThread(threadId) ?? this.lastGated();
    if (block?.gate === undefined) return [];
    const statuses = new Map([...this.blocks.values()].map((b) => [b.id, b.status]));
    return blockScopes(block.gate, block.release !== undefined ? 'paused' : 'running', { runId: this.runId, pipelineFile: this.file, statuses });
  }

  /** In the context of the thread's block, else the most recently paused one. */
  evaluate(expression: string, threadId: number | undefined): Evaluation {
    const block = (threadId === undefined ? undefined : this.byThread(threadId)) ?? this.lastGated();
    if (block?.gate === undefined) return { error: 'Nothing to evaluate against yet: expressions are evaluated in a block the run has paused before.' };
    return evaluateAtGate(expression, block.gate);
  }

  /** Continue: every paused block starts. */
  continueAll(): void {
    for (const block of this.blocks.values()) this.releaseBlock(block);
    for (const child of [...this.childBlocks.values()]) this.releaseChild(child);
  }

  /**
   * Step Into: on a paused `pipeline:` block, start it and pause before the first block of its child
   * run (in the child's file); on any other block, Step Over.
   */
  stepIn(threadId: number): void {
    const block = this.byThread(threadId);
    const sub = block === undefined ? undefined : this.pipeline.blockById.get(block.id)?.subPipeline;
    if (block?.release === undefined || sub === undefined) {
      this.stepOver(threadId);
      return;
    }
    this.stepIntoFile = resolve(dirname(this.file), sub.file.value.trim());
    this.releaseBlock(block);
  }

  /** Step Over: start the thread's paused block (or all, from the run thread) and pause before the next block that becomes ready. */
  stepOver(threadId: number): void {
    this.pauseNext = true;
    const child = this.childBlocks.get(threadId);
    if (child !== undefined) {
      this.releaseChild(child);
      return;
    }
    const block = this.byThread(threadId);
    if (block?.release !== undefined) this.releaseBlock(block);
    else this.continueAll();
  }

  /** Pause: the next block that becomes ready stops before starting (running blocks are not interrupted). */
  pause(): void {
    this.pauseNext = true;
  }

  /** Stop: cancels the run (process trees killed, run recorded cancelled) and waits for its end. */
  async cancel(timeoutMs = 15_000): Promise<void> {
    if (this.finished !== undefined) return;
    const ref = this.runId !== undefined && this.store !== undefined ? { runId: this.runId, store: this.store } : undefined;
    if (ref !== undefined) await this.driver.cancelRun(ref);
    // The engine has already ended held blocks as cancelled; this only settles the promises.
    for (const block of this.blocks.values()) this.releaseBlock(block);
    for (const child of [...this.childBlocks.values()]) this.releaseChild(child);
    if (ref !== undefined) await this.whenFinished(timeoutMs);
  }

  whenFinished(timeoutMs: number): Promise<void> {
    if (this.finished !== undefined) return Promise.resolve();
    return new Promise((done) => {
      const timer = setTimeout(done, timeoutMs);
      this.finishWaiters.push(() => {
        clearTimeout(timer);
        done();
      });
    });
  }

  private onGate(gate: BlockGate): Promise<void> {
    const runId = this.runId ?? (this.gatedRunId ??= gate.runId);
    if (gate.runId !== runId) return this.onChildGate(gate);
    const block = this.blocks.get(gate.block);
    if (block === undefined) return Promise.resolve();
    block.gate = gate;
    this.listener({ type: 'thread', reason: 'started', threadId: block.threadId });
    const decision = this.shouldPause(block, gate);
    if (decision === undefined) return Promise.resolve();
    return new Promise((release) => {
      block.release = release;
      const where = `${this.pipeline.name}: paused before block '${block.id}'`;
      this.listener({ type: 'stopped', reason: decision.reason, threadId: block.threadId, block: block.id, description: where, breakpointLines: decision.lines });
    });
  }

  /**
   * A block of a sub-pipeline's child run is about to start: it pauses after Step Into (its first
   * block) or while stepping inside the child; otherwise it starts at once.
   */
  private onChildGate(gate: BlockGate): Promise<void> {
    const into = this.stepIntoFile;
    if (into !== undefined && !this.childFiles.has(gate.runId)) this.childFiles.set(gate.runId, into);
    const known = this.childFiles.has(gate.runId);
    if (!(into !== undefined && known) && !(this.pauseNext && known)) return Promise.resolve();
    this.stepIntoFile = undefined;
    this.pauseNext = false;
    const file = this.childFiles.get(gate.runId);
    const child: ChildBlock = {
      id: gate.block, threadId: this.nextChildThread++, lines: file === undefined ? undefined : childLines(file, gate.block),
      gate, release: undefined, status: 'queued', runId: gate.runId, file,
    };
    this.childBlocks.set(child.threadId, child);
    this.listener({ type: 'thread', reason: 'started', threadId: child.threadId });
    return new Promise((release) => {
      child.release = release;
      this.listener({ type: 'stopped', reason: 'step', threadId: child.threadId, block: child.id, description: `${gate.pipelineName} (child run #${gate.runId}): paused before block '${child.id}'`, breakpointLines: [] });
    });
  }

  private releaseChild(child: ChildBlock): void {
    this.childBlocks.delete(child.threadId);
    const release = child.release;
    child.release = undefined;
    release?.();
    this.listener({ type: 'thread', reason: 'exited', threadId: child.threadId });
  }

  private shouldPause(block: TrackedBlock, gate: BlockGate): { reason: StopReason; lines: number[] } | undefined {
    if (this.pauseNext) {
      const reason: StopReason = this.launch.stopOnEntry === true && [...this.blocks.values()].every((b) => b === block || b.gate === undefined) ? 'entry' : 'step';
      this.pauseNext = false;
      return { reason, lines: [] };
    }
    const hits: number[] = [];
    if (this.launch.stopAt?.includes(block.id) === true) hits.push(block.lines?.first ?? 0);
    for (const bp of this.breakpoints.get(block.id) ?? []) {
      if (bp.condition === undefined) {
        hits.push(bp.line);
        continue;
      }
      const holds = conditionHolds(bp.condition, gate);
      if (holds === true) hits.push(bp.line);
      else if (holds !== false) {
        // As other debuggers do: a condition that cannot be evaluated stops, saying why.
        this.listener({ type: 'output', category: 'stderr', text: `Breakpoint condition on block '${block.id}' (${bp.condition}): ${holds.error}\n` });
        hits.push(bp.line);
      }
    }
    return hits.length > 0 ? { reason: 'breakpoint', lines: hits } : undefined;
  }

  private onRunEvent(event: RunEvent | LogChunkEvent): void {
    if (this.runId !== undefined && event.runId !== this.runId) return;
    this.listener({ type: 'run', event });
    if (event.type === 'log-chunk') {
      this.listener({ type: 'output', category: event.stream === 'stderr' ? 'stderr' : 'stdout', text: event.text });
      return;
    }
    if (event.type === 'block-status') {
      const block = this.blocks.get(event.block);
      if (block === undefined) return;
      const wasLive = block.gate !== undefined && !isFinal(block.status);
      block.status = event.status;
      if (wasLive && isFinal(event.status)) {
        block.release = undefined;
        this.listener({ type: 'thread', reason: 'exited', threadId: block.threadId });
      }
      return;
    }
    if (event.type === 'run-finished') {
      this.finished = event;
      for (const b of event.blocks) {
        const block = this.blocks.get(b.block);
        if (block !== undefined) block.status = b.status;
      }
      this.listener({ type: 'finished', event });
      for (const waiter of this.finishWaiters.splice(0)) waiter();
    }
  }

  private onLost(reason: string): void {
    if (this.finished !== undefined) return;
    this.listener({ type: 'lost', reason });
    for (const waiter of this.finishWaiters.splice(0)) waiter();
  }

  private releaseBlock(block: TrackedBlock): void {
    const release = block.release;
    block.release = undefined;
    release?.();
  }

  private byThread(threadId: number): TrackedBlock | undefined {
    return this.childBlocks.get(threadId) ?? [...this.blocks.values()].find((b) => b.threadId === threadId);
  }

  private lastGated(): TrackedBlock | undefined {
    const gated = [...this.blocks.values()].filter((b) => b.gate !== undefined);
    return gated.find((b) => b.release !== undefined) ?? gated.at(-1);
  }

  private selectedBlocks(): ReadonlySet<string> | undefined {
    const selection = this.launch.selection;
    if (selection === undefined || selection.mode === 'all') return undefined;
    const { dag } = this;
    if (selection.mode === 'only') return new Set(selection.blocks);
    if (selection.mode === 'upto') return new Set([selection.block, ...dag.upstream(selection.block)]);
    if (selection.mode === 'from') return new Set([selection.block, ...dag.downstream(selection.block)]);
    return undefined;
  }

  private resetBlocks(): void {
    this.blocks = new Map(this.pipeline.blocks.map((b, index): [string, TrackedBlock] => [b.id, {
      id: b.id, threadId: index + 2, lines: this.lines.find((l) => l.block === b.id), gate: undefined, release: undefined, status: 'initial',
    }]));
    if (this.rawBreakpoints.length > 0) this.setBreakpoints(this.rawBreakpoints);
  }
}

/** Where a block of a child run's file is, for its frame; undefined when the file cannot be read. */
function childLines(file: string, block: string): BlockLines | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    return blockLines(validatePipeline(text, { fileName: file }).pipeline, text).find((l) => l.block === block);
  } catch {
    return undefined;
  }
}
