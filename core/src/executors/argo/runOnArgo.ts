import type { Pipeline } from '../../model/pipeline.ts';
import type { BlockStatus, RunStatus, RunStore, RunTrigger } from '../../store/types.ts';
import { RunRefused } from '../../runner/prepare.ts';
import type { VariableValue } from '../../runner/variables.ts';
import { LogSanitizer } from '../../runner/sanitize.ts';
import { compileArgo, type Manifest } from './compile.ts';
import type { ArgoBlockState } from './nodes.ts';
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

const FINAL: readonly BlockStatus[] = ['completed', 'failed', 'cancelled', 'condition_failed'];

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
  const rows = new Map<string, { id: number; attempt: number; status: BlockStatus }>();
  for (const block of pipeline.blocks) rows.set(block.id, { id: store.createBlockRun({ runId, block: block.id, status: 'initial' }).id, attempt: 1, status: 'initial' });
  store.updateRun(runId, { status: 'running', startedAt: Date.now() });
  options.onRunCreated?.(runId);
  let handle: ArgoRunHandle | undefined;
  let workflow = '';
  const fetching: Promise<void>[] = [];
  const fetchLogs = (block: string, rowId: number): void => {
    const h = handle;
    if (h === undefined) return;
    fetching.push(h.logs(block).then((text) => {
      if (text === '') return;
      const writer = store.openLog(rowId);
      const sanitizer = new LogSanitizer();
      writer.write('stdout', sanitizer.write(text) + sanitizer.end());
      writer.close();
      options.onOutput?.(block, text);
    }, (error: unknown) => {
      const writer = store.openLog(rowId);
      writer.write('system', `could not fetch the log: ${error instanceof Error ? error.message : String(error)}\n`);
      writer.close();
    }));
  };
  const onBlock = (block: string, state: ArgoBlockState): void => {
    let row = rows.get(block);
    if (row === undefined) return;
    if (state.attempt > row.attempt) {
      row = { id: store.createBlockRun({ runId, block, status: 'initial', attempt: state.attempt }).id, attempt: state.attempt, status: 'initial' };
      rows.set(block, row);
    }
    row.status = state.status;
    const final = FINAL.includes(state.status);
    store.updateBlockRun(row.id, {
      status: state.status, executor: options.executor, executorType: 'argo', executorJob: state.podName ?? workflow,
      // A queued reason is shown, not kept (as in a local run); an ended attempt's reason is.
      ...(state.reason === undefined || !final ? {} : { reason: state.reason }),
      ...(state.exitCode === undefined ? {} : { exitCode: state.exitCode }),
      ...(final && Object.keys(state.outputs).length > 0 ? { outputs: state.outputs } : {}),
    });
    options.onStatus?.(block, state.status, state.reason, state.attempt, row.id);
    if (final && state.status !== 'condition_failed' && state.podName !== undefined) fetchLogs(block, row.id);
  };
  try {
    handle = await submitArgo({ manifest, blockOfTask: compiled.blockOfTask, onBlock, ...(options.kubectl === undefined ? {} : { kubectl: options.kubectl }), ...(options.env === undefined ? {} : { env: options.env }) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    store.updateRun(runId, { status: 'failed', error: `the workflow was not created: ${message}`, finishedAt: Date.now() });
    throw new RunRefused([`the workflow was not created: ${message}`]);
  }
  workflow = handle.name;
  const submitted = handle;
  let cancelled = false;
  const done = submitted.done.then(
    (end) => ({ phase: end.phase, message: end.message }),
    (error: unknown) => ({ phase: 'Error', message: `following the workflow failed: ${error instanceof Error ? error.message : String(error)}` }),
  ).then(async (end) => {
    await Promise.all(fetching);
    // Blocks the workflow never reached (after a failure or a shutdown) did not run.
    for (const row of rows.values()) {
      if (row.status === 'initial' || row.status === 'queued' || row.status === 'running') store.updateBlockRun(row.id, { status: cancelled ? 'cancelled' : 'skipped', reason: cancelled ? 'cancelled' : 'not run by the workflow' });
    }
    const status: RunStatus = cancelled ? 'cancelled' : end.phase === 'Succeeded' ? 'completed' : 'failed';
    const error = status === 'failed' ? `Argo workflow ${workflow}: ${end.phase}${end.message === undefined ? '' : ` (${end.message})`}` : undefined;
    store.updateRun(runId, { status, finishedAt: Date.now(), ...(error === undefined ? {} : { error }) });
    return { status, error };
  });
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
