import * as vscode from 'vscode';
import { ServiceDriver } from '../../../core/src/debug/index.ts';
import type { RunEvent } from '../../../core/src/runner/events.ts';
import { RunTerminal } from '../run/runTerminal.ts';
import { runSettings } from '../settings/settings.ts';
import { storePathForRun } from '../runState/storeLocation.ts';
import { PipelineDebugSession } from './pipelineDebugSession.ts';

/**
 * Debug sessions run inline in the extension host (no adapter process of their own), but their
 * blocks run in a runner service process per session: spawning from the extension host forks a
 * process of a gigabyte. Each run's output goes to its own terminal, as for runs without a debugger.
 */
export class PipelineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  private readonly cliPath: string;

  constructor(cliPath: string) {
    this.cliPath = cliPath;
  }

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    if (!vscode.workspace.isTrusted) throw new Error('Debugging a pipeline runs its commands, which Restricted Mode does not allow. Trust this workspace to debug pipelines.');
    const terminals = new Map<number, RunTerminal>();
    const adapter = new PipelineDebugSession({
      createDriver: () => new ServiceDriver(process.execPath, [this.cliPath, 'serve', '--stdio'], { ...process.env, ELECTRON_RUN_AS_NODE: '1' }),
      textOf: (file) => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file && d.isDirty)?.getText(),
      storeFor: (file) => storePathForRun(vscode.Uri.file(file)),
      logCapBytes: (file) => runSettings(vscode.Uri.file(file)).logCapBytes,
      onRunEvent: (event: RunEvent) => {
        let terminal = terminals.get(event.runId);
        if (terminal === undefined) {
          if (event.type !== 'run-started') return;
          terminal = new RunTerminal(`🐞 ${event.pipelineName} #${event.runId}`, () => void vscode.debug.stopDebugging(session));
          terminals.set(event.runId, terminal);
          terminal.reveal();
        }
        terminal.render(event);
        if (event.type === 'run-finished') terminals.delete(event.runId);
      },
    });
    return new vscode.DebugAdapterInlineImplementation(adapter);
  }
}
