import { EvaluationError } from '../expr/index.ts';
import type { BlockRunUpdate } from '../store/types.ts';
import type { BlockEvent, BlockRun } from './blockMachine.ts';
import { isFinished } from './blockMachine.ts';
import { fingerprintBlock, hashOutputs, sameHashes } from './fingerprint.ts';
import type { PreparedRun } from './prepare.ts';
import { evaluateCondition, makeLookup, renderText, resolveBlock, ScriptRefused, type ResolvedBlock, type RunScope, type Upstream } from './resolve.ts';
import type { RunRecorder } from './runRecorder.ts';

/** What becomes of a block whose upstream blocks have all finished. */
export type Readiness =
  | { event: 'ready' }
  /** It has an approval gate: wait for a decision, showing this prompt. */
  | { event: 'approval'; prompt: string }
  /** It has `foreach`: list its items and run each (fanOut.ts). */
  | { event: 'fan_out' }
  | { event: Exclude<BlockEvent, 'ready' | 'approval' | 'fan_out'>; update: Omit<BlockRunUpdate, 'status'>; disabled?: boolean };

export interface ReadinessContext {
  prepared: PreparedRun;
  scope: RunScope;
  recorder: RunRecorder;
  byId: ReadonlyMap<string, BlockRun>;
  noCache: boolean;
  /** Why the run is stopping, if it is. */
  stopping: 'cancelled' | 'timeout' | undefined;
}

export function stopReason(stopping: 'cancelled' | 'timeout' | undefined): string {
  return stopping === 'timeout' ? 'run timeout' : 'cancelled';
}

/**
 * Decides in the order that matters: a stopping run or a cancelled block, then what upstream
 * blocks became (cancelled, failed, disabled, condition false), then its own condition, its
 * expressions, and last the cache. On `ready`, `state.resolved` holds the resolved block.
 */
export function decideReadiness(ctx: ReadinessContext, state: BlockRun): Readiness {
  const upstream = upstreamViews(ctx.byId);
  const ups = ctx.prepared.dag.directUpstream(state.block.id).map((id) => ctx.byId.get(id)).filter((s): s is BlockRun => s !== undefined && s.selected);
  const cancelledUp = ups.find((u) => u.status === 'cancelled');
  const failedUp = ups.find((u) => u.status === 'upstream_failed' || (u.status === 'failed' && !u.block.continueOnError));
  const disabledUp = ups.find((u) => u.disabled);
  const conditionUp = ups.find((u) => u.status === 'condition_failed');
  if (ctx.stopping !== undefined || state.cancelRequested) return { event: 'cancel', update: { reason: stopReason(ctx.stopping) } };
  if (cancelledUp !== undefined) return { event: 'cancel', update: { reason: `upstream '${cancelledUp.block.id}' was cancelled` } };
  if (failedUp !== undefined) return { event: 'upstream_failed', update: { reason: `upstream '${failedUp.block.id}' ${failedUp.status === 'failed' ? 'failed' : 'did not run'}` } };
  if (state.block.disabled || disabledUp !== undefined) {
    return { event: 'skip', disabled: true, update: { reason: state.block.disabled ? 'disabled' : `upstream '${disabledUp?.block.id ?? ''}' is disabled` } };
  }
  if (conditionUp !== undefined) return { event: 'condition_false', update: { reason: `upstream '${conditionUp.block.id}' is condition_failed` } };
  try {
    if (evaluateCondition(ctx.scope, state.block, upstream) === false) return { event: 'condition_false', update: { reason: 'condition is false' } };
    // Each item resolves on its own (with its value); the validator keeps approval and cache off a fan-out.
    if (state.block.foreach !== undefined) return { event: 'fan_out' };
    state.resolved = resolveBlock(ctx.scope, state.block, upstream);
  } catch (error) {
    if (error instanceof EvaluationError || error instanceof ScriptRefused) return { event: 'fail', update: { reason: error.message } };
    throw error;
  }
  if (state.block.cache !== undefined) {
    const hit = cacheHit(ctx, state, state.resolved);
    if (hit !== undefined) return { event: 'reuse', update: hit };
  }
  const approval = state.block.approval;
  if (approval !== undefined) {
    try {
      return { event: 'approval', prompt: approvalPrompt(ctx, state, upstream) };
    } catch (error) {
      if (error instanceof EvaluationError) return { event: 'fail', update: { reason: `approval prompt: ${error.message}` } };
      throw error;
    }
  }
  return { event: 'ready' };
}

/** A completed run with the same fingerprint whose output files are unchanged: reuse it. */
function cacheHit(ctx: ReadinessContext, state: BlockRun, resolved: ResolvedBlock): Omit<BlockRunUpdate, 'status'> | undefined {
  const ups = ctx.prepared.dag.directUpstream(state.block.id).map((id) => ctx.byId.get(id)).filter((s): s is BlockRun => s !== undefined);
  try {
    state.fingerprint = fingerprintBlock(resolved, ups.map((u) => ({ id: u.block.id, fingerprint: u.fingerprint, outputs: u.outputs })), ctx.prepared.hashLimitBytes);
  } catch (error) {
    ctx.recorder.systemLog(state, `cache: cannot compute the fingerprint (${error instanceof Error ? error.message : String(error)}); running the block\n`);
    return undefined;
  }
  const fingerprint = state.fingerprint;
  // --no-cache still records the fingerprint, so the forced run refreshes the cache.
  if (ctx.noCache) return undefined;
  const hit = ctx.recorder.safe(() => ctx.recorder.store.findCachedBlockRun(ctx.prepared.file, state.block.id, fingerprint));
  if (hit === undefined) return undefined;
  const current = hashOutputs(resolved.cwd, state.block.cache?.outputs.map((o) => o.value) ?? [], ctx.prepared.hashLimitBytes);
  if (!sameHashes(hit.outputHashes, current)) return undefined;
  state.cachedFrom = hit.id;
  return { reason: `same fingerprint as run #${hit.runId}`, outputs: hit.outputs, fingerprint, outputHashes: current };
}

/** The gate's question, its values substituted as text (never run: no shell ever reads it). */
function approvalPrompt(ctx: ReadinessContext, state: BlockRun, upstream: Upstream): string {
  const prompt = state.block.approval?.prompt?.value;
  if (prompt === undefined || prompt.trim() === '') return `Run block '${state.block.id}'?`;
  const env = { ...ctx.prepared.processEnv, ...state.resolved?.definedEnv };
  return renderText(prompt, makeLookup(ctx.scope, (name) => env[name], upstream));
}

/** How `blocks.X` reads a block: only once finished, and a reused block as what it was in the run it comes from. */
export function upstreamViews(byId: ReadonlyMap<string, BlockRun>): Upstream {
  return (id) => {
    const up = byId.get(id);
    if (up === undefined || !isFinished(up)) return undefined;
    return { status: up.reused?.status ?? up.status, outputs: up.outputs, fingerprint: up.fingerprint };
  };
}
