import type { ContainerEngineChoice } from '../model/executors.ts';
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { Diagnostic } from '../model/diagnostic.ts';
import type { RunTrigger } from '../store/types.ts';
import type { LogChunkEvent, RunEvent } from './events.ts';
import type { ControlAction, ControlAnswer } from './control.ts';
import type { BlockGate } from './gate.ts';
import type { RunPlan } from './plan.ts';
import type { Selection } from './selection.ts';
import type { VariableValue } from './variables.ts';

/**
 * The runner service's JSON-RPC protocol (`pipeline-studio serve --stdio` or `serve --socket PATH`).
 * Block processes are spawned by the service, a lean process, never by its client: Node's spawn
 * forks the calling process, which costs ~1 ms from a 45 MB process but ~36 ms from a 1 GiB one (an
 * extension host), and blocks that process's event loop meanwhile. Shared by the service and the extension.
 *
 * Over a socket, several clients may connect one after another or at once (a window, then the same
 * window reloaded): runs outlive the client that started them, and a client reattaches to them with
 * ListRunsRequest and AttachRunRequest. Events of a run go to the clients that started or attached it.
 */

/** Part of the socket's name, so that an editor never talks to a service of another protocol. */
export const PROTOCOL_VERSION = 3;

export interface StartRunParams {
  /** Absolute path of the pipeline file. */
  file: string;
  /** The file's text when the client has it (an unsaved editor buffer); read from disk otherwise. */
  text?: string;
  variables?: Record<string, VariableValue>;
  selection?: Selection;
  concurrency?: number;
  noCache?: boolean;
  trigger?: RunTrigger;
  /** The run store file; default `<pipeline folder>/.pipelines/runs.sqlite`. */
  store?: string;
  /** Between SIGTERM and SIGKILL when stopping a block; default 5000 ms. */
  graceMs?: number;
  /** Stored log per block run (head and tail kept); default 10 MiB. Applies from the store's first use by this service. */
  logCapBytes?: number;
  /** Files over this are recorded (run details) and fingerprinted (cache) without being read; default 1 GiB. */
  hashLimitBytes?: number;
  /** Ask the client (BeforeBlockRequest) before each block's first attempt: a debugger drives the run. */
  debug?: boolean;
  /** A `profiles:` entry to apply (recorded with the run); with trigger `test`, a test run. */
  profile?: string;
  /** "Run on…": this executor profile instead of the pipeline's `executor:` for blocks without their own. */
  executorOverride?: string;
  /** What a container profile's `engine: auto` means (the `pipelineStudio.executors.containerEngine` setting). */
  containerEngine?: ContainerEngineChoice;
}

export interface StartRunResult {
  runId: number;
  /** The store the run is recorded in, for reading its history and logs. */
  store: string;
}

/** `error.data` of a refused startRun or plan: what is wrong, and the file's diagnostics if it has errors. */
export interface RunRefusedData {
  problems: string[];
  diagnostics: Diagnostic[];
}

export interface RunRef {
  runId: number;
  /** The store of the run, as startRun answered; runs of different stores may share a number. */
  store: string;
}

export type PlanParams = Omit<StartRunParams, 'trigger' | 'graceMs' | 'debug'>;

/**
 * Client → service: validate, record and start a run. Answers as soon as the run is recorded;
 * its progress then comes as `runEvent` and `logChunk` notifications. Fails with RunRefusedData
 * when the run cannot start.
 */
export const StartRunRequest = new RequestType<StartRunParams, StartRunResult, RunRefusedData>('pipeline/startRun');

/** Client → service: the user stopped a run (the Stop button); SIGTERM, then SIGKILL after the grace period. */
export const CancelRunRequest = new RequestType<RunRef, { cancelled: boolean }, void>('pipeline/cancelRun');

/** Client → service: the user stopped one block; its dependents become `cancelled`, the rest goes on. */
export const CancelBlockRequest = new RequestType<RunRef & { block: string }, { cancelled: boolean }, void>('pipeline/cancelBlock');

/** Client → service: a dry run, to show what a run would do before starting it. Executes and records nothing. */
export const PlanRequest = new RequestType<PlanParams, RunPlan, RunRefusedData>('pipeline/plan');

/** A run going on in the service, as ListRunsRequest lists it. */
export interface LiveRunInfo extends RunRef {
  pipelineName: string;
  pipelineFile: string;
  startedAt: number;
  /** Driven by a debugger (BeforeBlockRequest goes to the client that started it). */
  debug: boolean;
  /** A sub-pipeline's child run: the run and the `pipeline:` block that started it. */
  parentRunId?: number;
  parentBlock?: string;
}

/** Client → service: the runs in flight, oldest first (for a reloaded window to reattach). */
export const ListRunsRequest = new RequestType<Record<string, never>, LiveRunInfo[], void>('pipeline/listRuns');

export interface AttachRunResult {
  /**
   * The run's events so far, in order, starting with `run-started`: block statuses and attempts, and
   * the output printed (consecutive chunks merged). The most recent output is kept; `skippedChars`
   * says how much earlier output is left out (the stored logs have it).
   */
  events: RunEvent[];
  skippedChars: number;
}

/**
 * Client → service: follow a run started by another client (or by this one before it reconnected).
 * Answers with the replay, then the run's live events follow as notifications, with neither a gap
 * nor a repeat between the two. `null` when the run is not in flight (finished, or never here).
 */
export const AttachRunRequest = new RequestType<RunRef, AttachRunResult | null, void>('pipeline/attachRun');

/** Service → client: a run started, a block changed status or started an attempt, a run finished. */
export const RunEventNotification = new NotificationType<Exclude<RunEvent, LogChunkEvent> & { store: string }>('pipeline/runEvent');

/**
 * Service → client: live block output, raw (terminals show colours and progress bars). Consecutive
 * chunks are merged (~20 ms), and when the client falls behind, live output is thinned with a note
 * rather than buffered without bound; the stored log stays complete up to its cap.
 */
export const LogChunkNotification = new NotificationType<LogChunkEvent & { store: string }>('pipeline/logChunk');

/**
 * Service → client, only for runs started with `debug: true`: a block is about to start, its
 * expressions resolved. The block waits for the answer, so a debugger pauses the run by answering
 * later. A failed request (the client has gone or does not answer it) cancels the run.
 */
export const BeforeBlockRequest = new RequestType<BlockGate & { store: string }, Record<string, never>, void>('pipeline/beforeBlock');

/** Client → service (or a CLI run's control socket): pause, resume, cancel, approve or reject in a run this process owns. */
export const ControlRunRequest = new RequestType<RunRef & ControlAction, ControlAnswer, void>('pipeline/controlRun');
