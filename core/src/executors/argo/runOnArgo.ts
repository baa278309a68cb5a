import type { Pipeline } from '../../model/pipeline.ts';
import type { BlockStatus, RunStatus, RunStore, RunTrigger } from '../../store/types.ts';
import { RunRefused } from '../../runner/prepare.ts';
import type { VariableValue } from '../../runner/variables.ts';
import { dirname } from 'node:path';
import { compileArgo, type Manifest } from './compile.ts';
import { ArgoRecorder, writeArgoRecord, type ArgoRow } from './recordArgo.ts';
import { submitArgo, type ArgoRunHandle } from './submit.ts';

export interface ArgoRunOptions {
  store: RunStore;
  /** Absolute path of the pipeline file. */
  file: string;
  pipeline: Pipeline;
  /** The argo profile's name. */
  executor: string;
  variables: Record<string, VariableValue>;
  /** How the run was started; default `cli`. */
  trigger?: RunTrigger;
  /** The run is recorded (before the workflow is created): its number. */
  onRunCreated?: (runId: number) => void;
  /** Each block's status as it changes, and its output once fetched: for the terminal. `blockRunId`: the attempt's row. */
  onStatus?: (block: string, status: BlockStatus, reason: string | undefined, attempt: number, blockRunId: number) => void;
  onOutput?: (block: string, text: string) => void;
  kubectl?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ArgoRun {
  runId: number;
  /** The workflow's name in the cluster. */
  workflow: string;
  done: Promise<{ status: RunStatus; error: string | undefined }>;
  /** `shutdown: Terminate`; the run is recorded `cancelled`. Idempotent. */
  cancel(): void;
}

/**
 * A whole run as one Argo Workflow (`run --executor K8S` with an argo profile): compiled by
 * compileArgo, created with `kubectl create`, followed with `kubectl get workflow --watch`; each
 * task's node phases become the block's statuses in the store (a retry is a new attempt row, as in
 * a local run), each finished attempt's output is fetched with `kubectl logs` into its log, and
 * cancel is `shutdown: Terminate`. Variables go in as the workflow's arguments, never into scripts.
 */
export async function runOnArgo(options: ArgoRunOptions): Promise<ArgoRun> {
  const { store, pipeline } = options;
  const compiled = compileArgo(pipeline, { executor: options.executor });
  const errors = compiled.problems.filter((p) => p.severity === 'error');
  if (compiled.manifest === undefined || errors.length > 0) {
    throw new RunRefused(errors.length > 0 ? errors.map((p) => `cannot run on Argo: ${p.message}`) : ['cannot run on Argo: nothing compiled']);
  }
  const manifest = withArguments(compiled.manifest, options.variables);
  const record = store.createRun({
    pipelineName: pipeline.name, pipelineFile: options.file, trigger: options.trigger ?? 'cli', mode: 'all', selection: [], sourceRunId: undefined,
    variables: options.variables, git: undefined,
  });
  const runId = record.id;
  const rows = new Map<string, ArgoRow>();
  for (const block of pipeline.blocks) rows.set(block.id, { id: store.createBlockRun({ runId, block: block.id, status: 'initial' }).id, attempt: 1, status: 'initial' });
  store.updateRun(runId, { status: 'running', startedAt: Date.now() });
  options.onRunCreated?.(runId);
  const recorder = new ArgoRecorder(store, runId, rows, options.executor, {
    ...(options.onStatus === undefined ? {} : { onStatus: options.onStatus }),
    ...(options.onOutput === undefined ? {} : { onOutput: options.onOutput }),
  });
  let handle: ArgoRunHandle;
  try {
    handle = await submitArgo({ manifest, blockOfTask: compiled.blockOfTask, onBlock: recorder.onBlock, ...(options.kubectl === undefined ? {} : { kubectl: options.kubectl }), ...(options.env === undefined ? {} : { env: options.env }) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    store.updateRun(runId, { status: 'failed', error: `the workflow was not created: ${message}`, finishedAt: Date.now() });
    throw new RunRefused([`the workflow was not created: ${message}`]);
  }
  recorder.handle = handle;
  recorder.workflow = handle.name;
  const workflow = handle.name;
  // Beside the pipeline, like a SLURM job's job.json: a killed CLI's workflow can be followed again (attach).
  try {
    writeArgoRecord(dirname(options.file), { runId, workflow, namespace: handle.namespace, executor: options.executor, submittedAt: new Date().toISOString() });
  } catch {
    // A read-only folder: the run goes on; only a later attach cannot find the workflow.
  }
  const submitted = handle;
  let cancelled = false;
  const done = submitted.done.then(
    (end) => ({ phase: end.phase, message: end.message }),
    (error: unknown) => ({ phase: 'Error', message: `following the workflow failed: ${error instanceof Error ? error.message : String(error)}` }),
  ).then((end) => recorder.settle(end, cancelled));
  return {
    runId, workflow, done,
    cancel(): void {
      if (cancelled) return;
      cancelled = true;
      void submitted.cancel().catch(() => undefined);
    },
  };
}

/** The run's variable values as the workflow's arguments (the compiled defaults otherwise). */
function withArguments(manifest: Manifest, variables: Record<string, VariableValue>): Manifest {
  const spec = manifest['spec'] as { arguments?: { parameters?: { name: string; value?: string }[] } } | undefined;
  for (const parameter of spec?.arguments?.parameters ?? []) {
    const value = variables[parameter.name];
    if (value !== undefined) parameter.value = String(value);
  }
  return manifest;
}
