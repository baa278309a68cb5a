import type { RunHandle } from './engine.ts';
import type { RunEventListener } from './events.ts';

/**
 * A sub-pipeline's child run as it starts, at any depth (pipelineExecutor.ts). Its owner (the
 * runner service, or the `pipeline-studio run` process) lists it beside the top run and answers
 * control requests for it by its own number, so `pause 7` works on child run #7 as on any run.
 */
export interface ChildRunStart {
  /** The run whose `pipeline:` block started it, and that block. */
  parentRunId: number | undefined;
  parentBlock: string | undefined;
  /** Settles once the child is recorded and starting; rejects when it was refused (then it never ran). */
  started: Promise<RunHandle>;
}

/**
 * Told of each child run before it starts; the listener it returns (if any) gets the child's
 * events from its `run-started` on, which carries the child's number.
 */
export type ChildRunWatcher = (child: ChildRunStart) => RunEventListener | undefined;
