import * as vscode from 'vscode';
import { isPipelineFile } from '../run/pickTargets.ts';
import { refuseIfUntrusted } from '../run/trust.ts';

export const DEBUG_TYPE = 'pipeline';

/** The configuration launch.json starts with, and what F5 uses without one. */
export function initialConfiguration(): vscode.DebugConfiguration {
  return { type: DEBUG_TYPE, request: 'launch', name: 'Debug pipeline', pipeline: '${file}', stopOnEntry: false };
}

/**
 * F5 on an open pipeline file works without a launch.json: an empty configuration becomes a debug
 * run of the active file. Refuses in Restricted Mode, since debugging runs the file's commands.
 */
export class PipelineConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [initialConfiguration()];
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const active = vscode.window.activeTextEditor?.document;
    const activePipeline = active !== undefined && (active.languageId === 'pipeline' || isPipelineFile(active.uri)) ? active.uri.fsPath : undefined;
    if (config.type === undefined && config.request === undefined && config.name === undefined) {
      if (activePipeline === undefined) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Open a pipeline file (*.pipeline.yaml) to debug it, or add a "pipeline" launch configuration.'));
        return undefined;
      }
      return { ...initialConfiguration(), name: 'Debug pipeline', pipeline: activePipeline };
    }
    const resolved: vscode.DebugConfiguration = { ...config, type: DEBUG_TYPE, request: config.request ?? 'launch' };
    if (resolved.pipeline === undefined || resolved.pipeline === '') {
      if (activePipeline === undefined) {
        void vscode.window.showErrorMessage(vscode.l10n.t('The launch configuration "{0}" has no "pipeline" and no pipeline file is open.', config.name));
        return undefined;
      }
      resolved.pipeline = activePipeline;
    }
    return resolved;
  }

  resolveDebugConfigurationWithSubstitutedVariables(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (refuseIfUntrusted('Debug Pipeline')) return undefined;
    return config;
  }
}

/** "Debug <file>" entries in the Run and Debug view's dropdown, one per pipeline file (dynamic configurations). */
export class DynamicPipelineConfigurations implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const pattern = folder === undefined ? '**/*.{pipeline.yaml,pipeline.yml}' : new vscode.RelativePattern(folder, '**/*.{pipeline.yaml,pipeline.yml}');
    const files = await vscode.workspace.findFiles(pattern, '**/{node_modules,.git,.pipelines,dist}/**', 50);
    return files
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((uri) => ({ type: DEBUG_TYPE, request: 'launch', name: `Debug ${vscode.workspace.asRelativePath(uri)}`, pipeline: uri.fsPath }));
  }
}
