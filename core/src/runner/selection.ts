import type { Dag } from '../graph/dag.ts';
import type { Pipeline } from '../model/pipeline.ts';
import type { BlockRunRecord, BlockStatus, RunMode, RunRecord, RunStore } from '../store/types.ts';
import { didYouMean } from '../util/didYouMean.ts';
import type { VariableValue } from './variables.ts';

/** Which blocks a run executes. */
export type Selection =
  | { mode: 'all' }
  /** These blocks only. */
  | { mode: 'only'; blocks: string[] }
  /** The block and everything upstream of it. */
  | { mode: 'upto'; block: string }
  /** The block and everything downstream of it. */
  | { mode: 'from'; block: string }
  /** Run N's failed, cancelled, upstream_failed and interrupted blocks and their dependents. */
  | { mode: 'retry'; runId: number }
  /** Run N again: same variables and selection, a new run. */
  | { mode: 'replay'; runId: number };

/** An upstream block that is not run but whose earlier result is used. */
export interface ReusedBlock {
  status: BlockStatus;
  outputs: Record<string, string>;
  fingerprint: string | undefined;
  fromRun: number;
}

export interface SelectionPlan {
  mode: RunMode;
  /** What the run records as its selection. */
  selection: string[];
  sourceRunId: number | undefined;
  /** A retried or replayed run's variables, under this run's own overrides. */
  baseVariables: Record<string, VariableValue>;
  selected: Set<string>;
  reused: Map<string, ReusedBlock>;
}

export class SelectionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionRefused';
  }
}

const RETRIED: readonly BlockStatus[] = ['failed', 'cancelled', 'upstream_failed', 'initial', 'queued', 'running'];

/**
 * Works out the blocks to run and the earlier results to reuse; throws SelectionRefused with a
 * message for people. `store` may be undefined for a dry run without a store (nothing to reuse).
 */
export function planSelection(pipeline: Pipeline, dag: Dag, selection: Selection, file: string, store: RunStore | undefined): SelectionPlan {
  const ids = pipeline.blocks.map((b) => b.id);
  const known = (id: string): string => {
    if (dag.has(id)) return id;
    const suggestion = didYouMean(id, ids);
    throw new SelectionRefused(`there is no block '${id}' in ${pipeline.name}${suggestion === undefined ? '' : `; did you mean '${suggestion}'?`}`);
  };
  switch (selection.mode) {
    case 'all':
      return plan('all', [], new Set(ids));
    case 'only': {
      const chosen = new Set(selection.blocks.map(known));
      return withReuse(plan('only', [...chosen], chosen), 'only');
    }
    case 'upto': {
      const target = known(selection.block);
      return plan('upto', [target], new Set([target, ...dag.upstream(target)]));
    }
    case 'from': {
      const target = known(selection.block);
      return withReuse(plan('from', [target], new Set([target, ...dag.downstream(target)])), `from '${target}'`);
    }
    case 'retry':
      return planRetry(selection.runId);
    case 'replay':
      return planReplay(selection.runId);
  }

  function plan(mode: RunMode, names: string[], selected: Set<string>, sourceRunId?: number, baseVariables: Record<string, VariableValue> = {}): SelectionPlan {
    return { mode, selection: names, sourceRunId, baseVariables, selected, reused: new Map() };
  }

  /** Upstream blocks left out must have completed before; their latest results are reused. */
  function withReuse(result: SelectionPlan, what: string): SelectionPlan {
    const needed = new Set<string>();
    const stack = [...result.selected];
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      for (const up of dag.directUpstream(id)) {
        if (needed.has(up)) continue;
        needed.add(up);
        stack.push(up);
      }
    }
    const missing: string[] = [];
    for (const id of ids) {
      if (result.selected.has(id) || !needed.has(id)) continue;
      const previous = store?.latestCompletedBlockRun(file, id);
      if (previous === undefined) missing.push(id);
      else result.reused.set(id, reuse(previous));
    }
    if (missing.length > 0 && store !== undefined) {
      const names = missing.map((m) => `'${m}'`).join(', ');
      throw new SelectionRefused(
        `cannot run ${what}: upstream block${missing.length === 1 ? '' : 's'} ${names} never completed in an earlier run of ${file}, so there are no results to reuse; run ${missing.length === 1 ? 'it' : 'them'} first (for example with --upto)`,
      );
    }
    return result;
  }

  function sourceRun(runId: number, verb: string): { run: RunRecord; blockRuns: BlockRunRecord[] } {
    if (store === undefined) throw new SelectionRefused(`cannot ${verb} run #${runId} without a run store`);
    const run = store.getRun(runId);
    if (run === undefined) throw new SelectionRefused(`there is no run #${runId} in ${store.path}`);
    if (run.pipelineFile !== file) throw new SelectionRefused(`run #${runId} is a run of ${run.pipelineFile}, not of ${file}`);
    return { run, blockRuns: store.blockRuns(runId) };
  }

  function planRetry(runId: number): SelectionPlan {
    const { run, blockRuns } = sourceRun(runId, 'retry');
    if (run.status === 'running' || run.status === 'initial') throw new SelectionRefused(`run #${runId} is still running; cancel it or wait for it to finish before retrying it`);
    const latest = latestAttempts(blockRuns);
    const selected = new Set<string>();
    for (const id of ids) {
      const last = latest.get(id);
      // A block the run never recorded (added to the file since) has nothing to reuse either.
      if (last === undefined || RETRIED.includes(last.status)) {
        selected.add(id);
        for (const d of dag.downstream(id)) selected.add(d);
      }
    }
    if (selected.size === 0) throw new SelectionRefused(`run #${runId} has no failed, cancelled or interrupted blocks to retry`);
    const result = plan('retry', ids.filter((id) => selected.has(id)), selected, runId, run.variables);
    for (const id of ids) {
      const last = latest.get(id);
      if (!selected.has(id) && last !== undefined && (last.status === 'completed' || last.status === 'cached')) result.reused.set(id, reuse(last));
    }
    return result;
  }

  function planReplay(runId: number): SelectionPlan {
    const { run } = sourceRun(runId, 'replay');
    // A replay records the selection it repeated; the mode that selection means is the mode of
    // the first run of the chain that was not itself a replay. A replayed retry re-runs the blocks
    // that retry ran.
    let origin = run;
    for (let hops = 0; origin.mode === 'replay' && origin.sourceRunId !== undefined && hops < 100; hops++) {
      const previous = store?.getRun(origin.sourceRunId);
      if (previous === undefined) break;
      origin = previous;
    }
    const names = run.selection.filter((id) => dag.has(id));
    const first = names[0];
    const inner: Selection =
      first === undefined || origin.mode === 'all' || origin.mode === 'replay' ? { mode: 'all' }
        : origin.mode === 'upto' ? { mode: 'upto', block: first }
          : origin.mode === 'from' ? { mode: 'from', block: first }
            : { mode: 'only', blocks: names };
    const result = planSelection(pipeline, dag, inner, file, store);
    return { ...result, mode: 'replay', sourceRunId: runId, baseVariables: run.variables };
  }
}

/** The last attempt of each block of a run. */
export function latestAttempts(blockRuns: readonly BlockRunRecord[]): Map<string, BlockRunRecord> {
  const latest = new Map<string, BlockRunRecord>();
  for (const b of blockRuns) {
    const seen = latest.get(b.block);
    if (seen === undefined || b.attempt >= seen.attempt) latest.set(b.block, b);
  }
  return latest;
}

function reuse(record: BlockRunRecord): ReusedBlock {
  return { status: record.status, outputs: record.outputs, fingerprint: record.fingerprint, fromRun: record.runId };
}
