import * as vscode from 'vscode';

/** Set once a pipeline file has been the active editor: the walkthrough's "open a pipeline" step completes on it. */
export const PIPELINE_OPENED = 'pipelineStudio.pipelineOpened';

/**
 * The walkthrough's "open" step also listens for `onContext:resourceLangId == pipeline`, but the
 * workbench evaluates that key while the file's editor is still taking focus, so the step was left
 * unchecked now and then; a context key of our own, set when a pipeline editor is active, is not.
 */
export function registerWalkthroughContext(context: vscode.ExtensionContext): void {
  let done = false;
  const mark = (editor: vscode.TextEditor | undefined): void => {
    if (done || editor?.document.languageId !== 'pipeline') return;
    done = true;
    void vscode.commands.executeCommand('setContext', PIPELINE_OPENED, true);
  };
  mark(vscode.window.activeTextEditor);
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(mark));
}
