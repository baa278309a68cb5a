import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import {
  Event, Handles, InitializedEvent, LoggingDebugSession, OutputEvent, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, ExitedEvent, Thread, ThreadEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ResponseError } from 'vscode-jsonrpc';
import { DebugRun, blockLines, mapBreakpoints, type DebugDriver, type DebugRunEvent, type DebugVariable } from '../../../core/src/debug/index.ts';
import type { RunRefusedData } from '../../../core/src/runner/protocol.ts';
import { validatePipeline } from '../../../core/src/validate/validate.ts';
import { statusLabel } from '../../../core/src/model/status.ts';
import { PAUSED_EVENT, type PausedEventBody } from '../graph/pausedEvent.ts';
import { LaunchArgumentError, readLaunchArguments, type PipelineLaunchArguments } from './launchArguments.ts';

export interface PipelineDebugSessionOptions {
  /** A fresh driver per session: the runner service that spawns the blocks. */
  createDriver: () => DebugDriver;
  /** An unsaved editor buffer of the file, to debug what is shown. */
  textOf?: (file: string) => string | undefined;
  /** The store a run of this file is recorded in, when the launch configuration does not say. */
  storeFor?: (file: string) => string | undefined;
  /** Every run event (the extension renders them in the run's terminal). */
  onRunEvent?: (event: Extract<DebugRunEvent, { type: 'run' }>['event'], run: DebugRun) => void;
  logCapBytes?: (file: string) => number | undefined;
}

/** How long launch waits for configurationDone (breakpoints) before starting anyway. */
const CONFIGURATION_WAIT_MS = 5000;

/**
 * The Debug Adapter Protocol side of a pipeline debug session: DAP requests in, DebugRun calls out.
 * It runs inline in the extension host and standalone (dist/debugAdapter.cjs) for the DAP tests;
 * neither spawns a block: the driver's runner service does.
 */
export class PipelineDebugSession extends LoggingDebugSession {
  private readonly options: PipelineDebugSessionOptions;
  private driver: DebugDriver | undefined;
  private run: DebugRun | undefined;
  private variableHandles = new Handles<DebugVariable[]>();
  private configured: () => void = () => undefined;
  private readonly configurationDone = new Promise<void>((done) => (this.configured = done));
  private restarting = false;
  private ended = false;
  /** Thread id -> block, for the blocks held before they start (shown in the graph). */
  private readonly pausedBlocks = new Map<number, string>();

  constructor(options: PipelineDebugSessionOptions) {
    super();
    this.options = options;
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsEvaluateForHovers: false,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsSingleThreadExecutionRequests: false,
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments & PipelineLaunchArguments): void {
    void this.startDebugRun(response, args);
  }

