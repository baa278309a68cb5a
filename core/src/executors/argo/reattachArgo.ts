import { dirname } from 'node:path';
import type { RunRecord, RunStore } from '../../store/types.ts';
import { prepareRun } from '../../runner/prepare.ts';
import { compileArgo } from './compile.ts';
import { ArgoRecorder, readArgoRecord, type ArgoRecorderCallbacks, type ArgoRow } from './recordArgo.ts';
import { followArgo } from './submit.ts';

export interface ArgoReattachOptions extends ArgoRecorderCallbacks {
  kubectl?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The Argo workflow of a run whose CLI died (the store marked it `interrupted`): found by the record
 * the run left beside the pipeline (`.pipelines/argo/run-N.json`), followed again with `kubectl get
 * workflow --watch` to its end, its blocks' attempts and logs recorded as a live run's are (attempts
 * recorded before the CLI died are not recorded twice), and the run then gets the workflow's
 * outcome: the workflow ran the whole pipeline, so nothing is left for a retry to do. Nothing is
 * created again. Undefined when the run submitted no workflow.
 */
export async function reattachArgoWorkflow(store: RunStore, run: RunRecord, options: ArgoReattachOptions = {}): Promise<{ workflow: string; status: string } | undefined> {
  const record = readArgoRecord(dirname(run.pipelineFile), run.id);
  if (record === undefined || Date.parse(record.submittedAt) < run.createdAt - 1000) return undefined;
  const pipeline = prepareRun({ file: run.pipelineFile, variables: run.variables }, undefined).pipeline;
  const compiled = compileArgo(pipeline, { executor: record.executor });
  const rows = new Map<string, ArgoRow>();
  // Attempts that were going when the CLI died were closed as cancelled by the interruption: the
  // workflow still has their real outcome, so they are open to it again.
  for (const row of store.blockRuns(run.id)) rows.set(row.block, { id: row.id, attempt: row.attempt, status: row.status === 'cancelled' ? 'running' : row.status });
  const recorder = new ArgoRecorder(store, run.id, rows, record.executor, options);
  recorder.workflow = record.workflow;
  const handle = followArgo({
    name: record.workflow, namespace: record.namespace, blockOfTask: compiled.blockOfTask, onBlock: recorder.onBlock,
    ...(options.kubectl === undefined ? {} : { kubectl: options.kubectl }), ...(options.env === undefined ? {} : { env: options.env }),
  });
  recorder.handle = handle;
  const end = await handle.done.then(
    (e) => e,
    (error: unknown) => ({ phase: 'Error', message: `following the workflow failed: ${error instanceof Error ? error.message : String(error)}` }),
  );
  const settled = await recorder.settle(end, false);
  return { workflow: record.workflow, status: settled.status };
}
