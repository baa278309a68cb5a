import { EvaluationError } from '../expr/index.ts';
import type { RunMode, RunStore } from '../store/types.ts';
import { fingerprintBlock, hashOutputs, sameHashes } from './fingerprint.ts';
import { prepareRun, RunRefused, scopeFor, type PrepareOptions } from './prepare.ts';
import type { Block } from '../model/pipeline.ts';
import { listItems } from './fanOut.ts';
import { evaluateCondition, resolveBlock, ScriptRefused, staticScriptProblems, type ItemValue, type RunScope, type UpstreamView } from './resolve.ts';
import type { VariableValue } from './variables.ts';

/** What a run would do with one block. */
export type PlanAction = 'run' | 'cached' | 'skipped' | 'condition_failed' | 'fail';

export interface PlanEntry {
  block: string;
  action: PlanAction;
  /** Why: `disabled`, `not selected`, `reusing run #4`, `condition is false`, a refused script, … */
  reason?: string;
  /** The resolved command (values quoted in), when it can be known before running. */
  command?: string;
  /** Things decided only at run time (a condition or command that reads upstream outputs). */
  notes: string[];
}

export interface RunPlan {
  pipelineName: string;
  file: string;
  mode: RunMode;
  selection: string[];
  variables: Record<string, VariableValue>;
  concurrency: number;
  blocks: PlanEntry[];
}

export interface PlanOptions extends PrepareOptions {
  /** For cache lookups and for `from`/`retry`/`replay`; without it nothing is known to be cached. */
  store?: RunStore;
  noCache?: boolean;
}

/**
 * A dry run: for each block, whether it would run, be cached, be skipped (disabled, not selected)
 * or have a false condition, as far as that can be known without running anything. Executes
 * nothing and records nothing. Throws RunRefused like startRun would.
 */
export function planRun(options: PlanOptions): RunPlan {
  const prepared = prepareRun(options, options.store);
  let scope: RunScope | undefined;
  try {
    scope = scopeFor(prepared, undefined);
  } catch (error) {
    // The pipeline env reads run.id, which has no value before the run.
    if (!(error instanceof RunRefused)) throw error;
  }
  const { pipeline, dag, plan } = prepared;
  /** Predicted outcome of each block; outputs are known only for cached and reused blocks. */
  const predicted = new Map<string, { action: PlanAction; disabled: boolean; view: UpstreamView | undefined }>();
  const entries = new Map<string, PlanEntry>();
  for (const id of dag.topologicalOrder()) {
    const block = pipeline.blockById.get(id);
    if (block === undefined) continue;
    const entry: PlanEntry = { block: id, action: 'run', notes: [] };
    entries.set(id, entry);
    const ups = dag.directUpstream(id).map((u) => predicted.get(u));
    const finish = (action: PlanAction, reason: string | undefined, disabled = false, view?: UpstreamView): void => {
      entry.action = action;
      if (reason !== undefined) entry.reason = reason;
      predicted.set(id, { action, disabled, view });
    };
    if (!plan.selected.has(id)) {
      const reused = plan.reused.get(id);
      finish('skipped', reused !== undefined ? `not selected; reusing run #${reused.fromRun}` : 'not selected', false,
        reused === undefined ? undefined : { status: reused.status, outputs: reused.outputs, fingerprint: reused.fingerprint });
      continue;
    }
    if (block.disabled) {
      finish('skipped', 'disabled', true);
      continue;
    }
    if (ups.some((u) => u?.disabled === true)) {
      finish('skipped', 'an upstream block is disabled', true);
      continue;
    }
    if (ups.some((u) => u?.action === 'condition_failed')) {
      finish('condition_failed', 'an upstream block is condition_failed');
      continue;
    }
    const problems = staticScriptProblems(pipeline, block);
    if (problems.length > 0) {
      finish('fail', problems.join('; '));
      continue;
    }
    const upstream = (u: string): UpstreamView | undefined => predicted.get(u)?.view;
    if (scope === undefined) {
      entry.notes.push('the pipeline env reads run.id, so conditions and commands are known only at run time');
      finish('run', undefined);
      continue;
    }
    try {
      if (evaluateCondition(scope, block, upstream) === false) {
        finish('condition_failed', 'condition is false');
        continue;
      }
    } catch (error) {
      if (!(error instanceof EvaluationError)) throw error;
      entry.notes.push(`condition decided at run time (${runTimeReason(error)})`);
    }
    let command: string | undefined;
    if (block.foreach !== undefined) entry.notes.push(fanOutNote(scope, block, upstream));
    try {
      // A fan-out's command is shown for its first item.
      const firstItem = block.foreach === undefined ? undefined : firstItemOf(scope, block, upstream);
      const resolved = resolveBlock(scope, block, upstream, firstItem);
      command = resolved.display;
      entry.command = command;
      const knownUpstream = dag.directUpstream(id).map((u) => ({ id: u, view: predicted.get(u)?.view }));
      if (block.cache !== undefined && options.noCache !== true && options.store !== undefined && knownUpstream.every((u) => u.view !== undefined)) {
        const fingerprint = fingerprintBlock(resolved, knownUpstream.map((u) => ({ id: u.id, fingerprint: u.view?.fingerprint, outputs: u.view?.outputs ?? {} })), prepared.hashLimitBytes);
        const hit = options.store.findCachedBlockRun(prepared.file, id, fingerprint);
        if (hit !== undefined && sameHashes(hit.outputHashes, hashOutputs(resolved.cwd, block.cache.outputs.map((o) => o.value), prepared.hashLimitBytes))) {
          finish('cached', `same fingerprint as run #${hit.runId}`, false, { status: 'cached', outputs: hit.outputs, fingerprint });
          continue;
        }
      } else if (block.cache !== undefined && options.noCache !== true) {
        entry.notes.push('cache decided at run time (an upstream block runs first)');
      }
    } catch (error) {
      if (error instanceof ScriptRefused) {
        finish('fail', error.message);
        continue;
      }
      if (!(error instanceof EvaluationError)) throw error;
      entry.notes.push(`command resolved at run time (${runTimeReason(error)})`);
    }
    finish('run', undefined);
  }
  return {
    pipelineName: pipeline.name, file: prepared.file, mode: plan.mode, selection: plan.selection, variables: prepared.variables,
    concurrency: prepared.concurrency,
    blocks: pipeline.blocks.map((b) => entries.get(b.id) ?? { block: b.id, action: 'run', notes: [] }),
  };
}

function firstItemOf(scope: RunScope, block: Block, upstream: (id: string) => UpstreamView | undefined): ItemValue {
  try {
    const first = listItems(scope, block, upstream)[0];
    if (first !== undefined) return first;
  } catch {
    // Listed at run time (an upstream output): show a placeholder.
  }
  return { value: '<item>', index: 0, name: '<item>' };
}

function fanOutNote(scope: RunScope, block: Block, upstream: (id: string) => UpstreamView | undefined): string {
  const limit = block.maxParallel === undefined ? '' : `, ${block.maxParallel} at a time`;
  try {
    const n = listItems(scope, block, upstream).length;
    return `fans out over ${n} item${n === 1 ? '' : 's'}${limit}`;
  } catch {
    return `fans out over items listed at run time${limit}`;
  }
}

/** `blocks.x.outputs.y is not defined.` → `reads blocks.x.outputs.y`: before the run it is simply not known yet. */
function runTimeReason(error: EvaluationError): string {
  const m = /^(.*) is not defined\.$/.exec(error.message);
  return m?.[1] !== undefined ? `reads ${m[1]}` : error.message;
}
