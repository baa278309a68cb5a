import type { ShellName } from '../model/pipeline.ts';
import type { BlockStatus, GitInfo } from '../store/types.ts';
import type { VariableValue } from './variables.ts';

/**
 * A block about to start its first attempt, with every expression resolved: what a debugger shows
 * while the run is paused before it. Plain JSON, so the service can send it to its client.
 */
export interface BlockGate {
  runId: number;
  pipelineName: string;
  block: string;
  attempt: number;
  shell: ShellName;
  cwd: string;
  /** The command with its `${{ }}` values quoted in, as a dry run shows it. */
  command: string;
  /** The variables the pipeline defines for the block (env layers, PIPELINE_*). */
  definedEnv: Record<string, string>;
  /** Everything the block's `env.X` expressions see: the process environment plus definedEnv. */
  env: Record<string, string>;
  variables: Record<string, VariableValue>;
  /** Every finished block upstream of this one (transitively), as `blocks.X` sees it. */
  upstream: Record<string, { status: BlockStatus; outputs: Record<string, string> }>;
  timeoutMs: number | undefined;
  /** Total tries the retry policy allows. */
  attempts: number;
  git: GitInfo | undefined;
}

/**
 * Called before a block's first attempt starts. Returning a promise holds the block (it keeps its
 * concurrency slot) until the promise settles; returning undefined starts it at once, so runs
 * without a debugger pay nothing. Cancelling the run or the block while it is held cancels it.
 */
export type BlockGateHandler = (gate: BlockGate) => Promise<void> | undefined;