  private async startDebugRun(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments & PipelineLaunchArguments): Promise<void> {
    let run: DebugRun;
    try {
      const launch = readLaunchArguments(args);
      const file = resolve(launch.file);
      launch.text ??= this.options.textOf?.(file);
      launch.store ??= this.options.storeFor?.(file);
      launch.logCapBytes ??= this.options.logCapBytes?.(file);
      run = new DebugRun(launch, (this.driver = this.options.createDriver()), (event) => this.onDebugEvent(event));
    } catch (error) {
      this.sendErrorResponse(response, 1001, error instanceof LaunchArgumentError ? error.message : `Cannot debug: ${message(error)}`);
      return;
    }
    this.run = run;
    this.sendEvent(new InitializedEvent());
    await Promise.race([this.configurationDone, new Promise((wait) => setTimeout(wait, CONFIGURATION_WAIT_MS))]);
    try {
      const started = await run.start();
      this.sendEvent(new OutputEvent(`Debugging ${basename(run.file)}: run #${started.runId} recorded in ${started.store}\n`, 'console'));
      this.sendResponse(response);
    } catch (error) {
      this.sendErrorResponse(response, 1002, `Cannot debug ${basename(run.file)}: ${refusal(error)}`);
    }
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const path = args.source.path === undefined ? undefined : resolve(args.source.path);
    const requests = (args.breakpoints ?? []).map((b) => ({ line: this.convertClientLineToDebugger(b.line), condition: b.condition }));
    let mapped;
    if (this.run !== undefined && path === this.run.file) mapped = this.run.setBreakpoints(requests);
    else if (this.run !== undefined) mapped = requests.map((r) => ({ line: r.line, verified: false, message: `Only breakpoints in ${basename(this.run?.file ?? '')} apply to this debug session.` }));
    else mapped = mapFromDisk(path, requests);
    response.body = {
      breakpoints: mapped.map((bp, i) => ({ id: i + 1, verified: bp.verified, line: this.convertDebuggerLineToClient(bp.line), ...(bp.message === undefined ? {} : { message: bp.message }) })),
    };
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: (this.run?.threads() ?? []).map((t) => new Thread(t.id, t.name)) };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const run = this.run;
    if (run === undefined) {
      response.body = { stackFrames: [], totalFrames: 0 };
      this.sendResponse(response);
      return;
    }
    const frame = run.frame(args.threadId);
    const file = frame.file ?? run.file;
    const source = new Source(basename(file), this.convertDebuggerPathToClient(file));
    // The thread id doubles as the frame id: each thread has exactly one frame.
    response.body = { stackFrames: [new StackFrame(args.threadId, frame.name, source, this.convertDebuggerLineToClient(frame.line), this.convertDebuggerColumnToClient(0))], totalFrames: 1 };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const scopes = this.run?.scopes(args.frameId) ?? [];
    response.body = { scopes: scopes.map((s) => new Scope(s.name, this.variableHandles.create(s.variables), false)) };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const list = this.variableHandles.get(args.variablesReference) ?? [];
    response.body = {
      variables: list.map((v) => ({ name: v.name, value: v.value, variablesReference: v.children !== undefined && v.children.length > 0 ? this.variableHandles.create(v.children) : 0 })),
    };
    this.sendResponse(response);
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const result = this.run?.evaluate(args.expression, args.frameId) ?? { error: 'No pipeline is being debugged.' };
    if ('error' in result) {
      this.sendErrorResponse(response, 2001, result.error);
      return;
    }
    response.body = { result: result.text, type: result.value === null ? 'null' : typeof result.value, variablesReference: 0 };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.variableHandles.reset();
    this.releasePaused(undefined);
    this.run?.continueAll();
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.variableHandles.reset();
    this.releasePaused(args.threadId);
    this.run?.stepOver(args.threadId);
    this.sendResponse(response);
  }

  /**
   * Step Into a `pipeline:` block pauses before the first block of its child run (in the child's
   * file); into any other block (its script) is out of scope, so it is Step Over.
   */
  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.variableHandles.reset();
    this.releasePaused(args.threadId);
    this.run?.stepIn(args.threadId);
    this.sendResponse(response);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.variableHandles.reset();
    this.releasePaused(undefined);
    this.run?.continueAll();
    this.sendResponse(response);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.run?.pause();
    this.sendEvent(new OutputEvent('Pausing before the next block that starts (running blocks are not interrupted).\n', 'console'));
    this.sendResponse(response);
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse): void {
    void this.restartRun(response);
  }

  private async restartRun(response: DebugProtocol.RestartResponse): Promise<void> {
    const run = this.run;
    if (run === undefined) {
      this.sendErrorResponse(response, 3001, 'Nothing to restart.');
      return;
    }
    this.restarting = true;
    try {
      await run.cancel();
      this.releasePaused(undefined);
      this.variableHandles.reset();
      const started = await run.start();
      this.sendEvent(new OutputEvent(`Restarted: run #${started.runId}\n`, 'console'));
      this.sendResponse(response);
    } catch (error) {
      this.sendErrorResponse(response, 3002, `Cannot restart: ${refusal(error)}`);
    } finally {
      this.restarting = false;
    }
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    void this.cancelRun(response);
  }

  private async cancelRun(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.run?.cancel();
    this.sendResponse(response);
    this.end();
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    void this.endSession(response);
  }

  private async endSession(response: DebugProtocol.DisconnectResponse): Promise<void> {
    await this.run?.cancel();
    await this.driver?.dispose();
    this.driver = undefined;
    this.sendResponse(response);
    this.shutdown();
  }

  private onDebugEvent(event: DebugRunEvent): void {
    switch (event.type) {
      case 'stopped': {
        const stopped: DebugProtocol.StoppedEvent = new StoppedEvent(event.reason, event.threadId);
        stopped.body.description = event.description;
        stopped.body.allThreadsStopped = false;
        this.sendEvent(stopped);
        this.pausedBlocks.set(event.threadId, event.block);
        this.sendPaused();
        return;
      }
      case 'thread':
        this.sendEvent(new ThreadEvent(event.reason, event.threadId));
        if (event.reason === 'exited' && this.pausedBlocks.delete(event.threadId)) this.sendPaused();
        return;
      case 'output':
        this.sendEvent(new OutputEvent(event.text, event.category));
        return;
      case 'run':
        if (this.run !== undefined) this.options.onRunEvent?.(event.event, this.run);
        return;
      case 'lost':
        this.sendEvent(new OutputEvent(`${event.reason}; the debug session ends. The run history shows how far the run got.\n`, 'stderr'));
        this.end();
        return;
      case 'finished': {
        const { status, runId, error } = event.event;
        this.sendEvent(new OutputEvent(`Run #${runId} ${statusLabel(status)}${error !== undefined ? `: ${error}` : ''}\n`, 'console'));
        if (this.restarting) return;
        this.sendEvent(new ExitedEvent(status === 'completed' ? 0 : 1));
        this.end();
      }
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.releasePaused(undefined);
    this.sendEvent(new TerminatedEvent());
  }

  /** A thread's block starts (Step Over) or, for `undefined` or the run thread, every held block does. */
  private releasePaused(threadId: number | undefined): void {
    if (this.pausedBlocks.size === 0) return;
    if (threadId === undefined || !this.pausedBlocks.delete(threadId)) this.pausedBlocks.clear();
    this.sendPaused();
  }

  /** Tells the graph which blocks are held, whenever that set changes. */
  private sendPaused(): void {
    if (this.run === undefined) return;
    const body: PausedEventBody = { file: this.run.file, blocks: [...this.pausedBlocks.values()] };
    this.sendEvent(new Event(PAUSED_EVENT, body));
  }
}

/** Before launch: breakpoints are checked against the file on disk. */
function mapFromDisk(path: string | undefined, requests: { line: number; condition?: string }[]): ReturnType<typeof mapBreakpoints> {
  let text: string;
  try {
    if (path === undefined) throw new Error('no path');
    text = readFileSync(path, 'utf8');
  } catch {
    return requests.map((r) => ({ line: r.line, verified: false, message: 'Breakpoints apply to pipeline files on disk.' }));
  }
  return mapBreakpoints(blockLines(validatePipeline(text, { fileName: path }).pipeline, text), requests);
}

function refusal(error: unknown): string {
  if (error instanceof ResponseError) {
    const data = error.data as RunRefusedData | undefined;
    return (data?.problems ?? [error.message]).join('; ');
  }
  return message(error);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
