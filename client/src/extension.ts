import type * as vscode from 'vscode';

// Placeholder until the language-server issue, which starts the language client here. VS Code
// activates the extension on `pipeline` files (from contributes.languages), so this must succeed.
export function activate(_context: vscode.ExtensionContext): void {
  // Nothing to register yet.
}

export function deactivate(): void {
  // Nothing to dispose yet.
}
