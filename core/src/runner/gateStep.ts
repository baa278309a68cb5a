import type { GitInfo } from '../store/types.ts';
import { isFinished, type BlockRun } from './blockMachine.ts';
import type { BlockGate, BlockGateHandler } from './gate.ts';
import type { PreparedRun } from './prepare.ts';

interface GateView {
  readonly prepared: PreparedRun;
  readonly byId: ReadonlyMap<string, BlockRun>;
  readonly git: GitInfo | undefined;
  readonly recorder: { readonly runId: number };
}

/**
 * Asks the debugger's gate about a block's first attempt: a promise holds the block until it
 * settles, undefined (no debugger, or a gate that throws) lets it start at once.
 */
export function askGate(run: GateView, state: BlockRun, gate: BlockGateHandler | undefined): Promise<void> | undefined {
  const resolved = state.resolved;
  if (gate === undefined || resolved === undefined) return undefined;
  try {
    return gate(gateFor(run, state));
  } catch {
    return undefined;
  }
}

function gateFor(run: GateView, state: BlockRun): BlockGate {
  const resolved = state.resolved;
  if (resolved === undefined) throw new Error('unresolved block at the gate');
  const upstream: BlockGate['upstream'] = {};
  for (const id of run.prepared.dag.upstream(state.block.id)) {
    const up = run.byId.get(id);
    if (up !== undefined && isFinished(up)) upstream[id] = { status: up.reused?.status ?? up.status, outputs: up.outputs };
  }
  const runId = run.recorder.runId;
  const env = { ...run.prepared.processEnv, ...resolved.definedEnv, PIPELINE_RUN_ID: String(runId) };
  return {
    runId, pipelineName: run.prepared.pipeline.name, block: state.block.id, attempt: state.attempt + 1,
    shell: resolved.shell, cwd: resolved.cwd, command: resolved.display, definedEnv: resolved.definedEnv, env,
    variables: run.prepared.variables, upstream, timeoutMs: resolved.timeoutMs, attempts: resolved.retry?.attempts ?? 1, git: run.git,
  };
}
