import { randomBytes } from 'node:crypto';
import type { Block } from '../model/pipeline.ts';
import type { ContainerEngineChoice } from '../model/executors.ts';
import { createRunFolder } from '../store/runFolders.ts';
import { ExecutionLinks } from '../store/executionLinks.ts';
import type { RunStatus, RunStore, RunTrigger } from '../store/types.ts';
import { newBlockRun } from './blockMachine.ts';
import { realClock, type Clock } from './clock.ts';
import type { BlockSummary, RunEventListener } from './events.ts';
import type { Executor, ExecutorChooser } from './executor.ts';
import { argoBlocks, executorChooser, knownExecutor, unknownExecutorMessage } from '../executors/index.ts';
import type { BlockGateHandler } from './gate.ts';
import { gitInfo } from './git.ts';
import { prestartLauncher } from './launcher.ts';
import { LOCAL_EXECUTOR } from './localExecutor.ts';
import { pipelineExecutor } from './pipelineExecutor.ts';
import { prepareRun, RunRefused, scopeFor, type PrepareOptions } from './prepare.ts';
import type { RunScope } from './resolve.ts';
import { Run, type ApprovalDecision } from './run.ts';
import type { ChildRunWatcher } from './childRuns.ts';
import type { ControlAnswer } from './control.ts';
import { RunRecorder } from './runRecorder.ts';

export { formatMs } from './attempts.ts';

// How a run is laid out (issue 17): engine.ts starts one (this file); run.ts schedules its blocks,
// which move along blockMachine.ts's table; runControl.ts holds the run's own state (pause, stop);
// readiness.ts decides what a block whose upstream finished becomes; attempts.ts starts an attempt
// on the block's executor (executor.ts; localExecutor.ts by default) and reads its outputs;
// runRecorder.ts writes the store and the events.

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
  /** Timers and "now": retry backoff, timeouts, pauses; default the real clock (tests inject one). */
  clock?: Clock;
  /** Where attempts run; default `local` (processes on this machine). */
  executor?: Executor;
  /** A block's own executor, when it has one (undefined: the run's). */
  executorFor?: ExecutorChooser;
  /** `run --executor NAME`: this profile instead of the pipeline's `executor:` for blocks without their own. */
  executorOverride?: string;
  /** What a container profile's `engine: auto` means: the setting or `--container-engine`; default PIPELINE_STUDIO_CONTAINER_ENGINE, else auto. */
  containerEngine?: ContainerEngineChoice;
  /** A run paused longer than this is cancelled; default: it stays paused. */
  pauseLimitMs?: number;
  /** A sub-pipeline's child run: the files of the runs above it, outermost first (recursion is refused). */
  ancestry?: string[];
  /** Recorded on the run: the runs of one `run --for-each` batch share it. */
  batchId?: string;
  /** Told of every sub-pipeline child run below this one as it starts (childRuns.ts): its owner controls them by number. */
  onChildRun?: ChildRunWatcher;
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
  /** The run's private temporary folder (removed when it ends): its outputs files, a CLI run's control socket. */
  readonly folder: string;
  /** Cancels the run: running blocks get SIGTERM, then SIGKILL after the grace period; nothing new starts. */
  cancel(): void;
  /** Cancels one block (and so its dependents); false when it has already finished or does not exist. */
  cancelBlock(block: string): boolean;
  /** Starts no new block; with `now`, also freezes the running ones (SIGSTOP). Timeouts are held meanwhile. */
  pause(now?: boolean): ControlAnswer;
  resume(): ControlAnswer;
  /** Approves or rejects a block waiting at its approval gate. */
  decide(block: string, decision: ApprovalDecision): ControlAnswer;
}

export const DEFAULT_GRACE_MS = 5000;

/**
 * Validates, plans and starts a run, recording it in the store. Resolves once the run exists and
 * its first blocks are starting; `done` settles when every block has finished. Throws RunRefused
 * when the run cannot start (file errors, unknown or missing variables, a selection that cannot
 * be satisfied, an executor that cannot prepare).
 */
