import type { Pipeline } from '../../../core/src/model/pipeline.ts';
import type { Selection } from '../../../core/src/runner/selection.ts';
import { blockArgument } from './runArguments.ts';
import { pickBlock } from './pickTargets.ts';

/**
 * The block a block command acts on: the second argument (code lens: `(uri, 'extract')`), or the
 * first when it is an object naming file and block (the history tree), or one the user picks.
 */
export function blockSelection(args: readonly unknown[], mode: 'only' | 'upto' | 'from', placeHolder: string): (pipeline: Pipeline) => Promise<Selection | undefined> {
  return async (pipeline) => {
    const block = blockArgument(args[1]) ?? (typeof args[0] === 'object' ? blockArgument(args[0]) : undefined) ?? (await pickBlock(pipeline, placeHolder));
    if (block === undefined) return undefined;
    return mode === 'only' ? { mode, blocks: [block] } : { mode, block };
  };
}
