import { sep } from 'node:path';
import * as vscode from 'vscode';
import type { Diagnostic } from '../../../core/src/model/diagnostic.ts';
import { validateExecutorsFile, WORKSPACE_EXECUTORS_FILE } from '../../../core/src/parse/workspaceExecutors.ts';
import { LineIndex } from '../../../core/src/text/lineIndex.ts';

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information, hint: vscode.DiagnosticSeverity.Hint,
};

/** A workspace's `.pipelines/executors.yaml` (see core/src/parse/workspaceExecutors.ts). */
export function isExecutorsFile(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && uri.fsPath.endsWith(`${sep}${WORKSPACE_EXECUTORS_FILE}`);
}

/**
 * Problems of `.pipelines/executors.yaml`, shown at their place in that file while it is open, with
 * the same checks and messages as a pipeline's `executors:` (the language server serves pipeline
 * files only; this file is plain YAML to the editor).
 */
export function registerExecutorsFileDiagnostics(context: vscode.ExtensionContext): void {
  const collection = vscode.languages.createDiagnosticCollection('pipelineStudio.executors');
  const check = (document: vscode.TextDocument): void => {
    if (!isExecutorsFile(document.uri)) return;
    const text = document.getText();
    const lines = new LineIndex(text);
    collection.set(document.uri, validateExecutorsFile(text, document.uri.fsPath).diagnostics.map((d) => {
      const start = lines.positionAt(d.span.start);
      const end = lines.positionAt(d.span.end);
      const item = new vscode.Diagnostic(new vscode.Range(start.line, start.character, end.line, end.character), d.message, SEVERITY[d.severity]);
      item.code = d.code;
      item.source = 'pipeline-studio';
      return item;
    }));
  };
  for (const document of vscode.workspace.textDocuments) check(document);
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
    vscode.workspace.onDidCloseTextDocument((document) => collection.delete(document.uri)),
  );
}
