import * as vscode from 'vscode';
import type { Pipeline } from '../../../core/src/model/pipeline.ts';
import type { Selection } from '../../../core/src/runner/selection.ts';
import { blockArgument } from './runArguments.ts';
import { pickBlock } from './pickTargets.ts';

/**
 * The block a block command acts on: the second argument (code lens: `(uri, 'extract')`), or the
 * first when it is an object naming file and block (the history tree), the block at the cursor (a
 * keybinding: no arguments), or one the user picks.
 */
export function blockSelection(args: readonly unknown[], mode: 'only' | 'upto' | 'from', placeHolder: string): (pipeline: Pipeline) => Promise<Selection | undefined> {
  return async (pipeline) => {
    const block = blockArgument(args[1]) ?? (typeof args[0] === 'object' ? blockArgument(args[0]) : undefined) ?? (args.length === 0 ? blockAtCursor(pipeline) : undefined)
      ?? (await pickBlock(pipeline, placeHolder));
    if (block === undefined) return undefined;
    return mode === 'only' ? { mode, blocks: [block] } : { mode, block };
  };
}

/** The block whose entry holds the active pipeline editor's cursor (the keybinding's `when` makes it this pipeline). */
function blockAtCursor(pipeline: Pipeline): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId !== 'pipeline') return undefined;
  const offset = editor.document.offsetAt(editor.selection.active);
  return pipeline.blocks.find((b) => b.span.start <= offset && offset <= b.span.end)?.id;
}