export async function startRun(options: StartRunOptions): Promise<RunHandle> {
  prestartLauncher();
  const { store } = options;
  const prepared = prepareRun(options, store);
  const git = options.git === false ? undefined : await gitInfo(prepared.folder);
  const { plan } = prepared;
  const record = store.createRun({
    pipelineName: prepared.pipeline.name,
    pipelineFile: prepared.file,
    trigger: options.trigger ?? 'manual',
    mode: plan.mode,
    selection: plan.selection,
    sourceRunId: plan.sourceRunId,
    variables: prepared.variables,
    git,
    ...(options.batchId === undefined ? {} : { batchId: options.batchId }),
  });
  if (options.profile !== undefined) {
    const links = ExecutionLinks.open(store);
    try {
      links.setProfile(record.id, options.profile);
    } finally {
      links.close();
    }
  }
  const refuse = (error: unknown): never => {
    store.updateRun(record.id, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
    throw error;
  };
  let scope: RunScope;
  try {
    scope = scopeFor(prepared, String(record.id));
  } catch (error) {
    return refuse(error);
  }
  const clock = options.clock ?? realClock;
  const runDefault = options.executor ?? LOCAL_EXECUTOR;
  const override = options.executorOverride;
  if (override !== undefined && !knownExecutor(prepared.pipeline, override)) return refuse(new RunRefused([unknownExecutorMessage(prepared.pipeline, override)]));
  const onArgo = argoBlocks(prepared.pipeline, override);
  if (options.executorFor === undefined && onArgo.length > 0) {
    return refuse(new RunRefused([`block${onArgo.length === 1 ? '' : 's'} ${onArgo.map((b) => `'${b}'`).join(', ')} run${onArgo.length === 1 ? 's' : ''} on an Argo profile: Argo runs the whole pipeline as one Workflow, so compile it with 'pipeline-studio export FILE --to argo' and submit that; a run from here does not send single blocks to Argo`]));
  }
  // Each block's `executor:` (else the pipeline's) picks its profile: SLURM, container, or local.
  const executorFor = options.executorFor ?? executorChooser(prepared.pipeline, override, { container: { defaultEngine: options.containerEngine } });
  const chosen = new Map<Block, Executor>();
  // `pipeline:` blocks run a child run of another file in this engine and store (pipelineExecutor.ts).
  const subPipelines = prepared.pipeline.blocks.some((b) => b.subPipeline !== undefined)
    ? pipelineExecutor({
      store, startRun, ancestry: [...(options.ancestry ?? []), prepared.file], retryOf: plan.mode === 'retry' ? plan.sourceRunId : undefined,
      inherit: { beforeBlock: options.beforeBlock, graceMs: options.graceMs, clock: options.clock, noCache: options.noCache, git: options.git, heartbeatMs: options.heartbeatMs, pauseLimitMs: options.pauseLimitMs, env: options.env, onChildRun: options.onChildRun },
    })
    : undefined;
  for (const block of prepared.pipeline.blocks) chosen.set(block, (block.subPipeline !== undefined ? subPipelines : undefined) ?? executorFor(block) ?? runDefault);
  const executors = [...new Set(chosen.values())];
  const token = randomBytes(12).toString('hex');
  const executorRun = { runId: record.id, token, pipelineName: prepared.pipeline.name, pipelineFile: prepared.file, folder: prepared.folder };
  for (const executor of executors) {
    if (executor.prepare === undefined) continue;
    try {
      await executor.prepare(executorRun);
    } catch (error) {
      refuse(new RunRefused([`executor '${executor.name}' could not prepare the run: ${error instanceof Error ? error.message : String(error)}`]));
    }
  }
  const recorder = new RunRecorder(store, record.id, options.onEvent, clock);
  const blocks = prepared.pipeline.blocks.map((block, index) => newBlockRun(block, index, plan.selected.has(block.id), plan.reused.get(block.id)));
  const attempts = {
    prepared, recorder, clock, token, outputDir: createRunFolder(store.path, record.id), graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
    executorFor: (block: Block) => chosen.get(block) ?? runDefault,
  };
  const run = new Run(prepared, scope, recorder, options, git, blocks, attempts, executors);
  run.start();
  return {
    runId: record.id, done: run.done, folder: attempts.outputDir, cancel: () => run.control.stop('cancelled'), cancelBlock: (id) => run.cancelBlock(id),
    pause: (now = false) => run.control.pause(now), resume: () => run.control.resume(), decide: (id, decision) => run.decide(id, decision),
  };
}
