import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControlAnswer } from '../../runner/control.ts';
import { startRun, type RunHandle, type RunResult, type StartRunOptions } from '../../runner/engine.ts';
import type { BlockSummary, RunEvent } from '../../runner/events.ts';
import { prepareRun, type PrepareOptions } from '../../runner/prepare.ts';
import type { BlockStatus, RunStore } from '../../store/types.ts';
import { runOnArgo } from './runOnArgo.ts';

/**
 * True when the run goes to Argo as one Workflow: "Run on…"/`--executor NAME` names an argo
 * profile. (A pipeline whose own `executor:` is argo is refused by the engine, with the way out.)
 */
export function isArgoRun(options: PrepareOptions, executorOverride: string | undefined): boolean {
  if (executorOverride === undefined) return false;
  try {
    return prepareRun(options, undefined).pipeline.executors.get(executorOverride)?.type === 'argo';
  } catch {
    return false;
  }
}

/**
 * The engine's startRun, or startArgoRun when a whole-pipeline run's executor override is an argo
 * profile. A partial run (Run Block on…, retry) goes to the engine, which refuses it with the way out:
 * Argo runs the whole pipeline as one Workflow.
 */
export function startRunOrArgo(options: StartRunOptions): Promise<RunHandle> {
  const override = options.executorOverride;
  const whole = options.selection === undefined || options.selection.mode === 'all';
  return override !== undefined && whole && isArgoRun(options, override) ? startArgoRun({ ...options, executorOverride: override }) : startRun(options);
}

/**
 * A whole run on Argo behind the engine's RunHandle, so that the service (the editor's runs, and
 * triggers) follows it like any other: the same path as `run --executor K8S` (compile, `kubectl
 * create`, follow node phases, fetch logs, `shutdown: Terminate` on cancel), reported as RunEvents
 * (run-started, block-attempt, block-status, log-chunk, run-finished). Single blocks cannot be
 * cancelled, paused or approved inside a workflow: those answer that they are not available.
 */
export async function startArgoRun(options: StartRunOptions & { executorOverride: string }, kubectl?: { command?: string; env?: NodeJS.ProcessEnv }): Promise<RunHandle> {
  const { store } = options;
  const prepared = prepareRun(options, store);
  const emit = (event: RunEvent): void => options.onEvent?.(event);
  let runId = 0;
  const attempts = new Map<string, number>();
  const lastStatus = new Map<string, BlockStatus>();
  const run = await runOnArgo({
    store, file: prepared.file, pipeline: prepared.pipeline, executor: options.executorOverride, variables: prepared.variables,
    trigger: options.trigger ?? 'manual',
    ...(kubectl?.command === undefined ? {} : { kubectl: kubectl.command }),
    ...(kubectl?.env === undefined ? {} : { env: kubectl.env }),
    onRunCreated: (id) => {
      runId = id;
      emit({
        type: 'run-started', runId, pipelineName: prepared.pipeline.name, pipelineFile: prepared.file,
        blocks: prepared.pipeline.blocks.map((b) => ({ id: b.id, status: 'initial' })), concurrency: prepared.concurrency, time: Date.now(),
      });
    },
    onStatus: (block, status, reason, attempt, blockRunId) => {
      if (status === 'running' && attempts.get(block) !== attempt) emit({ type: 'block-attempt', runId, block, attempt, blockRunId, pid: undefined, time: Date.now() });
      attempts.set(block, attempt);
      lastStatus.set(block, status);
      emit({ type: 'block-status', runId, block, status, attempt, ...(reason === undefined ? {} : { reason }), time: Date.now() });
    },
    onOutput: (block, text) => emit({ type: 'log-chunk', runId, block, attempt: attempts.get(block) ?? 1, stream: 'stdout', text, time: Date.now() }),
  });
  const folder = mkdtempSync(join(tmpdir(), 'ps-argo-run-'));
  const done: Promise<RunResult> = run.done.then((end) => {
    const blocks = summaries(store, run.runId);
    // Blocks the workflow never reached were settled in the store at the end: say so too.
    for (const b of blocks) {
      if (lastStatus.get(b.block) !== b.status) emit({ type: 'block-status', runId: run.runId, block: b.block, status: b.status, attempt: b.attempts, ...(b.reason === undefined ? {} : { reason: b.reason }), time: Date.now() });
    }
    emit({ type: 'run-finished', runId: run.runId, status: end.status, ...(end.error === undefined ? {} : { error: end.error }), blocks, time: Date.now() });
    return { runId: run.runId, status: end.status, error: end.error, blocks };
  }).finally(() => rmSync(folder, { recursive: true, force: true }));
  const notHere = (what: string): ControlAnswer => ({ ok: false, message: `Run #${run.runId} runs on Argo as one workflow (${run.workflow}): ${what} is not available there; cancel stops the whole workflow.` });
  return {
    runId: run.runId, done, folder,
    cancel: () => run.cancel(),
    cancelBlock: () => false,
    pause: () => notHere('pause'),
    resume: () => notHere('resume'),
    decide: () => notHere('an approval'),
  };
}

/** Each block's latest attempt, as the engine's run-finished event reports it. */
function summaries(store: RunStore, runId: number): BlockSummary[] {
  const latest = new Map<string, BlockSummary>();
  const first = new Map<string, number | undefined>();
  for (const row of store.blockRuns(runId)) {
    if (!first.has(row.block)) first.set(row.block, row.startedAt);
    const start = first.get(row.block) ?? row.startedAt;
    latest.set(row.block, {
      block: row.block, status: row.status, attempts: row.attempt,
      durationMs: start !== undefined && row.finishedAt !== undefined ? row.finishedAt - start : undefined,
      exitCode: row.exitCode, signal: row.signal, reason: row.reason, outputs: row.outputs,
    });
  }
  return [...latest.values()];
}
