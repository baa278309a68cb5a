import * as vscode from 'vscode';
import { initialConfiguration } from '../debug/configurationProvider.ts';
import { reportCommandError } from '../run/launch.ts';
import { blockArgument, fileArgument, optionsArgument } from '../run/runArguments.ts';
import { pickPipelineFile } from '../run/pickTargets.ts';
import { refuseIfUntrusted } from '../run/trust.ts';

export const DEBUG_PIPELINE = 'pipelineStudio.debugPipeline';

/**
 * Debug Pipeline: starts a `pipeline` debug session of a file. Args: (file?, block?, options?);
 * with a block (the "Debug block" lens) it runs what the block needs and pauses before it.
 * Resolves with whether the session started.
 */
export function registerDebugPipeline(): vscode.Disposable {
  return vscode.commands.registerCommand(DEBUG_PIPELINE, async (...args: unknown[]): Promise<boolean> => {
    if (refuseIfUntrusted('Debug Pipeline')) return false;
    try {
      const options = optionsArgument(args);
      const file = await pickPipelineFile(fileArgument(args[0]));
      if (file === undefined) return false;
      const block = args.length > 1 ? blockArgument(args[1]) : undefined;
      const config: vscode.DebugConfiguration = {
        ...initialConfiguration(),
        name: block === undefined ? `Debug ${vscode.workspace.asRelativePath(file)}` : `Debug block ${block}`,
        pipeline: file.fsPath,
        ...(options.variables === undefined ? {} : { variables: options.variables }),
        ...(block === undefined ? {} : { upto: block, stopAt: [block] }),
      };
      return await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(file), config);
    } catch (error) {
      reportCommandError('Debug Pipeline', error);
      return false;
    }
  });
}
