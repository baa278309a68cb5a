import * as vscode from 'vscode';

export const READONLY_SCHEME = 'pipeline-studio-view';

/** Read-only documents the run features show (a dry-run plan, a stored log): no save prompt, no edits. */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Shows text under a name (the file name the tab shows); showing the same name again replaces it. */
  async show(name: string, text: string, languageId?: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: READONLY_SCHEME, path: `/${name}` });
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
    let document = await vscode.workspace.openTextDocument(uri);
    if (languageId !== undefined && document.languageId !== languageId) document = await vscode.languages.setTextDocumentLanguage(document, languageId);
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
