import { isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import type { RunController } from '../run/runController.ts';
import { parseTaskDefinition, TASK_ACTIONS, TASK_TYPE, taskName, type PipelineTask } from './taskDefinition.ts';
import { PipelineTaskTerminal } from './taskTerminal.ts';

export const PROBLEM_MATCHER = '$pipeline-studio';
const PIPELINE_FILES = '**/*.{pipeline.yaml,pipeline.yml}';

/**
 * The `pipeline` task type: every pipeline file of the workspace is offered in Run Task (run, dry
 * run, validate), and tasks of that type in tasks.json are resolved here. `validate` runs the CLI
 * as a process, its output read by the `$pipeline-studio` problem matcher; `run` and `dryRun` go
 * through the run commands (trust checks, runner service, store) like the ▶ button.
 */
export class PipelineTaskProvider implements vscode.TaskProvider {
  private readonly controller: RunController;
  private readonly cliPath: string;

  constructor(controller: RunController, cliPath: string) {
    this.controller = controller;
    this.cliPath = cliPath;
  }

  async provideTasks(): Promise<vscode.Task[]> {
    const files = await vscode.workspace.findFiles(PIPELINE_FILES, '**/node_modules/**');
    const tasks: vscode.Task[] = [];
    for (const uri of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (folder === undefined) continue;
      const file = relative(folder.uri.fsPath, uri.fsPath).split('\\').join('/');
      for (const action of TASK_ACTIONS) {
        const task = this.taskOf(folder, { type: TASK_TYPE, file, action }, { file, action, variables: {} });
        if (task !== undefined) tasks.push(task);
      }
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    const parsed = parseTaskDefinition(task.definition);
    if ('error' in parsed) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Task "{0}": {1}.', task.name, parsed.error));
      return undefined;
    }
    if (folder === undefined) return undefined;
    // The definition must be the one tasks.json holds, or VS Code would not match the two.
    return this.taskOf(folder, task.definition, parsed, task.name);
  }

  private taskOf(folder: vscode.WorkspaceFolder, definition: vscode.TaskDefinition, parsed: PipelineTask, name = taskName(parsed)): vscode.Task | undefined {
    const uri = isAbsolute(parsed.file) ? vscode.Uri.file(parsed.file) : vscode.Uri.joinPath(folder.uri, parsed.file);
    if (parsed.action === 'validate') {
      // The extension host's own runtime runs the CLI (Electron as Node in desktop VS Code). The path is
      // given relative to the folder, as the matcher reads it (see the problem matcher in package.json).
      const shown = relative(folder.uri.fsPath, uri.fsPath).split('\\').join('/');
      const execution = new vscode.ProcessExecution(process.execPath, [this.cliPath, 'validate', shown], { cwd: folder.uri.fsPath, env: { ELECTRON_RUN_AS_NODE: '1' } });
      const task = new vscode.Task(definition, folder, name, 'pipeline', execution, [PROBLEM_MATCHER]);
      task.group = vscode.TaskGroup.Test;
      return task;
    }
    const execution = new vscode.CustomExecution(() => Promise.resolve(new PipelineTaskTerminal(this.controller, uri, parsed)));
    const task = new vscode.Task(definition, folder, name, 'pipeline', execution, []);
    if (parsed.action === 'run') task.group = vscode.TaskGroup.Build;
    return task;
  }
}

export function registerPipelineTasks(controller: RunController, cliPath: string): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TASK_TYPE, new PipelineTaskProvider(controller, cliPath));
}
